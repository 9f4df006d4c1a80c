"""The evaluation framework in the browser, with Thurrock's plan and the quarter to March 2025 open.

The lead director of outcome 4 marks its first measure of success as evidenced, adds a link to the
evidence and takes a mistaken one out again; a commissioner records the commissioners' judgement of
the outcome and marks the quarter's judgement for publication; the outcome-and-period page then
shows both together. Every page passes axe and none scrolls sideways at 320 CSS pixels.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from outcomes.models import EvidenceItem, Measure
from tests.browser.helpers import check_page, page_text, sign_in
from tests.browser.journeys import quarter_under_way

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "evaluation"
WIDTH = 320  # WCAG 2.2 reflow (1.4.10): a phone-sized window, as tests/browser/test_reflow.py uses
NOTE = "The complaints dashboard has been reported monthly to the Corporate Leadership Team since January."
EVIDENCE_URL = "https://democracy.thurrock.gov.uk/ieListDocuments.aspx?CId=123&MId=4567"
COMMENTARY = "Complaints handling has improved, but the backlog is not yet cleared: we judge it Amber."


@pytest.fixture
def world(thurrock, make_user):
    quarter = quarter_under_way(plan=thurrock, make_user=make_user)
    make_user(Role.COMMISSIONER, username="commissioner", first_name="Cara", last_name="Mensah")
    measure = Measure.objects.filter(outcome=quarter.outcome).order_by("number").first()
    assert measure is not None, "Thurrock's plan lists measures of success for outcome 4"
    return quarter, measure


def check(page, step: str) -> None:
    """axe on the page as a desktop shows it, then at 320 pixels wide: nothing scrolls sideways."""
    check_page(page, journey=JOURNEY, step=step)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{JOURNEY} {step}: the page is {width}px wide at {WIDTH}px"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_evidence_and_the_commissioners_judgement_meet_on_the_outcome_page(browser_session, world):
    quarter, measure = world
    outcome_page = reverse("reporting:outcome_period", args=[quarter.outcome.pk, quarter.period.slug])

    # The lead director records the measure's evidence.
    page = browser_session.open("director")
    sign_in(page, username="director")
    page.goto(outcome_page)
    check(page, "01-outcome-page-before")
    page.get_by_role("link", name=re.compile(rf"^Record evidence\s*for measure {measure.number}$")).click()
    page.wait_for_load_state()
    check(page, "02-evidence-page")
    page.get_by_role("radio", name="Evidenced", exact=True).check()
    page.get_by_label("Note").fill(NOTE)
    page.get_by_role("button", name="Save status").click()
    page.wait_for_load_state()
    assert "Evidence status saved" in page_text(page)

    for title, address in (
        ("Wrong minutes", "https://example.org/wrong"),
        ("Complaints report", EVIDENCE_URL),
    ):
        page.get_by_label("What the link shows").fill(title)
        page.get_by_label("Web address").fill(address)
        page.get_by_role("button", name="Add link").click()
        page.wait_for_load_state()
        assert "Link added" in page_text(page)
    check(page, "03-evidence-with-links")

    # The mistaken link comes out again, after a confirmation page.
    page.get_by_role("link", name=re.compile(r"^Remove\s*Wrong minutes$")).click()
    page.wait_for_load_state()
    check(page, "04-confirm-removal")
    assert "Remove this evidence?" in page_text(page)
    page.get_by_role("button", name="Remove evidence").click()
    page.wait_for_load_state()
    assert "“Wrong minutes” removed from the evidence" in page_text(page)
    assert list(EvidenceItem.objects.values_list("title", flat=True)) == ["Complaints report"]

    # A commissioner records the judgement and marks the quarter's for publication.
    page = browser_session.open("commissioner")
    sign_in(page, username="commissioner")
    page.goto(outcome_page)
    page.get_by_role("link", name=re.compile(r"^Record\s*the commissioners' judgement$")).click()
    page.wait_for_load_state()
    check(page, "05-judgement-page")
    page.get_by_role("radio", name="Amber", exact=True).check()
    page.get_by_label("Commentary").fill(COMMENTARY)
    page.get_by_role("button", name="Save judgement").click()
    page.wait_for_load_state()
    assert f"Judgement of outcome {quarter.outcome.number} saved" in page_text(page)
    page.get_by_role("link", name="Decide whether this period's judgements are published").click()
    page.wait_for_load_state()
    check(page, "06-publication-decision")
    page.get_by_role("radio", name="Yes, for publication").check()
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_load_state()
    assert "Decision saved" in page_text(page)

    # The outcome-and-period page shows the evidence and the judgement together.
    page.goto(outcome_page)
    check(page, "07-outcome-page-after")
    text = page_text(page)
    assert "Evidenced" in text and NOTE in text
    assert page.get_by_role("link", name="Complaints report").get_attribute("href") == EVIDENCE_URL
    assert "Wrong minutes" not in text
    assert COMMENTARY in text

    # Marked for publication, the judgement is a section of the quarter's report.
    page.goto(reverse("reporting:report", args=[quarter.period.slug]))
    check(page, "08-report-with-judgement")
    section = page.locator("#commissioners-judgement")
    assert COMMENTARY in section.inner_text()
    assert "Commissioners' judgement" in section.get_by_role("heading", level=2).inner_text()
    browser_session.assert_console_clean()
