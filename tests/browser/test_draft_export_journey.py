"""Democratic Services prepare the PDF of a draft report, wait for the worker, check again, and
download it: every page checked with axe-core, no automatic refresh."""

from __future__ import annotations

import re

import pytest

from accounts.roles import Role
from outcomes.models import PeriodState, ReportingPeriod
from tests.browser.helpers import accessible_name, check_page, page_text, sign_in, worker_runs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECEMBER = "Quarter to December 2024"


@pytest.fixture
def democratic_services(thurrock, make_user):
    return make_user(Role.DEMOCRATIC_SERVICES, username="democratic", first_name="Dev", last_name="Patel")


def test_democratic_services_prepare_a_draft_pdf_check_again_and_download_it(
    browser_session, democratic_services, worker_waits
):
    december = ReportingPeriod.objects.get(slug="2024-25-q3")
    december.state = PeriodState.CLOSED  # not yet published (saved, so its data generation moves)
    december.save()
    journey = "draft-export"
    page = browser_session.open("democratic services")
    sign_in(page, username="democratic")
    page.goto("/reports/2024-25-q3/")
    check_page(page, journey=journey, step="01-draft-report")

    page.get_by_role("button", name=accessible_name(f"Prepare the PDF, {DECEMBER}")).click()
    page.wait_for_load_state()
    check_page(page, journey=journey, step="02-preparing")
    assert re.search(r"Preparing the PDF… \d+ s so far\.", page_text(page))
    assert page.locator('meta[http-equiv="refresh"]').count() == 0

    worker_runs()
    page.get_by_role("button", name="Check again").click()
    page.wait_for_load_state()
    check_page(page, journey=journey, step="03-ready")
    assert "The PDF is ready." in page_text(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("link", name="Download outcome-report-2024-25-q3.pdf").click()
    assert info.value.failure() is None
    with open(info.value.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"
