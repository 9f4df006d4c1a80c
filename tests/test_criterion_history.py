"""A criterion's history: every change made through the pages, with who, when, old → new RAG, the
narrative's changes word by word, the reason given and the status change, grouped by period."""

from __future__ import annotations

from django.urls import reverse

from outcomes import services
from outcomes.history import criterion_timeline, narrative_diff
from outcomes.models import SuccessCriterion
from tests.scenarios import LAST_NARRATIVES, Cycle, post_update

ARROW = ' <span aria-hidden="true">→</span><span class="govuk-visually-hidden"> changed to</span> '
GREEN = 'app-rag--green">G<span class="govuk-visually-hidden"> Green</span>'


def history_url(cycle: Cycle, ref: str = "1a") -> str:
    return reverse("outcomes:criterion_history", args=[cycle.criteria[ref].pk])


def test_history_shows_every_change_made_through_the_pages_with_user_and_reason(
    client, officer, lead_director, programme_office, cycle
):
    client.force_login(officer)
    post_update(client, cycle, "1a", rag="A", narrative="Two of the five actions are complete.")
    post_update(client, cycle, "1a", rag="G", narrative="All five actions are complete.", action="submit")
    client.force_login(lead_director)
    assessment = cycle.fresh("1a")
    client.post(
        reverse("outcomes:assessment_return", args=[assessment.pk]),
        {"comment": "Name the committee that agreed them.", "version": assessment.version},
    )
    client.force_login(officer)
    post_update(
        client,
        cycle,
        "1a",
        rag="G",
        narrative="All five actions are complete; audit committee agreed them.",
        action="submit",
    )
    client.force_login(lead_director)
    assessment = cycle.fresh("1a")
    client.post(reverse("outcomes:assessment_approve", args=[assessment.pk]), {"version": assessment.version})
    client.force_login(officer)
    post_update(
        client,
        cycle,
        "1a",
        rag="A",
        narrative="All five actions are complete; audit committee agreed them.",
        action="submit",
        reason="External audit found a gap after approval.",
    )

    client.force_login(programme_office)
    response = client.get(history_url(cycle))

    assert response.status_code == 200
    body = response.content.decode()
    officer_name, director_name = officer.get_full_name(), lead_director.get_full_name()
    for action in ("Draft saved", "Submitted", "Returned to the officer", "Approved", "Resubmitted"):
        assert action in body, action
    assert body.count(officer_name) >= 4 and body.count(director_name) >= 2
    assert "Name the committee that agreed them." in body  # the return comment
    assert "External audit found a gap after approval." in body  # the reason
    assert f"Approved{ARROW}Submitted" in body  # status change
    # old → new RAG: Green back to Amber, letter and word
    assert f'{GREEN}</strong>{ARROW}<strong class="govuk-tag app-rag app-rag--amber">' in body
    # the narrative's changes, word by word
    assert "<del>Two of the</del><ins>All</ins> five actions are complete." in body
    assert (
        "All five actions are <del>complete.</del><ins>complete; audit committee agreed them.</ins>" in body
    )
    assert 'class="govuk-body app-diff"' in body
    # and last period, grouped separately
    assert "Quarter to March 2025" in body and "Quarter to December 2024" in body
    assert body.index("Quarter to March 2025") < body.index("Quarter to December 2024")
    assert LAST_NARRATIVES["1a"] in body


def test_a_period_reopened_with_a_reason_appears_in_its_criteria_histories(
    client, programme_office, cycle, monkeypatch
):
    monkeypatch.setattr(services, "_publication_blockers", lambda period: [])
    services.period_close(period=cycle.period, by=programme_office)
    services.period_publish(period=cycle.period, by=programme_office)
    services.period_reopen(period=cycle.period, by=programme_office, reason="Outcome 1 needs a correction.")
    client.force_login(programme_office)

    body = client.get(history_url(cycle)).content.decode()

    assert "Period published" in body
    assert "Period re-opened" in body
    assert "Outcome 1 needs a correction." in body


def test_officers_see_drafts_only_in_their_own_criteria_histories(client, officer, cycle):
    client.force_login(officer)
    post_update(client, cycle, "1a", rag="R", narrative="A private draft.")

    own = client.get(history_url(cycle, "1a")).content.decode()
    assert "A private draft." in own

    client.force_login(cycle.other_officer)
    other = client.get(history_url(cycle, "1a"))
    assert other.status_code == 200
    body = other.content.decode()
    assert "A private draft." not in body
    assert "1 period is not yet published" in body
    assert LAST_NARRATIVES["1a"] in body  # published periods are everyone's to read


def test_history_is_linked_wherever_the_criterion_appears(
    client, officer, lead_director, programme_office, cycle
):
    services.assessment_submit(
        assessment=cycle.fresh("1a"), by=officer, rag="G", narrative="Done.", expected_version=1
    )
    link = history_url(cycle)
    client.force_login(officer)
    assert link in client.get(reverse("outcomes:my_updates")).content.decode()
    assert link in client.get(cycle.url("1a")).content.decode()
    client.force_login(lead_director)
    signoff = reverse("outcomes:signoff_outcome", args=[cycle.period.slug, cycle.outcomes[1].pk])
    assert link in client.get(signoff).content.decode()
    client.force_login(programme_office)
    assert (
        history_url(cycle, "1b")
        in client.get(reverse("outcomes:completion", args=[cycle.period.slug])).content.decode()
    )


def test_narrative_diff_is_word_level_and_escapes_what_people_wrote():
    diff = narrative_diff("The <b>board</b> met in May.", "The <b>board</b> met in June & agreed.")
    assert diff == ("The &lt;b&gt;board&lt;/b&gt; met in <del>May.</del><ins>June &amp; agreed.</ins>")
    assert narrative_diff("one\ntwo", "one\nthree") == "one<br><del>two</del><ins>three</ins>"


def test_history_of_a_thurrock_criterion_shows_both_reported_periods(client, commissioner, thurrock):
    criterion = SuccessCriterion.objects.get(outcome__plan=thurrock, outcome__number=4, letter="b")
    client.force_login(commissioner)

    response = client.get(reverse("outcomes:criterion_history", args=[criterion.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "History of 4b" in body
    assert "Quarter to September 2024" in body and "Quarter to December 2024" in body


def test_timeline_queries_do_not_grow_with_the_number_of_edits(officer, cycle, django_assert_num_queries):
    criterion = SuccessCriterion.objects.select_related("outcome").get(pk=cycle.criteria["1a"].pk)
    with django_assert_num_queries(4):
        few = criterion_timeline(criterion=criterion)
    for number in range(30):
        assessment = cycle.fresh("1a")
        services.assessment_save_draft(
            assessment=assessment,
            by=officer,
            rag="RAG"[number % 3],
            narrative=f"Edit number {number}.",
            expected_version=assessment.version,
        )
    with django_assert_num_queries(4):
        many = criterion_timeline(criterion=criterion)
    assert len(many.periods[0].entries) == len(few.periods[0].entries) + 30
