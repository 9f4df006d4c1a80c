"""A Lead Director signs off the outcomes they lead; the Programme Office watches completion."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outcomes import services
from outcomes.models import AssessmentStatus, PeriodState
from tests.scenarios import LAST_NARRATIVES, Cycle


@pytest.fixture
def director_client(client, lead_director):
    client.force_login(lead_director)
    return client


def submit(cycle: Cycle, ref: str, *, rag="G", narrative="Work complete.", carried_forward=False):
    assessment = cycle.fresh(ref)
    owner = assessment.criterion.owner
    return services.assessment_submit(
        assessment=assessment,
        by=owner,
        rag=rag,
        narrative=narrative,
        carried_forward=carried_forward,
        expected_version=assessment.version,
    )


def outcome_url(cycle: Cycle, number: int = 1) -> str:
    return reverse("outcomes:signoff_outcome", args=[cycle.period.slug, cycle.outcomes[number].pk])


def test_signoff_lists_the_outcomes_i_lead_with_what_is_waiting(director_client, cycle):
    submit(cycle, "1a")

    response = director_client.get(reverse("outcomes:signoff"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Quarter to March 2025" in body
    assert "1. Good governance" in body
    assert "Effective scrutiny" not in body  # led by someone else
    assert outcome_url(cycle) in body


def test_updates_are_shown_side_by_side_with_last_period(director_client, cycle):
    submit(cycle, "1a", rag="G", narrative="The statement was published in March.")
    submit(cycle, "1b", carried_forward=True, rag="")

    response = director_client.get(outcome_url(cycle))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Last period: Quarter to December 2024" in body
    assert LAST_NARRATIVES["1a"] in body
    assert "The statement was published in March." in body
    assert "Improved" in body  # Amber → Green
    assert "Carried forward from Quarter to December 2024" in body  # 1b, marked as such
    assert reverse("outcomes:criterion_history", args=[cycle.criteria["1a"].pk]) in body
    assert reverse("outcomes:assessment_approve", args=[cycle.assessments["1a"].pk]) in body


def test_lead_director_approves_a_submitted_update(director_client, lead_director, cycle):
    submitted = submit(cycle, "1a")

    response = director_client.post(
        reverse("outcomes:assessment_approve", args=[submitted.pk]), {"version": submitted.version}
    )

    assert response.status_code == 302
    approved = cycle.fresh("1a")
    assert approved.status == AssessmentStatus.APPROVED
    assert approved.history.latest().history_user == lead_director


def test_lead_director_returns_an_update_with_a_comment_the_officer_sees(
    director_client, client, officer, lead_director, cycle
):
    submitted = submit(cycle, "1a")
    url = reverse("outcomes:assessment_return", args=[submitted.pk])
    assert director_client.get(url).status_code == 200

    response = director_client.post(
        url, {"comment": "Say when the committee met.", "version": submitted.version}
    )

    assert response.status_code == 302
    returned = cycle.fresh("1a")
    assert returned.status == AssessmentStatus.RETURNED
    assert returned.return_comment == "Say when the committee met."
    assert returned.history.latest().history_change_reason == "Say when the committee met."

    client.force_login(officer)
    assert "Say when the committee met." in client.get(cycle.url("1a")).content.decode()


def test_returning_needs_a_comment(director_client, cycle):
    submitted = submit(cycle, "1a")
    response = director_client.post(
        reverse("outcomes:assessment_return", args=[submitted.pk]),
        {"comment": "  ", "version": submitted.version},
    )
    assert response.status_code == 400
    assert "Enter a comment telling the officer what to change" in response.content.decode()
    assert cycle.fresh("1a").status == AssessmentStatus.SUBMITTED


def test_a_draft_cannot_be_approved(director_client, cycle):
    assessment = cycle.fresh("1a")
    response = director_client.post(
        reverse("outcomes:assessment_approve", args=[assessment.pk]), {"version": assessment.version}
    )
    assert response.status_code == 409
    assert "cannot be approved: it is not started, not submitted" in response.content.decode()
    assert cycle.fresh("1a").status == AssessmentStatus.NOT_STARTED


def test_approving_an_update_changed_since_the_page_loaded_is_refused(director_client, cycle, officer):
    loaded = submit(cycle, "1a")
    services.assessment_submit(
        assessment=loaded,
        by=officer,
        rag="R",
        narrative="A new risk emerged.",
        expected_version=loaded.version,
        reason="New risk.",
    )

    response = director_client.post(
        reverse("outcomes:assessment_approve", args=[loaded.pk]), {"version": loaded.version}
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert "1a was changed since you opened this page" in body
    assert "A new risk emerged." in body  # the page shows the update as it is now
    assert cycle.fresh("1a").status == AssessmentStatus.SUBMITTED


def test_lead_director_cannot_act_on_an_outcome_they_do_not_lead(director_client, cycle):
    other = submit(cycle, "2a")
    summary = cycle.summary(2)

    assert director_client.get(outcome_url(cycle, 2)).status_code == 403
    assert (
        director_client.post(
            reverse("outcomes:assessment_approve", args=[other.pk]), {"version": other.version}
        )
    ).status_code == 403
    assert (
        director_client.post(
            reverse("outcomes:assessment_return", args=[other.pk]),
            {"comment": "No.", "version": other.version},
        )
    ).status_code == 403
    assert (
        director_client.post(outcome_url(cycle, 2), {"text": "Forged summary.", "version": summary.version})
    ).status_code == 403

    assert cycle.fresh("2a").status == AssessmentStatus.SUBMITTED
    assert cycle.summary(2).text == ""


def test_lead_director_writes_the_summary(director_client, lead_director, cycle):
    summary = cycle.summary(1)

    response = director_client.post(outcome_url(cycle), {"text": "Governance is improving.", "version": 1})

    assert response.status_code == 302
    saved = cycle.summary(1)
    assert (saved.text, saved.version, saved.updated_by) == ("Governance is improving.", 2, lead_director)
    assert saved.history.latest().history_user == lead_director
    assert summary.history.count() == 2

    director_client.post(outcome_url(cycle), {"text": "Governance is improving.", "version": 2})
    assert cycle.summary(1).version == 2  # nothing changed, no new version


def test_a_stale_summary_save_keeps_both_texts(director_client, lead_director, cycle):
    services.outcome_summary_save(
        summary=cycle.summary(1), by=lead_director, text="Saved elsewhere.", expected_version=1
    )

    response = director_client.post(outcome_url(cycle), {"text": "Typed here.", "version": 1})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Saved elsewhere." in body and "Typed here." in body
    assert 'name="version" value="2"' in body
    assert cycle.summary(1).text == "Saved elsewhere."


def test_summary_over_the_limit_is_refused(director_client, cycle):
    response = director_client.post(outcome_url(cycle), {"text": "x" * 10_001, "version": 1})
    assert response.status_code == 400
    assert "The summary must be 10,000 characters or fewer" in response.content.decode()
    assert cycle.summary(1).version == 1


def test_in_a_closed_period_lead_directors_approve_but_cannot_return(director_client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    first, second = submit(cycle, "1a"), submit(cycle, "1b")
    cycle.period.state = PeriodState.CLOSED
    cycle.period.save()

    approve = director_client.post(
        reverse("outcomes:assessment_approve", args=[first.pk]), {"version": first.version}
    )
    assert approve.status_code == 302
    assert cycle.fresh("1a").status == AssessmentStatus.APPROVED

    refused = director_client.post(
        reverse("outcomes:assessment_return", args=[second.pk]),
        {"comment": "Redo.", "version": second.version},
    )
    assert refused.status_code == 409
    assert "officer could not act on a returned update" in refused.content.decode()
    assert cycle.fresh("1b").status == AssessmentStatus.SUBMITTED


def test_a_published_period_is_read_only_for_lead_directors(director_client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    submitted = submit(cycle, "1a")
    cycle.period.state = PeriodState.PUBLISHED
    cycle.period.save()

    page = director_client.get(outcome_url(cycle))
    assert page.status_code == 200
    assert "official record" in page.content.decode()
    assert 'name="text"' not in page.content.decode()

    response = director_client.post(
        reverse("outcomes:assessment_approve", args=[submitted.pk]), {"version": submitted.version}
    )
    assert response.status_code == 409
    assert cycle.fresh("1a").status == AssessmentStatus.SUBMITTED
    summary = director_client.post(outcome_url(cycle), {"text": "Too late.", "version": 1})
    assert summary.status_code == 409
    assert cycle.summary(1).text == ""


# --------------------------------------------------------------------------- Programme Office: completion


def test_programme_office_sees_completion_and_who_has_not_submitted(client, programme_office, cycle):
    submit(cycle, "1a")
    client.force_login(programme_office)

    response = client.get(reverse("outcomes:completion", args=[cycle.period.slug]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "1 of 3 submitted or approved" in body.replace('</span> <span class="app-stat__label">', " ")
    assert cycle.officer.get_full_name() in body  # still owes 1b
    assert cycle.other_officer.get_full_name() in body  # owes 2a
    assert "Criterion 1b is met." in body and "Criterion 2a is met." in body
    assert "Criterion 1a is met." not in body  # submitted
    assert "Email a reminder to everyone listed" in body


@pytest.mark.parametrize("role_fixture", ["officer", "lead_director", "commissioner", "democratic_services"])
def test_completion_is_for_the_programme_office(client, request, cycle, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse("outcomes:completion", args=[cycle.period.slug])).status_code == 403
