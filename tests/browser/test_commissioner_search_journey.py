"""A commissioner, mid-quarter, reads an honest comparison, then finds criteria by a word,
sorts them by rating and reads an assessment in place; then walks the plan explorer.

Thurrock's plan with the quarter to March 2025 open (tests.browser.journeys): every criterion
but one is rated as in December, so the dashboard must show no movement, and say one is not
yet rated, rather than "down 1". In December 6c (risk management) was the one Red criterion.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from outcomes.models import Assessment
from tests.browser.helpers import accessible_name, check_page, page_text, sign_in
from tests.browser.journeys import quarter_under_way

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "commissioner-search"
KEYWORD = "RISK"  # any case: the list matches "risk" in criteria and assessments
RED_CRITERION = "6c"
RED_ASSESSMENT = "Risk Management Strategy 2024-2027"  # words of 6c's December assessment


@pytest.fixture
def quarter(thurrock, make_user):
    make_user(Role.COMMISSIONER, username="commissioner", first_name="Cara", last_name="Mensah")
    return quarter_under_way(plan=thurrock, make_user=make_user)


def test_commissioner_compares_like_with_like_then_searches_sorts_and_reads_an_assessment(
    browser_session, quarter
):
    page = browser_session.open("commissioner")
    sign_in(page, username="commissioner")

    page.goto(f"{reverse('reporting:dashboard')}?period={quarter.period.slug}")
    check_page(page, journey=JOURNEY, step="01-open-quarter-dashboard")
    text = page_text(page)
    unrated = Assessment.objects.filter(period=quarter.period, rag="").count()
    assert unrated >= 1
    assert f"{unrated} not yet rated" in text
    assert "No change since last period among criteria rated in both" in text
    assert "Down " not in text.split("Trend over every period")[0]
    # Completion of the open quarter comes before the ratings.
    assert text.index("Updates for Quarter to March 2025") < text.index("Ratings in Mar 25")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Criteria").click()
    page.wait_for_load_state()
    page.get_by_label("Search criteria and assessments (optional)").fill(KEYWORD)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    check_page(page, journey=JOURNEY, step="02-searched")
    assert "search is “RISK”" in page_text(page)
    rows = page.locator("table.govuk-table tbody tr")
    assert rows.count() > 1
    for index in range(rows.count()):
        # The word is in the criterion or in its assessment, folded inside the row.
        assert "risk" in rows.nth(index).text_content().lower()

    page.get_by_role("link", name=accessible_name("Dec 24: sort ascending")).click()
    page.wait_for_load_state()
    check_page(page, journey=JOURNEY, step="03-sorted-by-rating")
    header = page.locator('th[aria-sort="ascending"]')
    assert "Dec 24" in header.inner_text()
    first = page.locator("table.govuk-table tbody tr").first
    assert first.locator("th").inner_text().startswith(RED_CRITERION)
    assert page.get_by_label("Search criteria and assessments (optional)").input_value() == KEYWORD

    assessment = first.locator("details")
    assert not assessment.get_by_text(RED_ASSESSMENT, exact=False).is_visible()
    assessment.locator("summary").click()
    assert assessment.get_by_text(RED_ASSESSMENT, exact=False).first.is_visible()
    check_page(page, journey=JOURNEY, step="04-assessment-open")

    page.get_by_role("link", name=accessible_name("Dec 24: sort descending")).click()
    page.wait_for_load_state()
    assert page.locator('th[aria-sort="descending"]').count() == 1
    assert (
        not page.locator("table.govuk-table tbody tr")
        .first.locator("th")
        .inner_text()
        .startswith(RED_CRITERION)
    )


def test_commissioner_walks_the_plan_explorer_from_its_contents(browser_session, quarter, thurrock):
    page = browser_session.open("commissioner")
    sign_in(page, username="commissioner")
    page.goto(reverse("plans:plan_detail", args=[thurrock.slug]))
    check_page(page, journey=JOURNEY, step="05-plan-explorer")
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link").first.click()
    assert page.url.endswith("#priority-1")
    priority = page.locator("#priority-1 ~ details").first
    priority.locator("summary").first.click()
    workstream = priority.locator("details").first
    workstream.locator("summary").first.click()
    assert workstream.locator(".govuk-summary-card").first.is_visible()
    check_page(page, journey=JOURNEY, step="06-plan-explorer-open")
    page.goto(reverse("plans:direction_list"))
    check_page(page, journey=JOURNEY, step="07-directions")
    assert "Green" in page.locator("#direction-matrix").inner_text()
