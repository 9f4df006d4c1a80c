"""The task worker renders one file after another for hours: each render's objects are freed when it
ends, not left in reference cycles for Python's occasional full collection to find (which, at 100 ×
Thurrock, walked them for 60-130 ms wherever it happened to run)."""

from __future__ import annotations

import gc

import pytest

from reporting.models import ExportRender, RenderStatus
from tests.exports import run_queued_tasks
from tests.scenarios import Cycle

# This small quarter's PDF left about 12,000 objects in cycles before the worker collected them;
# what is left now is the test's own bookkeeping.
LEFT_FOR_THE_COLLECTOR_AT_MOST = 500


@pytest.fixture
def cycle(officer, lead_director):
    return Cycle(officer=officer, director=lead_director)


def test_a_finished_pdf_leaves_nothing_waiting_for_the_cycle_collector(
    cycle, queued_only, django_capture_on_commit_callbacks
):
    from reporting.exports import export_request

    with django_capture_on_commit_callbacks(execute=True):
        export_request(period=cycle.period, fmt="pdf")
    gc.collect()
    gc.disable()  # nothing collected behind the test's back while the worker renders
    try:
        assert run_queued_tasks() == 1
        left_for_the_collector = gc.collect()
    finally:
        gc.enable()

    assert ExportRender.objects.get(period=cycle.period, format="pdf").status == RenderStatus.READY
    assert left_for_the_collector <= LEFT_FOR_THE_COLLECTOR_AT_MOST
