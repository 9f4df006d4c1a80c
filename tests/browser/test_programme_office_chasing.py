"""The Programme Office in a real browser: from a finding on the checks page, grouped by outcome, to
chasing its owner; chasing again within a day asks first; the page then says when they were last
chased. The period pages it passes (deadline, publish, completion) are checked too. axe checks every
page, and none scrolls sideways at 320 CSS pixels."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from core.people import display_name
from outcomes import services
from outcomes.models import ReminderKind, ReminderSent
from tests.browser.helpers import check_page, page_text, sign_in
from tests.scenarios import Cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "programme-office-chasing"


def assert_no_sideways_scroll(page, step: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{step} scrolls sideways by {overflow}px at 320px"
    check_page(page, journey=JOURNEY, step=f"{step}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_programme_office_goes_from_a_grouped_finding_to_chasing_its_owner(
    browser_session, officer, lead_director, programme_office
):
    cycle = Cycle(officer=officer, director=lead_director)
    owner = display_name(officer)
    office = browser_session.open("programme office")
    sign_in(office, username="programme")

    office.goto(reverse("outcomes:period_checks", args=[cycle.period.slug]))
    assert "Outcome 1: Good governance" in page_text(office)
    check_page(office, journey=JOURNEY, step="checks")
    assert_no_sideways_scroll(office, "checks")

    # Only the findings on ratings, still grouped by outcome.
    office.get_by_label("Rule").select_option(label="No RAG rating")
    office.get_by_role("button", name="Show findings").click()
    office.wait_for_load_state()
    assert "3 findings on 3 lines match your choice" in page_text(office)
    check_page(office, journey=JOURNEY, step="checks-filtered")

    office.locator("summary", has_text="1a: No RAG rating").click()
    line = office.locator("details", has_text="1a: No RAG rating").first
    assert f"Officer {owner} must update it" in line.inner_text()
    check_page(office, journey=JOURNEY, step="checks-line-open")
    line.get_by_role("button", name=f"Chase {owner}").click()
    office.wait_for_load_state()

    assert f"Reminder emailed to 1 person: {owner}." in page_text(office)
    office.locator("summary", has_text="1a: No RAG rating").click()
    assert "Last chased 0" in office.locator("details", has_text="1a: No RAG rating").first.inner_text()
    assert "rule=missing-rag" in office.url  # back where the chase began
    assert [message.to for message in mail.outbox] == [[officer.email]]
    check_page(office, journey=JOURNEY, step="chased")

    # Chasing again within a day asks first.
    office.locator("details", has_text="1a: No RAG rating").first.get_by_role(
        "button", name=f"Chase {owner}"
    ).click()
    office.wait_for_load_state()
    assert "Chase again within a day?" in page_text(office)
    check_page(office, journey=JOURNEY, step="confirm")
    assert_no_sideways_scroll(office, "confirm")
    office.get_by_role("button", name="Yes, chase again").click()
    office.wait_for_load_state()
    assert f"Reminder emailed to 1 person: {owner}." in page_text(office)
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.filter(kind=ReminderKind.CHASE, recipient=officer).count() == 2

    # The period's own pages: completion (last chased, Lead Directors to chase), the deadline form.
    for step, url in [
        ("completion", reverse("outcomes:completion", args=[cycle.period.slug])),
        ("period", reverse("outcomes:period_detail", args=[cycle.period.slug])),
        ("deadline", reverse("outcomes:period_change_deadline", args=[cycle.period.slug])),
    ]:
        office.goto(url)
        check_page(office, journey=JOURNEY, step=step)
        assert_no_sideways_scroll(office, step)
    assert "For example, 27 3 2025" in page_text(office)
    office.get_by_role("button", name="Change the deadline").click()
    office.wait_for_load_state()
    assert "Enter the new deadline" in page_text(office)
    check_page(office, journey=JOURNEY, step="deadline-errors")
    assert_no_sideways_scroll(office, "deadline-errors")

    # Closed with findings left: the Publish button counts them, disabled, and says why.
    services.period_close(period=cycle.period, by=programme_office)
    for step, url in [
        ("closed-period", reverse("outcomes:period_detail", args=[cycle.period.slug])),
        ("publish", reverse("outcomes:period_publish", args=[cycle.period.slug])),
        ("open-next", reverse("outcomes:period_open")),
    ]:
        office.goto(url)
        if step != "open-next":
            button = office.get_by_role("button", name=re.compile(r"Publish \(\d+ blocking findings\)"))
            assert button.is_disabled()
            assert "See the pre-publication checks" in page_text(office)
        check_page(office, journey=JOURNEY, step=step)
        assert_no_sideways_scroll(office, step)
