"""The PDF worker says, for each file it makes ready, how long it waited for the worker and how
long it took to render.

On deadline day a draft's PDF came later under load than alone, and whether it had waited behind
another export or rendered more slowly could not be told afterwards: the row holding the times is
pruned as soon as a newer file of the same export is ready. `bench/deadline_day.py` reads these
lines from the worker's log to report the two apart.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db.models import F

from bench.deadline_day import draft_pdf_in_worker
from reporting.models import ExportRender
from tests.exports import report_files_page, run_queued_tasks
from tests.scenarios import Cycle, save_draft


@pytest.fixture
def cycle(officer, lead_director):
    return Cycle(officer=officer, director=lead_director)


def test_the_worker_logs_how_long_a_draft_pdf_waited_and_how_long_it_rendered(
    client, cycle, democratic_services, queued_only, django_capture_on_commit_callbacks, caplog
):
    client.force_login(democratic_services)
    for _ in range(2):  # alone, then again once an officer has saved: two renders of the same export
        with django_capture_on_commit_callbacks(execute=True):
            client.post(report_files_page(cycle.period.slug, "pdf"))
        # It waits three seconds behind another export before the worker takes it.
        ExportRender.objects.filter(status="queued").update(
            requested_at=F("requested_at") - dt.timedelta(seconds=3)
        )
        with caplog.at_level(logging.INFO, logger="reporting.exports"):
            assert run_queued_tasks() == 1
        save_draft(cycle.assessments["1a"], "A later draft, so the next PDF is of new data.")

    lines = [record.getMessage() for record in caplog.records if record.name == "reporting.exports"]
    assert len(lines) == 2
    assert all(f"report pdf of {cycle.period.slug}" in line for line in lines)
    assert all("waited 3." in line for line in lines)

    # The bench takes the first as the unloaded render and the rest as the load's.
    times = draft_pdf_in_worker("\n".join(lines), period_slug=cycle.period.slug)
    assert times["renders"] == 1
    assert 3 <= times["waited_p50_s"] < 4
    assert times["render_p50_s"] > 0 and times["unloaded_render_s"] > 0
    assert draft_pdf_in_worker("\n".join(lines), period_slug="another-period") == {}
