"""The outcome-and-period page and the metric pages cost the same at 12 outcomes and at 1,200."""

import pytest
from django.urls import reverse

from outcomes.models import Metric, Outcome
from outcomes.scale import build_synthetic_plan

# Every page: session, user, the user's groups, and the organisation name in the layout.
OUTCOME_PAGE_QUERIES = 15  # + period, outcome, assessments, evidence, its items, measures, readable
#                            periods, metrics, their values, publication decision, judgement
METRIC_LIBRARY_QUERIES = 7  # + readable periods, metrics, values in the period
METRIC_PAGE_QUERIES = 8  # + metric, readable periods, values, criteria

SIZES = [pytest.param(1, id="12-outcomes"), pytest.param(100, id="1200-outcomes", marks=pytest.mark.slow)]


def _get(client, url, expected, django_assert_num_queries):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("factor", SIZES)
def test_the_outcome_page_runs_a_fixed_number_of_queries(
    client, commissioner, django_assert_num_queries, factor
):
    plan = build_synthetic_plan(factor=factor, periods=4)
    client.force_login(commissioner)
    outcome = Outcome.objects.filter(plan=plan).order_by("-number").first()
    url = reverse("reporting:outcome_period", args=[outcome.pk, f"{plan.slug}-p03"])
    response = _get(client, url, OUTCOME_PAGE_QUERIES, django_assert_num_queries)
    page = response.context["page"]
    assert len(page.measures) == 2 and all(row.evidence for row in page.measures)
    assert len(page.metrics) == 1 and len(page.metrics[0].points) == 3


@pytest.mark.parametrize("factor", SIZES)
def test_the_metric_pages_run_a_fixed_number_of_queries(
    client, commissioner, django_assert_num_queries, factor
):
    plan = build_synthetic_plan(factor=factor, periods=4)
    client.force_login(commissioner)
    response = _get(
        client, reverse("reporting:metric_library"), METRIC_LIBRARY_QUERIES, django_assert_num_queries
    )
    assert len(response.context["library"].rows) == 12 * factor
    assert all(row.point is not None for row in response.context["library"].rows)
    metric = Metric.objects.filter(plan=plan).order_by("-pk").first()
    response = _get(
        client,
        reverse("reporting:metric_detail", args=[metric.pk]),
        METRIC_PAGE_QUERIES,
        django_assert_num_queries,
    )
    assert len(response.context["row"].points) == 4
