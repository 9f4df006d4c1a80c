"""The update cycle's pages run a fixed number of queries however big the plan or the officer's load.

Measured on a synthetic plan of 61 criteria (an officer owning 10) and one of 6,100 (an officer
owning 500): the same count at both sizes, or an N+1 has crept in.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from outcomes.models import Assessment, Outcome, PeriodState, ReportingPeriod, SuccessCriterion
from outcomes.scale import build_synthetic_plan
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A page's whole request, sign-in and navigation included, stays under this.
MAX_QUERIES = 15


def load(factor: int, owned: int) -> dict:
    """A synthetic plan, its last period open; one officer owns `owned` criteria, one director leads all."""
    plan = build_synthetic_plan(factor=factor, periods=2, slug=f"qc-x{factor}")
    officer = UserFactory(role=Role.OFFICER, username=f"qc-officer-{factor}")
    director = UserFactory(role=Role.LEAD_DIRECTOR, username=f"qc-director-{factor}")
    criteria = SuccessCriterion.objects.filter(outcome__plan=plan).order_by("pk")
    SuccessCriterion.objects.filter(pk__in=list(criteria.values_list("pk", flat=True)[:owned])).update(
        owner=officer
    )
    Outcome.objects.filter(plan=plan).update(lead_director=director)
    period = ReportingPeriod.objects.get(plan=plan, state=PeriodState.OPEN)
    assessment = Assessment.objects.filter(period=period, criterion__owner=officer).first()
    biggest = Outcome.objects.filter(plan=plan).order_by("-number").first()
    return {
        "plan": plan,
        "officer": officer,
        "director": director,
        "period": period,
        "assessment": assessment,
        "outcome": biggest,
        "criterion_count": criteria.count(),
    }


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.slow  # builds 6,100 criteria
def test_my_updates_and_the_update_page_use_the_same_queries_at_10_and_500_criteria(
    client, django_assert_num_queries
):
    small = load(factor=1, owned=10)
    large = load(factor=100, owned=500)
    assert (small["criterion_count"], large["criterion_count"]) == (61, 6_100)

    client.force_login(small["officer"])
    my_updates_small = count_queries(client, reverse("outcomes:my_updates"))
    update_small = count_queries(client, reverse("outcomes:assessment_edit", args=[small["assessment"].pk]))
    assert my_updates_small <= MAX_QUERIES and update_small <= MAX_QUERIES

    client.force_login(large["officer"])
    with django_assert_num_queries(my_updates_small):
        response = client.get(reverse("outcomes:my_updates"))
    assert response.content.decode().count(">Update<span") == 500
    with django_assert_num_queries(update_small):
        client.get(reverse("outcomes:assessment_edit", args=[large["assessment"].pk]))


@pytest.mark.slow  # builds 6,100 criteria
def test_sign_off_completion_and_history_use_the_same_queries_at_61_and_6100_criteria(
    client, django_assert_num_queries
):
    sizes = [load(factor=1, owned=10), load(factor=100, owned=500)]
    counts = []
    for data in sizes:
        period, outcome = data["period"], data["outcome"]
        client.force_login(data["director"])
        signoff = count_queries(client, reverse("outcomes:signoff"))
        outcome_page = count_queries(
            client, reverse("outcomes:signoff_outcome", args=[period.slug, outcome.pk])
        )
        client.force_login(
            UserFactory(role=Role.PROGRAMME_OFFICE, username=f"qc-po-{data['criterion_count']}")
        )
        completion = count_queries(client, reverse("outcomes:completion", args=[period.slug]))
        history = count_queries(
            client, reverse("outcomes:criterion_history", args=[data["assessment"].criterion_id])
        )
        counts.append((signoff, outcome_page, completion, history))
    assert counts[0] == counts[1]
    assert max(counts[0]) <= MAX_QUERIES
