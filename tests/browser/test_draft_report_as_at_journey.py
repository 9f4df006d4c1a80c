"""A commissioner reads a large draft report just after an officer saves: the page shows the
worker's newest copy at once, says when it is of, and after a refresh (no JavaScript needed) the
current one. Checked with axe-core, and at 320 CSS pixels without sideways scrolling."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import F

from accounts.roles import Role
from outcomes.models import Assessment, PeriodState, ReportingPeriod
from reporting.exports import export_request
from reporting.models import ExportRender
from tests.browser.helpers import check_page, page_text, sign_in, worker_runs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def commissioner(thurrock, make_user):
    return make_user(Role.COMMISSIONER, username="commissioner", first_name="Cara", last_name="Jones")


def test_a_commissioner_reads_the_workers_copy_of_a_large_draft_then_the_current_one(
    browser_session, commissioner, worker_waits
):
    december = ReportingPeriod.objects.get(slug="2024-25-q3")
    december.state = PeriodState.CLOSED  # not yet published
    december.save()
    export_request(period=december, fmt="page")
    worker_runs()
    # As at 100 × Thurrock: the worker took seconds over the page, too long for a request.
    ExportRender.objects.filter(format="page").update(started_at=F("finished_at") - dt.timedelta(seconds=3))
    saved = Assessment.objects.filter(period=december).first()
    saved.narrative = "Corrected by the officer a moment ago."
    saved.save()

    page = browser_session.open("commissioner")
    sign_in(page, username="commissioner")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/reports/2024-25-q3/")
    check_page(page, journey="draft-report-as-at", step="01-the-workers-copy")
    text = page_text(page)
    assert re.search(r"This draft is as at \d\d:\d\d on \d{1,2} \w+ \d{4}\.", text)
    assert "refresh the page in a minute to see them" in text
    assert "Corrected by the officer a moment ago." not in text
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320

    worker_runs()
    page.reload()
    check_page(page, journey="draft-report-as-at", step="02-current")
    text = page_text(page)
    assert "This draft is as at" not in text
    assert "Corrected by the officer a moment ago." in text
