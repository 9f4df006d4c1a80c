"""Hostile input on the Programme Office's metric pages and on removing evidence: whatever arrives,
the answer is a 4xx or a success, never a 5xx, markup is never reflected unescaped, and the library
keeps its rules (codes unique in the plan, tolerance a fraction, criteria of the metric's outcome).
Same pattern and budget as tests/test_evaluation_hostile_input.py."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from outcomes import evaluation_services
from outcomes.models import EvidenceItem, Metric
from tests.evaluation_fixtures import Evaluation
from tests.hostile import HOSTILE, PK, SLUG_LIKE, SignedIn, assert_fine, fields, path_part, undone


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class World(SignedIn):
    """The evaluation plan, with a signed-in client for the lead director and the Programme Office."""

    def __init__(self, *, officer, director, programme):
        self.evaluation = Evaluation(officer=officer, director=director)
        super().__init__({"director": director, "programme": programme})


@pytest.fixture
def world(officer, lead_director, programme_office):
    return World(officer=officer, director=lead_director, programme=programme_office)


def _library_keeps_its_rules() -> None:
    codes = [code.lower() for code in Metric.objects.values_list("code", flat=True)]
    assert len(codes) == len(set(codes))
    for metric in Metric.objects.prefetch_related("criteria"):
        assert 0 <= metric.tolerance <= 1
        assert all(criterion.outcome_id == metric.outcome_id for criterion in metric.criteria.all())


@HOSTILE
@given(
    target=st.one_of(st.sampled_from(["new", "GOV-01", "SCR-01"]), PK),
    plan=st.one_of(st.just("irp-test"), SLUG_LIKE),
    data=fields(
        code=["GOV-09", "GOV-01", "gov-02", "a b", ""],
        name=["Complaints answered"],
        definition=["What it counts."],
        source_system=["CRM"],
        how_obtained=["Extract."],
        owner=["Head of Service"],
        frequency=["monthly", "quarterly", "annual", "weekly", ""],
        unit=["%", "days"],
        polarity=["higher", "lower", ""],
        tolerance=["0", "0.05", "1", "1.0001", "-0", "1e-5", "NaN", "Infinity"],
        outcome=["OUTCOME-1", "OUTCOME-2", "0", ""],
        criteria=["CRITERION-1a", "CRITERION-2a", "x"],
        show_criteria=["1"],
    ),
)
def test_the_metric_form_survives_anything(world, target, plan, data):
    evaluation = world.evaluation
    # Plausible choices name this plan's outcomes and criteria by their real keys.
    keys = {f"OUTCOME-{n}": str(o.pk) for n, o in evaluation.outcomes.items()}
    keys |= {f"CRITERION-{ref}": str(c.pk) for ref, c in evaluation.criteria.items()}
    sent = {name: keys.get(value, value) if isinstance(value, str) else value for name, value in data.items()}
    if target == "new":
        url = reverse("outcomes:metric_create", args=[path_part(plan)])
    else:
        pk = evaluation.metrics[target].pk if target in evaluation.metrics else min(target, 2**31)
        url = reverse("outcomes:metric_edit", args=[pk])
    with undone():
        response = world.client("programme").post(url, sent)
        assert_fine(response, sent)
        _library_keeps_its_rules()


@HOSTILE
@given(
    item=st.one_of(st.just("mine"), PK), data=fields(confirm=["yes"]), method=st.sampled_from(["get", "post"])
)
def test_removing_evidence_survives_anything(world, item, data, method):
    evaluation = world.evaluation
    with undone():
        link = evaluation_services.evidence_link_add(
            measure=evaluation.measures[1],
            period=evaluation.period,
            by=evaluation.director,
            title="Minutes",
            url="https://example.org/m",
        )
        pk = link.pk if item == "mine" else min(item, 2**31)
        url = reverse("outcomes:evidence_item_remove", args=[pk])
        response = getattr(world.client("director"), method)(url, data)
        assert_fine(response, data)
        if pk != link.pk or method == "get":
            assert EvidenceItem.objects.filter(pk=link.pk).exists()
