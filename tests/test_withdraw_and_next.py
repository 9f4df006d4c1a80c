"""An officer takes back a handed-in update only by withdrawing it, and moves through their criteria."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from outcomes import services
from outcomes.exceptions import InvalidTransition, ReasonRequired
from outcomes.models import AssessmentStatus
from tests.scenarios import post_update


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _submit(cycle, officer, ref="1b"):
    current = cycle.fresh(ref)
    return services.assessment_submit(
        assessment=current, by=officer, rag="A", narrative="Half done.", expected_version=current.version
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_submitted_update_shows_withdraw_to_edit_not_a_form(officer_client, officer, cycle):
    _submit(cycle, officer)

    body = _text(officer_client.get(cycle.url("1b")))

    assert "Withdraw to edit" in body
    assert 'name="narrative"' not in body
    # No "Reason for the change (optional)" that a save would then demand.
    assert "Reason for the change" not in body


def test_saving_a_draft_over_a_submitted_update_changes_nothing_and_says_why(officer_client, officer, cycle):
    submitted = _submit(cycle, officer)

    response = post_update(officer_client, cycle, "1b", rag="G", narrative="Now done.", reason="Finished.")

    assert response.status_code == 400
    assert "Nothing was saved: withdraw it to edit it first" in _text(response)
    after = cycle.fresh("1b")
    assert (after.status, after.rag, after.version) == (AssessmentStatus.SUBMITTED, "A", submitted.version)


def test_withdrawing_warns_it_leaves_the_directors_list_and_needs_a_reason(officer_client, officer, cycle):
    submitted = _submit(cycle, officer)
    withdraw_url = reverse("outcomes:assessment_withdraw", args=[submitted.pk])

    page = _text(officer_client.get(withdraw_url))
    assert "govuk-warning-text" in page and "leaves the Lead Director's list" in page
    assert "Why are you withdrawing this update?" in page
    assert "(optional)" not in page

    no_reason = officer_client.post(withdraw_url, {"reason": "  ", "version": submitted.version})
    assert no_reason.status_code == 400
    assert "Enter the reason for withdrawing this update" in _text(no_reason)
    assert cycle.fresh("1b").status == AssessmentStatus.SUBMITTED

    done = officer_client.post(
        withdraw_url, {"reason": "The figures were revised.", "version": submitted.version}
    )
    assert done.status_code == 302
    after = cycle.fresh("1b")
    assert after.status == AssessmentStatus.DRAFT
    assert after.narrative == "Half done."  # nothing the officer wrote is lost
    assert after.history.latest().history_change_reason == "The figures were revised."
    assert "no longer waiting for the Lead Director" in _text(officer_client.get(done.url))


def test_withdrawing_from_a_stale_page_changes_nothing(officer_client, officer, lead_director, cycle):
    submitted = _submit(cycle, officer)
    services.assessment_approve(assessment=submitted, by=lead_director, expected_version=submitted.version)

    response = officer_client.post(
        reverse("outcomes:assessment_withdraw", args=[submitted.pk]),
        {"reason": "Late change.", "version": submitted.version},
    )

    assert response.status_code == 302
    assert cycle.fresh("1b").status == AssessmentStatus.APPROVED


def test_the_service_refuses_to_withdraw_what_is_not_handed_in_or_without_a_reason(officer, cycle):
    draft = cycle.fresh("1a")
    with pytest.raises(InvalidTransition):
        services.assessment_withdraw(assessment=draft, by=officer, reason="Why not.", expected_version=1)
    submitted = _submit(cycle, officer, "1a")
    with pytest.raises(ReasonRequired):
        services.assessment_withdraw(
            assessment=submitted, by=officer, reason="", expected_version=submitted.version
        )


def test_another_officer_cannot_withdraw_my_update(client, officer, cycle):
    submitted = _submit(cycle, officer)
    client.force_login(cycle.other_officer)
    response = client.post(
        reverse("outcomes:assessment_withdraw", args=[submitted.pk]),
        {"reason": "Mine now.", "version": submitted.version},
    )
    assert response.status_code == 403
    assert cycle.fresh("1b").status == AssessmentStatus.SUBMITTED


def test_save_and_go_to_the_next_criterion_goes_through_my_criteria_in_plan_order(officer_client, cycle):
    first = post_update(officer_client, cycle, "1a", rag="G", narrative="Done.", action="save_next")
    assert first.status_code == 302 and first.url == cycle.url("1b")
    assert cycle.fresh("1a").narrative == "Done."

    # 2a is someone else's, so 1b is my last: back to My updates, saying so.
    last = post_update(officer_client, cycle, "1b", rag="A", narrative="Half.", action="save_next")
    assert last.url == reverse("outcomes:my_updates")
    assert "1b is the last of your success criteria" in _text(officer_client.get(last.url))


def test_the_heading_names_the_criterion_and_the_text_area_fits_a_long_assessment(officer_client, cycle):
    body = officer_client.get(cycle.url("1a")).content.decode()
    assert '<h1 class="govuk-heading-l">1a: Criterion 1a is met.</h1>' in body
    assert "Update for Quarter to March 2025" in body
    assert 'rows="12"' in body
    assert "govuk-character-count" in body
    assert "Save and go to the next criterion" in body
