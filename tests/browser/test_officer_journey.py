"""A quarter's update in a real browser: the officer submits, the Lead Director signs off, the
Programme Office publishes. Once with the pointer, once with the keyboard alone."""

from __future__ import annotations

import re

import pytest

from outcomes.models import AssessmentStatus, OutcomeSummary, PeriodState
from tests.browser.helpers import (
    assert_focus_visible,
    button,
    check_page,
    choose_radio,
    field,
    focused,
    keyboard_sign_in,
    link,
    page_text,
    press,
    sign_in,
    summary,
    tab_to,
    type_text,
)
from tests.browser.journeys import (
    ACKNOWLEDGEMENT,
    NEW_NARRATIVE,
    NEW_RAG_LABEL,
    SUMMARY,
    Quarter,
    quarter_under_way,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quarter(thurrock, make_user) -> Quarter:
    return quarter_under_way(plan=thurrock, make_user=make_user)


def assert_saved(quarter: Quarter) -> None:
    """What the three people did in the browser is what the database now holds."""
    assessment = quarter.assessment()
    assert assessment.rag == "G"
    assert assessment.narrative == NEW_NARRATIVE
    assert assessment.status == AssessmentStatus.APPROVED
    assert OutcomeSummary.objects.get(period=quarter.period, outcome=quarter.outcome).text == SUMMARY
    quarter.period.refresh_from_db()
    assert quarter.period.state == PeriodState.PUBLISHED


def test_officer_submits_director_approves_and_programme_office_publishes(browser_session, quarter):
    ref = quarter.reference
    journey = "officer"

    # The officer signs in, finds their criterion and submits this quarter's update.
    officer = browser_session.open("officer")
    officer.goto("/account/sign-in/")
    check_page(officer, journey=journey, step="01-sign-in")
    sign_in(officer, username="officer")
    check_page(officer, journey=journey, step="02-home")
    officer.get_by_role("navigation", name="Menu").get_by_role("link", name="My updates").click()
    check_page(officer, journey=journey, step="03-my-updates")
    assert "Quarter to March 2025" in page_text(officer)
    officer.get_by_role("link", name=f"Update {ref}", exact=True).click()
    check_page(officer, journey=journey, step="04-update-form")
    officer.get_by_role("radio", name=NEW_RAG_LABEL, exact=True).check()
    officer.get_by_label("Assessment of progress").fill(NEW_NARRATIVE)
    officer.get_by_role("button", name="Submit to Lead Director").click()
    officer.wait_for_load_state()
    check_page(officer, journey=journey, step="05-submitted")
    assert f"{ref} submitted to the Lead Director." in page_text(officer)
    row = officer.get_by_role("row").filter(has=officer.get_by_role("rowheader", name=ref, exact=True))
    assert "Submitted" in row.inner_text()

    # ... and sees it in the criterion's history.
    officer.get_by_role("link", name=f"History of {ref}", exact=True).click()
    check_page(officer, journey=journey, step="06-history")
    history = page_text(officer)
    assert "Quarter to March 2025" in history
    assert "Submitted" in history
    assert NEW_NARRATIVE in history

    # The Lead Director approves it and writes the outcome's summary.
    director = browser_session.open("director")
    sign_in(director, username="director")
    director.get_by_role("navigation", name="Menu").get_by_role("link", name="Sign-off").click()
    check_page(director, journey=journey, step="07-sign-off")
    director.get_by_role("link", name=re.compile(rf"^{quarter.outcome.number}\. ")).click()
    check_page(director, journey=journey, step="08-outcome")
    assert NEW_NARRATIVE in page_text(director)
    director.get_by_role("button", name=f"Approve {ref}", exact=True).click()
    director.wait_for_load_state()
    check_page(director, journey=journey, step="09-approved")
    assert f"{ref} approved." in page_text(director)
    director.get_by_label("Your summary of progress on this outcome").fill(SUMMARY)
    director.get_by_role("button", name="Save summary").click()
    director.wait_for_load_state()
    check_page(director, journey=journey, step="10-summary-saved")
    assert f"Lead Director Summary for outcome {quarter.outcome.number} saved." in page_text(director)

    # The Programme Office closes the period, acknowledges the one warning and publishes.
    programme = browser_session.open("programme")
    sign_in(programme, username="programme")
    programme.get_by_role("navigation", name="Menu").get_by_role("link", name="Periods").click()
    check_page(programme, journey=journey, step="11-periods")
    programme.get_by_role("table").get_by_role("link", name="Quarter to March 2025").click()
    check_page(programme, journey=journey, step="12-period")
    programme.get_by_role("button", name="Close for updates").click()
    check_page(programme, journey=journey, step="13-close")
    programme.get_by_role("button", name="Close for updates").click()
    programme.wait_for_load_state()
    check_page(programme, journey=journey, step="14-closed")
    assert "Quarter to March 2025 closed" in page_text(programme)
    programme.get_by_role("link", name="Pre-publication checks", exact=True).click()
    check_page(programme, journey=journey, step="15-checks")
    assert "cannot be published yet: 0 findings block publication and 1 warning is not acknowledged" in (
        page_text(programme)
    )
    repeated = quarter.repeated.reference
    # Each criterion's findings are folded into one line: open it, then its acknowledgement.
    programme.get_by_text(f"{repeated}: Same text as last period", exact=True).click()
    programme.get_by_text(f"Acknowledge the warning on {repeated}").click()
    programme.get_by_label("Why can this warning stand?").fill(ACKNOWLEDGEMENT)
    programme.get_by_role("button", name=f"Acknowledge warning on {repeated}").click()
    programme.wait_for_load_state()
    check_page(programme, journey=journey, step="16-acknowledged")
    assert "Nothing stops publication" in page_text(programme)
    programme.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Quarter to March 2025"
    ).click()
    programme.get_by_role("button", name="Publish").click()
    check_page(programme, journey=journey, step="17-publish")
    programme.get_by_role("button", name="Publish").click()
    programme.wait_for_load_state()
    check_page(programme, journey=journey, step="18-published")
    assert "Quarter to March 2025 published" in page_text(programme)

    assert_saved(quarter)


