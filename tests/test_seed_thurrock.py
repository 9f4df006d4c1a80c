"""Thurrock's real plan loads faithfully from the source documents, and re-loading changes nothing."""

import datetime as dt
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import call_command

from outcomes.models import Assessment, Outcome, OutcomeSummary, ReportingPeriod, SuccessCriterion
from plans.models import Direction, Objective, Plan, Priority, Theme, ThemeWorkstream, Workstream
from tests.seed_sources.second_report import parse_second_report

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def second_report():
    return parse_second_report(next(SEEDS.glob("003_*.txt")))


def test_counts_match_the_enhanced_plan_and_the_second_report(thurrock):
    assert Direction.objects.count() == 10
    assert Priority.objects.filter(plan=thurrock).count() == 3
    assert Workstream.objects.filter(priority__plan=thurrock).count() == 7
    assert Objective.objects.filter(workstream__priority__plan=thurrock).count() == 18
    assert Outcome.objects.filter(plan=thurrock).count() == 12
    assert SuccessCriterion.objects.filter(outcome__plan=thurrock).count() == 61
    assert ReportingPeriod.objects.filter(plan=thurrock).count() == 2


def test_the_december_2022_plan_is_kept_and_superseded(thurrock):
    first = Plan.objects.get(slug="irp-2022-12")
    assert thurrock.supersedes == first
    assert Theme.objects.filter(plan=first).count() == 5
    assert ThemeWorkstream.objects.filter(theme__plan=first).count() == 13


def test_every_criterion_has_a_rag_in_both_periods(thurrock):
    for period in ReportingPeriod.objects.filter(plan=thurrock):
        rated = Assessment.objects.filter(period=period).exclude(rag="")
        assert rated.count() == 61, period


def test_loaded_ratings_and_texts_match_the_source_per_outcome_sections(thurrock, second_report):
    september = ReportingPeriod.objects.get(slug="2024-25-q2")
    december = ReportingPeriod.objects.get(slug="2024-25-q3")
    assert september.is_baseline
    loaded = {
        (a.period_id, a.criterion.outcome.number, a.criterion.letter): a
        for a in Assessment.objects.select_related("criterion__outcome")
    }
    count = 0
    for outcome in second_report["outcomes"]:
        row = Outcome.objects.get(plan=thurrock, number=outcome["number"])
        assert row.title == outcome["title"]
        summary = OutcomeSummary.objects.get(period=december, outcome=row)
        assert summary.text == outcome["lead_director_summary"]
        for criterion in outcome["criteria"]:
            count += 1
            stored = SuccessCriterion.objects.get(outcome=row, letter=criterion["letter"])
            assert stored.text == criterion["text"]
            now = loaded[(december.pk, outcome["number"], criterion["letter"])]
            before = loaded[(september.pk, outcome["number"], criterion["letter"])]
            assert now.rag == criterion["current"], stored.reference
            assert before.rag == criterion["previous"], stored.reference
            # The officer's whole text; the italics it quotes stored apart.
            assert now.narrative == criterion["narrative"], stored.reference
            assert now.quoted_text == criterion["quoted"], stored.reference
            assert now.carried_forward == criterion["carried_forward"], stored.reference
            # New December text with September's quoted beneath it in italics (3b, 3e, 11c).
            quoting = bool(criterion["previous_assessment"]) and not criterion["carried_forward"]
            assert now.quotes_previous == quoting, stored.reference
            assert (before.quotes_previous, before.quoted_text) == (False, ""), stored.reference
            assert before.narrative == (criterion["previous_assessment"] or ""), stored.reference
    assert count == 61
    quoting = Assessment.objects.filter(period=december, quotes_previous=True).select_related(
        "criterion__outcome"
    )
    assert sorted(a.criterion.reference for a in quoting) == ["11c", "3b", "3e"]
    # Dated as the council's papers give them (seed 004): December 2024 (a month), 19 March 2025.
    assert (september.report_date, september.report_date_precision) == (dt.date(2024, 12, 1), "month")
    assert (december.report_date, december.report_date_precision) == (dt.date(2025, 3, 19), "day")


def test_reloading_changes_nothing(thurrock):
    def snapshot():
        models = [
            Direction,
            Plan,
            Priority,
            Workstream,
            Objective,
            Outcome,
            SuccessCriterion,
            ReportingPeriod,
            Assessment,
            OutcomeSummary,
            Theme,
            ThemeWorkstream,
        ]
        data = {m.__name__: serializers.serialize("json", m.objects.order_by("pk")) for m in models}
        data["history"] = sum(m.history.count() for m in models)
        return data

    before = snapshot()
    call_command("seed_thurrock", stdout=open("/dev/null", "w"))
    assert snapshot() == before


def test_the_plans_measures_are_attached_to_their_outcomes(thurrock):
    from outcomes.models import Measure

    assert Measure.objects.filter(outcome__plan=thurrock).count() == 74
    assert not Outcome.objects.filter(plan=thurrock, measures__isnull=True).exists()


def test_every_direction_is_answered_by_an_objective_of_the_enhanced_plan(thurrock):
    for direction in Direction.objects.all():
        assert direction.objectives.filter(workstream__priority__plan=thurrock).exists(), direction
