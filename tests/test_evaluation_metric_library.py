"""The Programme Office keeps the metric library's definitions on a page of its own: adds a metric,
changes one, with clear messages for bad input and every change kept in history. Nobody else may."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from outcomes.models import Metric
from outcomes.scale import build_synthetic_plan

pytestmark = pytest.mark.django_db

# Session, user, the user's groups, the organisation name in the layout; then the plan (or the
# metric with its plan), its criteria (editing only), the plan's outcomes, and the chosen outcome's
# criteria for the choices (none before an outcome is chosen).
CREATE_PAGE_QUERIES = 6
EDIT_PAGE_QUERIES = 8
SHOW_CRITERIA_QUERIES = 7


def _data(evaluation, **changes) -> dict:
    data = {
        "code": "GOV-03",
        "name": "Member training completed",
        "definition": "Share of members who completed the induction programme.",
        "source_system": "Learning management system",
        "how_obtained": "Monthly extract, checked by Democratic Services.",
        "owner": "Head of Democratic Services",
        "frequency": "quarterly",
        "unit": "%",
        "polarity": "higher",
        "tolerance": "0.05",
        "outcome": evaluation.outcomes[1].pk,
        "criteria": [evaluation.criteria["1a"].pk, evaluation.criteria["1b"].pk],
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _create_url(evaluation) -> str:
    return reverse("outcomes:metric_create", args=[evaluation.plan.slug])


def test_the_programme_office_adds_a_metric_with_every_field(client, programme_office, evaluation):
    client.force_login(programme_office)
    assert client.get(_create_url(evaluation)).status_code == 200

    response = client.post(_create_url(evaluation), _data(evaluation))

    metric = Metric.objects.get(plan=evaluation.plan, code="GOV-03")
    assert response.status_code == 302 and response.url == reverse(
        "reporting:metric_detail", args=[metric.pk]
    )
    assert (metric.name, metric.source_system, metric.owner, metric.unit) == (
        "Member training completed",
        "Learning management system",
        "Head of Democratic Services",
        "%",
    )
    assert (metric.frequency, metric.polarity, metric.tolerance) == ("quarterly", "higher", Decimal("0.05"))
    assert metric.outcome == evaluation.outcomes[1]
    assert {c.reference for c in metric.criteria.all()} == {"1a", "1b"}
    added = metric.history.earliest("history_date")
    assert (added.history_type, added.history_user, added.history_change_reason) == (
        "+",
        programme_office,
        "Metric added",
    )


def test_the_programme_office_changes_a_metric_and_history_keeps_the_old_definition(
    client, programme_office, evaluation
):
    metric = evaluation.metrics["GOV-01"]
    client.force_login(programme_office)
    url = reverse("outcomes:metric_edit", args=[metric.pk])
    page = client.get(url).content.decode()
    assert 'value="GOV-01"' in page and "Audit actions closed on time" in page

    response = client.post(url, _data(evaluation, code="GOV-01", tolerance="0.2", criteria=None))

    assert response.status_code == 302
    metric.refresh_from_db()
    assert (metric.tolerance, metric.name) == (Decimal("0.2"), "Member training completed")
    history = list(metric.history.order_by("history_date"))
    assert [h.tolerance for h in history] == [Decimal("0.1"), Decimal("0.2")]
    assert history[-1].history_user == programme_office
    assert history[-1].history_change_reason == "Metric changed"


def _offered_criteria(response) -> int:
    return response.content.decode().count('name="criteria"')


def test_criteria_are_offered_once_the_outcome_is_chosen_and_what_was_typed_is_kept(
    client, programme_office, evaluation
):
    client.force_login(programme_office)
    page = client.get(_create_url(evaluation))
    assert _offered_criteria(page) == 0
    assert "Choose the outcome first" in page.content.decode()

    response = client.post(
        _create_url(evaluation), _data(evaluation, criteria=None, show_criteria="1", tolerance="")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert _offered_criteria(response) == evaluation.outcomes[1].criteria.count()
    assert "1a. " in page and "2a. " not in page
    assert 'value="GOV-03"' in page and "Member training completed" in page
    assert "There is a problem" not in page  # the empty tolerance is for when the metric is saved
    assert not Metric.objects.filter(code="GOV-03").exists()


def test_changing_a_metric_offers_its_outcome_criteria_with_its_own_ticked(
    client, programme_office, evaluation
):
    metric = evaluation.metrics["SCR-01"]
    metric.criteria.set([evaluation.criteria["2a"]])
    client.force_login(programme_office)

    response = client.get(reverse("outcomes:metric_edit", args=[metric.pk]))

    page = response.content.decode()
    assert _offered_criteria(response) == evaluation.outcomes[2].criteria.count()
    assert f'value="{evaluation.criteria["2a"].pk}" checked' in page
    assert "1a. " not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "GOV-01"}, "Another metric of this plan already has the code GOV-01"),
        ({"code": "gov-01"}, "Another metric of this plan already has the code gov-01"),
        ({"code": "GOV 01"}, "The code can only contain letters, numbers, hyphens and underscores"),
        ({"code": ""}, "Enter the code"),
        ({"name": ""}, "Enter the name"),
        ({"tolerance": "1.5"}, "The tolerance must be 1 or less"),
        ({"tolerance": "-0.1"}, "The tolerance must be 0 or more"),
        ({"tolerance": "5%"}, "Enter the tolerance as a number from 0 to 1, like 0.05"),
        ({"tolerance": "0.00001"}, "at most 4 decimal places"),
        ({"tolerance": ""}, "Enter the tolerance, from 0 to 1"),
        ({"polarity": "sideways"}, "Choose whether higher or lower is better"),
        ({"frequency": ""}, "Choose monthly, quarterly or annual"),
        ({"outcome": ""}, "Choose the outcome"),
        # Ids no database integer holds (the property test found SQLite refusing to compare them).
        ({"outcome": str(2**70)}, "Choose an outcome of this plan"),
        ({"criteria": [str(2**70)]}, "Choose success criteria of this plan"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(
    client, programme_office, evaluation, changes, message
):
    client.force_login(programme_office)
    before = sorted(Metric.objects.values_list("pk", "code", "tolerance"))

    response = client.post(_create_url(evaluation), _data(evaluation, **changes))

    assert response.status_code == 422
    assert message in response.content.decode().replace("&#x27;", "'")
    assert sorted(Metric.objects.values_list("pk", "code", "tolerance")) == before


def test_criteria_must_belong_to_the_chosen_outcome(client, programme_office, evaluation):
    client.force_login(programme_office)

    response = client.post(
        _create_url(evaluation),
        _data(evaluation, criteria=[evaluation.criteria["1a"].pk, evaluation.criteria["2a"].pk]),
    )

    assert response.status_code == 422
    assert (
        "Choose only success criteria of outcome 1: 2a belongs to another outcome"
        in response.content.decode()
    )
    assert not Metric.objects.filter(code="GOV-03").exists()


def test_an_outcome_or_criterion_of_another_plan_is_refused(client, programme_office, evaluation):
    other = build_synthetic_plan(factor=1, periods=1, slug="other")
    foreign_outcome = other.outcomes.first()
    client.force_login(programme_office)

    response = client.post(
        _create_url(evaluation), _data(evaluation, outcome=foreign_outcome.pk, criteria=None)
    )

    assert response.status_code == 422
    assert "Choose an outcome of this plan" in response.content.decode()
    foreign_criterion = foreign_outcome.criteria.first()
    response = client.post(_create_url(evaluation), _data(evaluation, criteria=[foreign_criterion.pk]))
    assert response.status_code == 422
    assert "Choose success criteria of this plan" in response.content.decode()
    assert not Metric.objects.filter(code="GOV-03").exists()


@pytest.mark.parametrize("who", ["officer", "lead_director", "commissioner", "democratic_services"])
def test_only_the_programme_office_can_add_or_change_a_metric(client, request, evaluation, who):
    client.force_login(request.getfixturevalue(who))
    metric = evaluation.metrics["GOV-01"]
    edit = reverse("outcomes:metric_edit", args=[metric.pk])

    assert client.get(_create_url(evaluation)).status_code == 403
    assert client.post(_create_url(evaluation), _data(evaluation)).status_code == 403
    assert client.get(edit).status_code == 403
    assert client.post(edit, _data(evaluation, code="GOV-01", name="Renamed")).status_code == 403
    assert not Metric.objects.filter(code="GOV-03").exists()
    metric.refresh_from_db()
    assert metric.name == "Audit actions closed on time"


def test_the_library_and_the_metric_page_link_to_the_new_pages_for_the_programme_office_only(
    client, programme_office, commissioner, evaluation
):
    metric = evaluation.metrics["GOV-01"]
    library, detail = (
        reverse("reporting:metric_library"),
        reverse("reporting:metric_detail", args=[metric.pk]),
    )
    edit = reverse("outcomes:metric_edit", args=[metric.pk])

    client.force_login(programme_office)
    assert _create_url(evaluation) in client.get(library).content.decode()
    assert edit in client.get(detail).content.decode()

    client.force_login(commissioner)
    assert _create_url(evaluation) not in client.get(library).content.decode()
    assert edit not in client.get(detail).content.decode()


@pytest.mark.parametrize(
    "factor",
    [pytest.param(1, id="12-outcomes"), pytest.param(100, id="1200-outcomes", marks=pytest.mark.slow)],
)
def test_the_metric_pages_cost_the_same_queries_at_any_size(
    client, programme_office, django_assert_num_queries, factor
):
    plan = build_synthetic_plan(factor=factor, periods=1, slug=f"m{factor}")
    metric = Metric.objects.filter(plan=plan).first()
    client.force_login(programme_office)

    with django_assert_num_queries(CREATE_PAGE_QUERIES):
        assert client.get(reverse("outcomes:metric_create", args=[plan.slug])).status_code == 200
    with django_assert_num_queries(EDIT_PAGE_QUERIES):
        response = client.get(reverse("outcomes:metric_edit", args=[metric.pk]))
    # Only the metric's outcome's criteria are offered, however many the plan holds.
    assert _offered_criteria(response) == metric.outcome.criteria.count() < 12
    with django_assert_num_queries(SHOW_CRITERIA_QUERIES):
        response = client.post(
            reverse("outcomes:metric_create", args=[plan.slug]),
            {"show_criteria": "1", "outcome": metric.outcome_id},
        )
    assert _offered_criteria(response) == metric.outcome.criteria.count()
