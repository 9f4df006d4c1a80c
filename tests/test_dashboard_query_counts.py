"""The dashboard, Directions view and criteria list cost the same at 61 and at 6,100 criteria.

`build_synthetic_plan(factor=1)` is the reference framework (12 outcomes, 61 criteria);
factor 100 is 1,200 outcomes and 6,100 criteria. Two periods, the second open, so every
part of the dashboard runs (movement since last period, completion of the open period).
"""

import pytest
from django.test import TestCase

from outcomes.scale import build_synthetic_plan

# Every page: session, user, the user's groups, and the organisation name in the layout.
DASHBOARD_QUERIES = (
    18  # + the generations of the three parts kept apart (one query), periods, R/A/G per
    #     period, movement scan, listed rows, bars, status, criteria,
    #     the commissioners' judgements and their publication decision,
    #     and the delivery panel: plan in force, status labels, milestones, top risks
)
# The open quarter's completion (two counts), kept once counted until that quarter's data moves on.
COMPLETION_QUERIES = 2
# The delivery panel, kept once counted until shared data (milestones, risks) moves on.
DELIVERY_PANEL_QUERIES = 4
DIRECTIONS_QUERIES = 13  # + plan, Directions, priorities, workstreams, objectives, their Directions
#                          and outcomes, latest period, per-outcome counts
DIRECTION_PAGE_QUERIES = 15  # the matrix's, plus the Direction itself and action-plan actions
PLAN_EXPLORER_QUERIES = 17  # + the plan, its structure and ratings totals (the period and one
#                               count per outcome), themes, claims, assurance approaches, lead people
# A list not kept yet: + periods, the plan's data generation, the period's (its periods, their
# counters), page count, page rows, and the layout's organisation once more for the kept part.
CRITERIA_QUERIES = 11
CRITERIA_KEPT_QUERIES = 8  # the same list again: kept until the data moves on, no count or rows
# The first list after a change also reads the five lists of the filters' choices.
CRITERIA_FIRST_QUERIES = CRITERIA_QUERIES + 5
# Asking: the filters' kept choices and the key; the worker: all rows in one query, then the
# deletion of files it supersedes.
CRITERIA_EXPORT_QUERIES = 21
CRITERIA_DOWNLOAD_QUERIES = 8  # the filters' kept choices and the stored file's row

SIZES = [pytest.param(1, id="61-criteria"), pytest.param(100, id="6100-criteria", marks=pytest.mark.slow)]


def _plan(factor: int):
    return build_synthetic_plan(factor=factor, periods=2)


def _main(response) -> bytes:
    """The page's own content, without the header's sign-out token, which differs every time."""
    return response.content.split(b'id="main-content"', 1)[1].split(b"</main>", 1)[0]


def _get(client, url, expected, django_assert_num_queries):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("factor", SIZES)
def test_dashboard_runs_a_fixed_number_of_queries(client, commissioner, django_assert_num_queries, factor):
    plan = _plan(factor)
    client.force_login(commissioner)
    response = _get(
        client, f"/dashboard/?period={plan.slug}-p02", DASHBOARD_QUERIES, django_assert_num_queries
    )
    data = response.context["dashboard"]
    assert data.counts.total == 61 * factor
    assert response.context["completion"].criteria == 61 * factor
    assert sum(group.count for group in data.movements) <= 61 * factor
    assert len(data.reds.rows) <= data.list_limit
    # Another period's dashboard beside the same open quarter: its completion and the delivery
    # panel are kept; only its ratings are counted.
    _get(
        client,
        "/dashboard/",
        DASHBOARD_QUERIES - COMPLETION_QUERIES - DELIVERY_PANEL_QUERIES,
        django_assert_num_queries,
    )


@pytest.mark.parametrize("factor", SIZES)
def test_directions_view_runs_a_fixed_number_of_queries(
    client, commissioner, django_assert_num_queries, factor
):
    _plan(factor)
    client.force_login(commissioner)
    response = _get(client, "/directions/", DIRECTIONS_QUERIES, django_assert_num_queries)
    assert all(row.is_answered for row in response.context["matrix"].rows)
    _get(client, "/directions/C/", DIRECTION_PAGE_QUERIES, django_assert_num_queries)


@pytest.mark.parametrize("factor", SIZES)
def test_plan_explorer_with_ratings_totals_runs_a_fixed_number_of_queries(
    client, commissioner, django_assert_num_queries, factor
):
    plan = _plan(factor)
    client.force_login(commissioner)
    response = _get(client, f"/plans/{plan.slug}/", PLAN_EXPLORER_QUERIES, django_assert_num_queries)
    explorer = response.context["explorer"]
    # Every outcome is claimed, so the priorities' totals hold every criterion of the period.
    assert sum(section.counts.total for section in explorer.priorities) >= 61 * factor


@pytest.mark.parametrize("factor", SIZES)
def test_criteria_list_runs_a_fixed_number_of_queries(
    client, commissioner, django_assert_num_queries, factor
):
    plan = _plan(factor)
    client.force_login(commissioner)
    _get(client, "/criteria/", CRITERIA_FIRST_QUERIES, django_assert_num_queries)
    filtered = f"/criteria/?period={plan.slug}-p02&direction=B&movement=same&status=approved&rag=A"
    response = _get(client, filtered, CRITERIA_QUERIES, django_assert_num_queries)
    assert response.context["page"].paginator.count > 0
    again = _get(client, filtered, CRITERIA_KEPT_QUERIES, django_assert_num_queries)
    assert _main(again) == _main(response)
    # Its file: asked for, prepared by the worker (all rows in one query) and downloaded.
    asking = filtered.replace("/criteria/?", "/criteria/export.csv?")
    with django_assert_num_queries(CRITERIA_EXPORT_QUERIES), TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(asking).status_code == 302
    with django_assert_num_queries(CRITERIA_DOWNLOAD_QUERIES):
        assert client.get(asking.replace("/export.", "/download.")).status_code == 200
    # Searching and sorting are done in the same page query.
    for sort in ("rag", "-movement", "owner"):
        searched = f"/criteria/?period={plan.slug}-p02&q=AUDIT&sort={sort}"
        response = _get(client, searched, CRITERIA_QUERIES, django_assert_num_queries)
        assert 0 < response.context["page"].paginator.count < 61 * factor


@pytest.mark.parametrize("factor", SIZES)
def test_a_repeated_dashboard_is_served_from_cache_in_fewer_queries(
    client, commissioner, django_assert_num_queries, factor
):
    build_synthetic_plan(factor=factor, periods=2, open_last_period=False)
    client.force_login(commissioner)
    client.get("/dashboard/")
    # session, user, roles, readable periods, data generation, organisation name
    _get(client, "/dashboard/", 6, django_assert_num_queries)
