"""The checks page of an open quarter: findings folded into one line per criterion, grouped by outcome or
by who must act, filtered by severity and rule; each line says who must act, and the Programme Office
can chase them from it. Only links the reader can use are shown."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.people import display_name
from outcomes import services
from outcomes.models import ReminderKind, ReminderSent, ReportingPeriod
from outcomes.scale import build_synthetic_plan


def checks(client, cycle, **params):
    return client.get(reverse("outcomes:period_checks", args=[cycle.period.slug]), params)


@pytest.fixture
def po_client(client, programme_office):
    client.force_login(programme_office)
    return client


def submit(cycle, ref: str, by) -> None:
    services.assessment_submit(
        assessment=cycle.fresh(ref), by=by, rag="A", narrative="Progress made.", expected_version=1
    )


def test_findings_are_grouped_by_outcome_with_one_line_per_criterion(
    po_client, cycle, officer, lead_director
):
    page = checks(po_client, cycle).content.decode()

    assert '<h3 class="govuk-heading-m" id="group-outcome-1">Outcome 1: Good governance' in page
    assert '<h3 class="govuk-heading-m" id="group-outcome-2">Outcome 2: Effective scrutiny' in page
    assert "1a: No assessment of progress, No RAG rating, Not approved</span>" in page
    assert page.count('<span class="govuk-details__summary-text">1a:') == 1  # three findings, one line
    assert "Outcome 1: No Lead Director Summary</span>" in page
    assert f"Officer {display_name(officer)} must update it" in page
    assert f"Lead Director: {display_name(lead_director)}" in page


def test_the_programme_office_can_chase_whoever_must_act_but_gets_no_link_it_cannot_use(
    po_client, cycle, officer, lead_director
):
    submit(cycle, "1a", officer)  # now waits for its Lead Director

    page = checks(po_client, cycle).content.decode()

    assert f"Lead Director {display_name(lead_director)} must sign off" in page
    assert reverse("outcomes:chase_person", args=[cycle.period.slug, officer.pk]) in page
    assert reverse("outcomes:chase_person", args=[cycle.period.slug, lead_director.pk]) in page
    assert "Not chased yet" in page
    assert reverse("outcomes:criterion_history", args=[cycle.criteria["1a"].pk]) in page
    assert reverse("outcomes:assessment_edit", args=[cycle.assessments["1b"].pk]) not in page
    assert reverse("outcomes:signoff_outcome", args=[cycle.period.slug, cycle.outcomes[1].pk]) not in page


def test_a_lead_director_gets_the_sign_off_link_for_their_own_outcome_only_and_no_chase_button(
    client, cycle, officer, lead_director
):
    submit(cycle, "1a", officer)
    submit(cycle, "2a", cycle.other_officer)
    client.force_login(lead_director)

    page = checks(client, cycle).content.decode()

    assert reverse("outcomes:signoff_outcome", args=[cycle.period.slug, cycle.outcomes[1].pk]) in page
    assert reverse("outcomes:signoff_outcome", args=[cycle.period.slug, cycle.outcomes[2].pk]) not in page
    assert f"Lead Director {display_name(cycle.other_director)} must sign off" in page
    assert "chase/people" not in page


def test_findings_can_be_grouped_by_who_must_act(po_client, cycle, officer, lead_director):
    submit(cycle, "1a", officer)

    page = checks(po_client, cycle, group="person").content.decode()

    assert f'id="group-owner-{officer.pk}">{display_name(officer)} (Officer)' in page
    assert (
        f'id="group-lead_director-{lead_director.pk}">{display_name(lead_director)} (Lead Director)' in page
    )
    # 1a's rating and text are done; only its sign-off is left, so it appears under its director alone.
    director_part = page.split(f'id="group-lead_director-{lead_director.pk}"')[1].split("<section")[0]
    assert "1a: Not approved</span>" in director_part
    officer_part = page.split(f'id="group-owner-{officer.pk}"')[1].split("<section")[0]
    assert "1a:" not in officer_part and "1b: No assessment of progress, No RAG rating" in officer_part


def test_findings_can_be_filtered_by_severity_and_by_rule(po_client, cycle):
    only_ratings = checks(po_client, cycle, rule="missing-rag").content.decode()
    assert "1a: No RAG rating</span>" in only_ratings
    assert (
        "No Lead Director Summary"
        not in only_ratings.split('id="findings"')[1].split('id="acknowledged"')[0].split("</form>")[1]
    )
    assert "3 findings on 3 lines match your choice" in only_ratings

    only_warnings = checks(po_client, cycle, severity="warning").content.decode()
    assert "No finding that stops publication matches your choice." in only_warnings


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rule": "no-such-rule"}, "Choose a rule from the list"),
        ({"severity": "fatal"}, "Choose a severity from the list"),
        ({"group": "colour"}, "Choose whether to group findings by outcome or by who must act"),
    ],
)
def test_a_filter_value_not_offered_is_named_and_every_finding_still_shown(po_client, cycle, params, message):
    response = checks(po_client, cycle, **params)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert "1a: No assessment of progress, No RAG rating, Not approved</span>" in page


@pytest.mark.parametrize("group", ["outcome", "person"])
def test_the_checks_page_makes_the_same_number_of_queries_whatever_the_size_of_the_plan(
    db, client, programme_office, group
):
    client.force_login(programme_office)
    counts = []
    for factor in (1, 3):
        plan = build_synthetic_plan(factor=factor, periods=2)
        period = ReportingPeriod.objects.filter(plan=plan).last()
        # Some people chased already, so "last chased" is read too.
        for assessment in period.assessments.select_related("criterion__owner")[:3]:
            ReminderSent.objects.create(
                period=period,
                recipient=assessment.criterion.owner,
                kind=ReminderKind.CHASE,
                sent_by=programme_office,
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("outcomes:period_checks", args=[period.slug]), {"group": group})
        assert response.status_code == 200
        assert "Last chased" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_lead_directors_with_sign_offs_pending_can_be_chased_from_the_checks_page(
    po_client, cycle, officer, lead_director
):
    submit(cycle, "1a", officer)
    mail.outbox.clear()
    page = checks(po_client, cycle).content.decode()
    assert "Chase the 1 Lead Director with sign-offs pending" in page

    checks_url = reverse("outcomes:period_checks", args=[cycle.period.slug])
    response = po_client.post(
        reverse("outcomes:chase_lead_directors", args=[cycle.period.slug]), {"next": checks_url}
    )

    assert response.url == checks_url
    assert [message.to for message in mail.outbox] == [[lead_director.email]]


@pytest.mark.parametrize(
    "value", ["<script>alert(1)</script>", "x" * 5_000, "missing-rag\x00", "", "   "], ids=repr
)
def test_hostile_filter_values_are_refused_or_ignored_and_never_echoed_as_markup(po_client, cycle, value):
    response = checks(po_client, cycle, rule=value, severity=value)

    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "1a: No assessment of progress" in page  # every finding still shown


def test_a_lead_director_with_nothing_to_do_in_the_findings_shown_is_named_but_not_offered_for_chasing(
    po_client, cycle, lead_director
):
    page = checks(po_client, cycle, rule="missing-rag").content.decode()

    assert f"Lead Director: {display_name(lead_director)}" in page
    assert reverse("outcomes:chase_person", args=[cycle.period.slug, lead_director.pk]) not in page
