"""An officer's quarter: find my criteria, read last period's position, save a draft, submit.

`tests.scenarios.Cycle` builds a small plan: last quarter published and approved, this quarter
open with every update not started.
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from outcomes import services
from outcomes.exceptions import InvalidTransition, PeriodClosed
from outcomes.models import NARRATIVE_MAX_LENGTH, Assessment, AssessmentStatus, PeriodState
from reporting.builder import report_build
from reporting.render import report_render
from tests.scenarios import DEFINITIONS, LAST_NARRATIVES, Cycle, post_update


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


# --------------------------------------------------------------------------- My updates


def test_my_updates_lists_the_criteria_i_own_with_status_last_rag_and_deadline(officer_client, cycle):
    cycle.assessments["1b"].status = AssessmentStatus.RETURNED
    cycle.assessments["1b"].save()

    response = officer_client.get(reverse("outcomes:my_updates"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Quarter to March 2025" in body
    assert "Tuesday 22 April 2025" in body
    assert "Criterion 1a is met." in body and "Criterion 1b is met." in body
    assert "Criterion 2a is met." not in body  # someone else's
    assert "Not started" in body and "Returned" in body
    # last period's RAG: 1a was Amber, 1b Red (letter and word, never colour alone)
    assert 'app-rag--amber">A<span class="govuk-visually-hidden"> Amber' in body
    assert 'app-rag--red">R<span class="govuk-visually-hidden"> Red' in body
    assert cycle.url("1a") in body
    assert reverse("outcomes:criterion_history", args=[cycle.criteria["1a"].pk]) in body


def test_my_updates_says_so_when_no_period_is_open(officer_client, officer, lead_director):
    Cycle(officer=officer, director=lead_director, state=PeriodState.CLOSED)
    response = officer_client.get(reverse("outcomes:my_updates"))
    assert response.status_code == 200
    assert "No reporting period is open for updates" in response.content.decode()


def test_my_updates_appears_in_the_officers_navigation(officer_client, cycle):
    body = officer_client.get(reverse("outcomes:my_updates")).content.decode()
    assert f'href="{reverse("outcomes:my_updates")}"' in body


# --------------------------------------------------------------------------- the update page


def test_update_page_shows_criterion_outcome_last_period_and_rag_definitions(officer_client, cycle):
    response = officer_client.get(cycle.url("1a"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Update 1a" in body
    assert "Criterion 1a is met." in body
    assert "1. Good governance" in body
    assert "Last period: Quarter to December 2024" in body
    assert LAST_NARRATIVES["1a"] in body
    for definition in DEFINITIONS.values():
        assert definition in body  # the definitions sit beside the choice, as radio hints
    assert "Position unchanged since last report" in body
    assert reverse("outcomes:criterion_history", args=[cycle.criteria["1a"].pk]) in body
    assert 'name="version" value="1"' in body


def test_officer_saves_a_draft_without_a_rating_then_submits(officer_client, officer, cycle):
    response = post_update(officer_client, cycle, "1a", narrative="Half of the actions are done.")
    assert response.status_code == 302

    draft = cycle.fresh("1a")
    assert (draft.status, draft.rag, draft.narrative, draft.version) == (
        AssessmentStatus.DRAFT,
        "",
        "Half of the actions are done.",
        2,
    )

    response = post_update(
        officer_client, cycle, "1a", rag="G", narrative="All actions done.", action="submit"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:my_updates")

    submitted = cycle.fresh("1a")
    assert (submitted.status, submitted.rag, submitted.narrative) == (
        AssessmentStatus.SUBMITTED,
        "G",
        "All actions done.",
    )
    assert submitted.updated_by == officer
    latest = submitted.history.latest()
    assert latest.history_user == officer
    assert latest.status == AssessmentStatus.SUBMITTED


def test_submitting_needs_a_rating_and_an_assessment_of_progress(officer_client, cycle):
    response = post_update(officer_client, cycle, "1a", action="submit")

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Choose a RAG rating before submitting" in body
    assert "Enter the assessment of progress before submitting" in body
    assert 'href="#id_rag"' in body and 'href="#id_narrative"' in body
    assert cycle.fresh("1a").status == AssessmentStatus.NOT_STARTED


def test_position_unchanged_carries_last_periods_narrative_and_rating_forward(officer_client, cycle):
    response = post_update(officer_client, cycle, "1a", carried_forward="on", action="submit")
    assert response.status_code == 302

    carried = cycle.fresh("1a")
    # Last period's text is quoted beneath; the narrative says so in the plan's (the council's) words.
    assert carried.narrative == cycle.period.plan.carried_forward_label
    assert carried.quoted_text == LAST_NARRATIVES["1a"]
    assert carried.rag == "A"
    assert carried.carried_forward is True
    assert carried.status == AssessmentStatus.SUBMITTED

    # withdrawn to edit, the update page has the box still ticked
    officer_client.post(
        reverse("outcomes:assessment_withdraw", args=[carried.pk]),
        {"reason": "One more line.", "version": carried.version},
    )
    page = officer_client.get(cycle.url("1a")).content.decode()
    assert re.search(r'<input[^>]*id="id_carried_forward"[^>]*checked', page)


def test_officer_may_change_the_rating_of_a_carried_forward_position(officer_client, cycle):
    post_update(officer_client, cycle, "1b", carried_forward="on", rag="A", action="submit")
    carried = cycle.fresh("1b")
    assert (carried.rag, carried.quoted_text, carried.carried_forward) == ("A", LAST_NARRATIVES["1b"], True)


def test_position_unchanged_with_new_text_is_refused_rather_than_overwriting_it(officer_client, cycle):
    response = post_update(
        officer_client, cycle, "1a", carried_forward="on", narrative="Something new happened."
    )
    assert response.status_code == 400
    assert "untick" in response.content.decode()
    assert cycle.fresh("1a").version == 1


def test_changing_a_submitted_update_needs_a_reason(officer_client, officer, cycle):
    post_update(officer_client, cycle, "1a", rag="G", narrative="Done.", action="submit")

    response = post_update(
        officer_client, cycle, "1a", rag="A", narrative="Done, with one risk.", action="submit"
    )
    assert response.status_code == 400
    assert "Enter the reason for changing this update" in response.content.decode()
    assert "Reason for the change (optional)" not in response.content.decode()  # it is asked for, so needed
    assert "Reason for the change" in response.content.decode()
    assert cycle.fresh("1a").rag == "G"

    response = post_update(
        officer_client,
        cycle,
        "1a",
        rag="A",
        narrative="Done, with one risk.",
        action="submit",
        reason="The auditor raised a late finding.",
    )
    assert response.status_code == 302
    changed = cycle.fresh("1a")
    assert (changed.rag, changed.status) == ("A", AssessmentStatus.SUBMITTED)
    latest = changed.history.latest()
    assert latest.history_change_reason == "The auditor raised a late finding."
    assert latest.history_user == officer


def test_changing_an_approved_update_sends_it_back_to_the_lead_director(officer_client, cycle, lead_director):
    post_update(officer_client, cycle, "1a", rag="G", narrative="Done.", action="submit")
    services.assessment_approve(
        assessment=cycle.fresh("1a"), by=lead_director, expected_version=cycle.fresh("1a").version
    )
    assert cycle.fresh("1a").status == AssessmentStatus.APPROVED

    # Saving a draft over it is refused; withdrawing is the deliberate step that takes it back.
    refused = post_update(
        officer_client, cycle, "1a", rag="G", narrative="Done. Evidence filed.", reason="Added evidence."
    )
    assert refused.status_code == 400
    assert "withdraw it to edit it first" in html.unescape(refused.content.decode())
    assert cycle.fresh("1a").status == AssessmentStatus.APPROVED
    officer_client.post(
        reverse("outcomes:assessment_withdraw", args=[cycle.fresh("1a").pk]),
        {"reason": "Added evidence.", "version": cycle.fresh("1a").version},
    )
    assert cycle.fresh("1a").status == AssessmentStatus.DRAFT

    post_update(officer_client, cycle, "1a", rag="G", narrative="Done. Evidence filed.", action="submit")
    assert cycle.fresh("1a").status == AssessmentStatus.SUBMITTED


def test_a_save_that_changes_nothing_is_not_a_new_version(officer_client, cycle):
    post_update(officer_client, cycle, "1a", rag="A", narrative="Some progress.")
    saved = cycle.fresh("1a")
    history_count = saved.history.count()

    response = post_update(officer_client, cycle, "1a", rag="A", narrative="Some progress.\r\n")
    assert response.status_code == 302

    again = cycle.fresh("1a")
    assert again.version == saved.version
    assert again.history.count() == history_count


def test_returned_update_shows_the_lead_directors_comment(officer_client, cycle, lead_director):
    post_update(officer_client, cycle, "1a", rag="G", narrative="Done.", action="submit")
    services.assessment_return(
        assessment=cycle.fresh("1a"),
        by=lead_director,
        comment="Please add the committee date.",
        expected_version=cycle.fresh("1a").version,
    )

    body = officer_client.get(cycle.url("1a")).content.decode()
    assert "Returned by the Lead Director" in body
    assert "Please add the committee date." in body

    listing = officer_client.get(reverse("outcomes:my_updates")).content.decode()
    assert "Returned" in listing


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"action": "submit", "narrative": "Progress."}, "Choose a RAG rating before submitting"),
        ({"rag": "X", "narrative": "Progress."}, "Choose Red, Amber or Green"),
        ({"narrative": "x" * (NARRATIVE_MAX_LENGTH + 1)}, "must be 10,000 characters or fewer"),
        ({"action": "publish"}, "Choose whether to save a draft or submit"),
        ({"version": "abc"}, "version number was not valid"),
        ({"version": None}, "missing its version number"),
    ],
    ids=["no-rag", "rag-X", "narrative-too-long", "unknown-action", "bad-version", "no-version"],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(officer_client, cycle, fields, message):
    history_before = cycle.fresh("1a").history.count()

    response = post_update(officer_client, cycle, "1a", **fields)

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert cycle.fresh("1a").version == 1
    assert cycle.fresh("1a").history.count() == history_before


def test_unknown_ids_are_not_found(officer_client, cycle):
    assert officer_client.get(reverse("outcomes:assessment_edit", args=[999_999])).status_code == 404
    response = officer_client.post(
        reverse("outcomes:assessment_edit", args=[999_999]), {"rag": "G", "narrative": "x", "version": 1}
    )
    assert response.status_code == 404
    assert officer_client.get(reverse("outcomes:criterion_history", args=[999_999])).status_code == 404


def test_a_post_without_the_csrf_token_is_refused(officer, cycle):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(
        cycle.url("1a"), {"rag": "G", "narrative": "Forged.", "version": 1, "action": "submit"}
    )
    assert response.status_code == 403
    assert cycle.fresh("1a").narrative == ""


# --------------------------------------------------------------------------- closed and published periods


@pytest.mark.parametrize("state", [PeriodState.CLOSED, PeriodState.PUBLISHED])
@pytest.mark.parametrize(
    "fields",
    [
        {"rag": "G", "narrative": "Late update.", "action": "submit"},
        {"rag": "G", "narrative": "Late draft."},
        {"carried_forward": "on", "action": "submit"},
        {"rag": "R", "narrative": "With a reason.", "reason": "Correction.", "action": "submit"},
    ],
    ids=["submit", "draft", "carry-forward", "with-reason"],
)
def test_officers_cannot_change_updates_in_a_closed_or_published_period(
    officer_client, officer, lead_director, state, fields
):
    cycle = Cycle(officer=officer, director=lead_director, state=state)

    response = post_update(officer_client, cycle, "1a", **fields)

    assert response.status_code == 409
    assert "can no longer be changed" in response.content.decode()
    unchanged = cycle.fresh("1a")
    assert (unchanged.rag, unchanged.narrative, unchanged.version) == ("", "", 1)


def test_the_service_itself_refuses_edits_to_a_closed_period(officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director, state=PeriodState.CLOSED)
    with pytest.raises(PeriodClosed):
        services.assessment_submit(
            assessment=cycle.fresh("1a"), by=officer, rag="G", narrative="Late.", expected_version=1
        )
    assert cycle.fresh("1a").version == 1


def test_a_closed_period_shows_the_update_read_only(officer_client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director, state=PeriodState.CLOSED)
    body = officer_client.get(cycle.url("1a")).content.decode()
    assert "can no longer be changed" in body
    assert 'name="narrative"' not in body


def test_a_long_reason_is_kept_whole_in_the_history(officer_client, cycle):
    post_update(officer_client, cycle, "1a", rag="G", narrative="Done.", action="submit")
    reason = "The external auditor's late finding changes the position. " * 30  # about 1,800 characters

    response = post_update(
        officer_client, cycle, "1a", rag="A", narrative="Done, with a risk.", action="submit", reason=reason
    )

    assert response.status_code == 302
    assert cycle.fresh("1a").history.latest().history_change_reason == reason.strip()


# --------------------------------------------------------------------------- quoting last period's assessment

QUOTE_LABEL = "Quote last period's assessment beneath mine"


def test_officer_quotes_last_periods_assessment_beneath_theirs_and_the_report_prints_it(
    officer_client, officer, cycle, lead_director
):
    page = html.unescape(officer_client.get(cycle.url("1a")).content.decode())
    assert QUOTE_LABEL in page

    response = post_update(
        officer_client,
        cycle,
        "1a",
        rag="G",
        narrative="The committee met twice more and cleared the actions.",
        quotes_previous="on",
        action="submit",
    )

    assert response.status_code == 302
    saved = cycle.fresh("1a")
    assert (saved.narrative, saved.quotes_previous, saved.carried_forward, saved.status) == (
        "The committee met twice more and cleared the actions.",
        True,
        False,
        AssessmentStatus.SUBMITTED,
    )
    # Last period's text is stored apart, beneath the officer's words, never in place of them.
    assert LAST_NARRATIVES["1a"] not in saved.narrative
    assert saved.quoted_text == LAST_NARRATIVES["1a"]
    latest = saved.history.latest()
    assert (latest.history_user, latest.quotes_previous) == (officer, True)

    services.assessment_approve(assessment=saved, by=lead_director, expected_version=saved.version)
    report = report_build(period=cycle.period)
    row = next(row for row in report.criteria if row.reference == "1a")
    assert (row.assessment, row.quoted_previous) == (saved.narrative, LAST_NARRATIVES["1a"])
    document = html.unescape(report_render(report, format="html").decode())
    mine = document.index(saved.narrative)
    label = document.index("From the last report (Quarter to December 2024):", mine)
    assert document.index(LAST_NARRATIVES["1a"], label) > label
    # Withdrawn to edit, the update page has the box still ticked.
    officer_client.post(
        reverse("outcomes:assessment_withdraw", args=[saved.pk]),
        {"reason": "One more line.", "version": cycle.fresh("1a").version},
    )
    page = officer_client.get(cycle.url("1a")).content.decode()
    assert re.search(r'<input[^>]*id="id_quotes_previous"[^>]*checked', page)


def test_ticking_or_unticking_the_quote_alone_is_a_change(officer_client, cycle):
    post_update(officer_client, cycle, "1a", rag="A", narrative="Some progress.")
    first = cycle.fresh("1a")

    post_update(officer_client, cycle, "1a", rag="A", narrative="Some progress.", quotes_previous="on")
    quoted = cycle.fresh("1a")
    post_update(officer_client, cycle, "1a", rag="A", narrative="Some progress.")
    unquoted = cycle.fresh("1a")

    assert (first.quotes_previous, quoted.quotes_previous, unquoted.quotes_previous) == (False, True, False)
    assert (quoted.version, unquoted.version) == (first.version + 1, first.version + 2)


def test_quoting_and_position_unchanged_together_are_refused_and_nothing_is_saved(officer_client, cycle):
    response = post_update(
        officer_client, cycle, "1a", carried_forward="on", quotes_previous="on", action="submit"
    )

    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "There is a problem" in body
    assert 'href="#id_quotes_previous"' in body
    assert "not both" in body
    assert cycle.fresh("1a").version == 1


def test_the_quote_is_offered_only_when_last_period_has_an_assessment(officer_client, officer, cycle):
    Assessment.objects.filter(period=cycle.last, criterion=cycle.criteria["1b"]).update(narrative="")

    page = html.unescape(officer_client.get(cycle.url("1b")).content.decode())
    assert QUOTE_LABEL not in page

    # A stale page that still posts the box saves nothing to quote.
    post_update(officer_client, cycle, "1b", rag="A", narrative="New work.", quotes_previous="on")
    assert cycle.fresh("1b").quotes_previous is False
    # The service refuses it too, for callers that skip the form.
    with pytest.raises(InvalidTransition, match="no assessment from the last report to quote"):
        services.assessment_save_draft(
            assessment=cycle.fresh("1b"),
            by=officer,
            rag="A",
            narrative="New work.",
            quotes_previous=True,
            expected_version=cycle.fresh("1b").version,
        )


def test_a_stale_quote_keeps_the_officers_choice_on_the_conflict_page(officer_client, officer, cycle):
    post_update(officer_client, cycle, "1a", rag="A", narrative="Saved first elsewhere.")

    response = post_update(
        officer_client,
        cycle,
        "1a",
        rag="G",
        narrative="My newer text.",
        quotes_previous="on",
        version=1,
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert re.search(r'<input[^>]*id="id_quotes_previous"[^>]*checked', body)
    assert "From the last report (Quarter to December 2024):" in body
    assert cycle.fresh("1a").narrative == "Saved first elsewhere."
