"""The outcome report is built once, from the data, in a fixed number of queries."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from core.rag import Movement
from outcomes.checks import CHECK_QUERIES
from outcomes.models import Assessment, OutcomeSummary, PeriodState
from outcomes.scale import build_synthetic_plan
from outcomes.selectors import period_baseline, period_get, period_previous
from reporting.amendments import AMENDMENT_QUERIES
from reporting.builder import report_build
from reporting.report import Report
from tests.factories import (
    AssessmentFactory,
    OutcomeFactory,
    PlanFactory,
    ReportingPeriodFactory,
    SuccessCriterionFactory,
    UserFactory,
)
from tests.seed_sources import second_report_source
from tests.seed_sources.second_report import parse_second_report

# The report (one query its commissioners' judgement), then its amendments from three history tables.
BUILD_QUERIES = 8 + AMENDMENT_QUERIES


@pytest.fixture
def december(thurrock):
    return period_get(slug="2024-25-q3")


@pytest.fixture
def september(thurrock):
    return period_get(slug="2024-25-q2")


@pytest.fixture(scope="module")
def source():
    return parse_second_report(second_report_source())


def test_december_report_carries_every_criterion_with_the_three_ratings_of_the_councils_sections(
    december, source
):
    report = report_build(period=december)

    expected = {
        f"{outcome['number']}{criterion['letter']}": (
            criterion["baseline"],
            criterion["previous"],
            criterion["current"],
        )
        for outcome in source["outcomes"]
        for criterion in outcome["criteria"]
    }
    built = {row.reference: (row.rag.baseline, row.rag.previous, row.rag.current) for row in report.criteria}
    assert len(built) == 61
    assert built == expected


def test_december_report_carries_every_narrative_of_the_councils_sections(december, source):
    report = report_build(period=december)

    assert report.purpose == source["purpose"]
    assert report.summary == source["summary"]
    sections = {outcome.number: outcome for outcome in report.outcomes}
    for expected in source["outcomes"]:
        outcome = sections[expected["number"]]
        assert outcome.title == expected["title"]
        assert outcome.lead_director_summary == expected["lead_director_summary"]
        rows = {row.letter: row for row in outcome.criteria}
        for criterion in expected["criteria"]:
            row = rows[criterion["letter"]]
            # The officer's whole text as printed, and the italics it quotes, stored apart.
            assert row.assessment == criterion["narrative"], row.reference
            assert row.carried_forward == criterion["carried_forward"], row.reference
            assert row.quoted_previous == criterion["quoted"], row.reference
            # The council's own sentence introduces every quotation: no second introduction, no marker.
            assert (row.quotation_label, row.carried_forward_marker) == ("", ""), row.reference
    quoting = [row.reference for row in report.criteria if row.quoted_previous]
    assert quoting == ["3a", "3b", "3e", "4a", "7d", "7h", "9i", "11c", "11e"]


def test_column_headings_name_the_periods_as_the_council_does(december, source):
    columns = report_build(period=december).columns

    assert columns.as_tuple() == (
        "RAG – Baseline (Sept 24)",
        "RAG – last period (Sept 24)",
        "RAG – this period (Dec 24)",
    )
    assert source["column_labels"] == {"baseline": "Sept 24", "previous": "Sept 24", "current": "Dec 24"}


def test_report_is_titled_by_its_place_in_the_series(december, september, thurrock):
    assert report_build(period=december).title == "Second Report on Outcomes and Success Criteria"
    assert report_build(period=september).title == "First Report on Outcomes and Success Criteria"
    report = report_build(period=december)
    assert report.organisation == thurrock.organisation
    assert report.period_title == "Quarter to December 2024"
    assert report.is_published and report.status == "Published"


def test_summary_counts_and_movers_match_the_councils_sections(december):
    facts = report_build(period=december).facts

    assert (facts.count_of("R"), facts.count_of("A"), facts.count_of("G")) == (1, 33, 27)
    assert facts.total == 61
    assert [m.reference for m in facts.improved] == ["6e", "9f", "9h", "11b", "12a", "12b"]
    assert [m.reference for m in facts.declined] == ["11d"]
    assert facts.sentences[:2] == (
        "This period 61 success criteria are rated: 1 Red, 33 Amber, 27 Green.",
        "Since last period (Sept 24), 6 criteria moved up and 1 moved down.",
    )
    assert "Moved down: 11d (Green to Amber)." in facts.sentences


def test_changing_one_rating_changes_the_counts_and_the_movers(december):
    assessment = Assessment.objects.get(period=december, criterion__outcome__number=1, criterion__letter="a")
    assessment.rag = "R"
    assessment.save()

    facts = report_build(period=december).facts

    assert (facts.count_of("R"), facts.count_of("A"), facts.count_of("G")) == (2, 32, 27)
    assert [m.reference for m in facts.declined] == ["1a", "11d"]
    assert facts.declined[0].previous == "A" and facts.declined[0].current == "R"
    assert "Moved down: 1a (Amber to Red); 11d (Green to Amber)." in facts.sentences
    assert [m.reference for m in facts.changes][:1] == ["1a"]


def test_the_baseline_period_has_no_last_period_to_compare_with(september):
    report = report_build(period=september)

    assert report.columns.previous == "RAG – last period"
    assert report.columns.baseline == "RAG – Baseline (Sept 24)"
    assert all(row.rag.previous == "" for row in report.criteria)
    assert all(row.rag.baseline == row.rag.current for row in report.criteria)
    assert all(row.movement is Movement.NEW for row in report.criteria)
    assert report.facts.changes == ()
    assert report.facts.sentences[-1] == (
        "This is the baseline period, so there is no earlier rating to compare with."
    )


def test_baseline_and_last_period_follow_the_period_selectors(db):
    plan = PlanFactory()
    criterion = SuccessCriterionFactory(outcome=OutcomeFactory(plan=plan, number=1), letter="a")
    earliest, marked, previous, current = (
        ReportingPeriodFactory(
            plan=plan,
            start=dt.date(2024, month - 2, 1),
            end=dt.date(2024, month, 28),
            short_label=label,
            state=PeriodState.PUBLISHED if label != "Dec" else PeriodState.OPEN,
            is_baseline=label == "Jun",
        )
        for month, label in ((3, "Mar"), (6, "Jun"), (9, "Sep"), (12, "Dec"))
    )
    for period, rag in ((earliest, "R"), (marked, "A"), (previous, "G"), (current, "A")):
        AssessmentFactory(period=period, criterion=criterion, rag=rag)

    report = report_build(period=current)

    assert period_baseline(period=current) == marked and period_previous(period=current) == previous
    assert report.columns.as_tuple() == (
        "RAG – Baseline (Jun)",
        "RAG – last period (Sep)",
        "RAG – this period (Dec)",
    )
    (row,) = report.criteria
    assert (row.rag.baseline, row.rag.previous, row.rag.current) == ("A", "G", "A")
    assert row.movement is Movement.DOWN
    assert report.title == "Fourth Report on Outcomes and Success Criteria"


def test_a_criterion_nobody_rated_is_counted_as_not_rated(db):
    plan = PlanFactory()
    outcome = OutcomeFactory(plan=plan, number=1)
    rated = SuccessCriterionFactory(outcome=outcome, letter="a")
    SuccessCriterionFactory(outcome=outcome, letter="b")
    period = ReportingPeriodFactory(plan=plan)
    AssessmentFactory(period=period, criterion=rated, rag="G", narrative="On track.")

    report = report_build(period=period)

    assert [(row.reference, row.rag.current, row.assessment) for row in report.criteria] == [
        ("1a", "G", "On track."),
        ("1b", "", ""),
    ]
    assert report.facts.count_of("") == 1
    assert "1 is not rated." in report.facts.sentences[0]


def test_quoted_text_prints_beneath_the_officers_words_introduced_once_and_never_replacing_them(db):
    plan = PlanFactory()
    outcome = OutcomeFactory(plan=plan, number=1)
    criteria = {letter: SuccessCriterionFactory(outcome=outcome, letter=letter) for letter in "abcd"}
    ReportingPeriodFactory(
        plan=plan,
        title="Quarter to September 2024",
        start=dt.date(2024, 7, 1),
        end=dt.date(2024, 9, 30),
        state=PeriodState.PUBLISHED,
    )
    this = ReportingPeriodFactory(plan=plan, start=dt.date(2024, 10, 1), end=dt.date(2024, 12, 31))
    AssessmentFactory(period=this, criterion=criteria["a"], narrative="New text.", quoted_text="Old on a.")
    AssessmentFactory(
        period=this,
        criterion=criteria["b"],
        narrative="Same as before (see below italics).",
        quoted_text="Old on b.",
        carried_forward=True,
    )
    # Carried forward with nothing written: the plan's marker, in the council's convention, stands in.
    AssessmentFactory(
        period=this, criterion=criteria["c"], narrative="", carried_forward=True, quoted_text="Old."
    )
    AssessmentFactory(period=this, criterion=criteria["d"], narrative="New text, no quote.")

    rows = report_build(period=this).criteria

    assert [
        (r.reference, r.assessment, r.quoted_previous, r.quotation_label, r.carried_forward_marker)
        for r in rows
    ] == [
        ("1a", "New text.", "Old on a.", "From the last report (Quarter to September 2024):", ""),
        ("1b", "Same as before (see below italics).", "Old on b.", "", ""),
        ("1c", "", "Old.", "", plan.carried_forward_label),
        ("1d", "New text, no quote.", "", "", ""),
    ]
    assert plan.carried_forward_label == (
        "The position is assessed as being the same as the last report (see below italics)."
    )


def test_the_lead_is_the_job_title_and_a_name_only_when_the_plan_shows_names(december):
    director = UserFactory(first_name="Alex", last_name="Smith")
    outcome = december.plan.outcomes.get(number=4)
    outcome.lead_director = director
    outcome.lead_title = "Director of Customer Services"
    outcome.save()
    OutcomeSummary.objects.filter(period=december, outcome=outcome).update(text="New summary.")

    section = report_build(period=december).outcomes[3]

    assert section.number == 4
    assert december.plan.show_names is False
    assert section.lead == "Director of Customer Services"
    assert section.lead_director_summary == "New summary."

    december.plan.show_names = True
    december.plan.save()
    assert report_build(period=period_get(slug=december.slug)).outcomes[3].lead == (
        "Alex Smith, Director of Customer Services"
    )


def test_an_unpublished_period_is_a_draft(december):
    december.state = PeriodState.CLOSED
    december.save()

    report = report_build(period=december)

    assert report.is_draft
    assert report.status.startswith("DRAFT")


def test_the_report_is_plain_frozen_data(december):
    report = report_build(period=december)

    assert isinstance(report, Report)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.title = "Something else"
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.outcomes[0].criteria[0].assessment = "Something else"


@pytest.mark.slow
def test_building_costs_the_same_queries_at_61_and_at_6100_criteria(db, django_assert_num_queries):
    sizes = []
    for factor in (1, 100):
        plan = build_synthetic_plan(factor=factor, periods=2, slug=f"x{factor}")
        latest = plan.periods.order_by("end").last()
        # Every other assessment quotes last period's beneath it: still no query per row.
        quoting = Assessment.objects.filter(period=latest).values_list("pk", flat=True)[::2]
        Assessment.objects.filter(pk__in=list(quoting)).update(quoted_text="Last period's words.")
        draft = period_get(slug=latest.slug)
        # While it is a draft the report also carries its pre-publication checks (fixed queries too).
        with django_assert_num_queries(BUILD_QUERIES + CHECK_QUERIES):
            report_build(period=draft)
        plan.periods.filter(pk=latest.pk).update(state=PeriodState.PUBLISHED)
        published = period_get(slug=latest.slug)
        with django_assert_num_queries(BUILD_QUERIES):
            report = report_build(period=published)
        sizes.append((len(report.criteria), sum(1 for row in report.criteria if row.quoted_previous)))

    assert sizes == [(61, 31), (6100, 3050)]