def test_the_same_quarter_can_be_completed_with_the_keyboard_alone(browser_session, quarter):
    ref = quarter.reference
    journey = "officer-keyboard"

    officer = browser_session.open("officer")
    keyboard_sign_in(officer, username="officer")
    tab_to(officer, link("My updates"))
    press(officer, "Enter", navigates=True)
    tab_to(officer, link(f"Update {ref}"))
    press(officer, "Enter", navigates=True)
    check_page(officer, journey=journey, step="04-update-form")
    choose_radio(officer, name="rag", label=NEW_RAG_LABEL)
    # Submitting without an assessment: the error summary takes the focus and its link leads
    # straight to the box to fill in.
    tab_to(officer, button("Submit to Lead Director"))
    press(officer, "Enter", navigates=True)
    officer.wait_for_function("() => document.activeElement.closest('.govuk-error-summary') !== null")
    check_page(officer, journey=journey, step="04b-error")
    tab_to(officer, link("Enter the assessment of progress before submitting"))
    press(officer, "Enter")
    assert focused(officer).id == "id_narrative"
    assert_focus_visible(officer)
    type_text(officer, NEW_NARRATIVE)
    tab_to(officer, button("Submit to Lead Director"))
    press(officer, "Enter", navigates=True)
    assert f"{ref} submitted to the Lead Director." in page_text(officer)
    tab_to(officer, link(f"History of {ref}"))
    press(officer, "Enter", navigates=True)
    assert NEW_NARRATIVE in page_text(officer)

    director = browser_session.open("director")
    keyboard_sign_in(director, username="director")
    tab_to(director, link("Sign-off"))
    press(director, "Enter", navigates=True)
    tab_to(director, link(f"{quarter.outcome.number}. {quarter.outcome.title}"))
    press(director, "Enter", navigates=True)
    tab_to(director, button(f"Approve {ref}"))
    press(director, "Enter", navigates=True)
    assert f"{ref} approved." in page_text(director)
    tab_to(director, field("id_text"))
    type_text(director, SUMMARY)
    tab_to(director, button("Save summary"))
    press(director, "Enter", navigates=True)
    check_page(director, journey=journey, step="10-summary-saved")

    programme = browser_session.open("programme")
    keyboard_sign_in(programme, username="programme")
    tab_to(programme, link("Periods"))
    press(programme, "Enter", navigates=True)
    tab_to(programme, link("Quarter to March 2025"))
    press(programme, "Enter", navigates=True)
    # "Close for updates" is a link styled as a button (role="button"): Enter follows it.
    tab_to(programme, link("Close for updates"))
    press(programme, "Enter", navigates=True)
    tab_to(programme, button("Close for updates"))
    press(programme, "Enter", navigates=True)
    tab_to(programme, link("Pre-publication checks"))
    press(programme, "Enter", navigates=True)
    tab_to(programme, summary(f"{quarter.repeated.reference}: Same text as last period"))
    press(programme, "Enter")
    tab_to(programme, summary(f"Acknowledge the warning on {quarter.repeated.reference}"))
    press(programme, "Enter")
    tab_to(programme, lambda f: f.tag == "textarea")
    type_text(programme, ACKNOWLEDGEMENT)
    tab_to(programme, button(f"Acknowledge warning on {quarter.repeated.reference}"))
    press(programme, "Enter", navigates=True)
    check_page(programme, journey=journey, step="16-acknowledged")
    assert "Nothing stops publication" in page_text(programme)
    tab_to(programme, link("Quarter to March 2025"))
    press(programme, "Enter", navigates=True)
    tab_to(programme, link("Publish"))
    press(programme, "Enter", navigates=True)
    tab_to(programme, button("Publish"))
    press(programme, "Enter", navigates=True)
    assert "Quarter to March 2025 published" in page_text(programme)

    assert_saved(quarter)
