"""The plain rows the checks' rules read: a period's criteria and summaries, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q
from django.urls import reverse

from outcomes.checks.similarity import normalised_words
from outcomes.models import (
    Assessment,
    AssessmentStatus,
    Outcome,
    OutcomeSummary,
    ReportingPeriod,
    SuccessCriterion,
)
from outcomes.selectors import periods_before

CARRIED_FORWARD_STREAK = 3


@dataclass(frozen=True)
class CheckedCriterion:
    """One criterion in the period being checked, with what the rules need from earlier periods."""

    criterion_id: int
    reference: str
    outcome_number: int
    letter: str
    outcome_id: int | None = None
    text: str = ""  # the criterion's wording
    assessment_id: int | None = None
    rag: str = ""
    narrative: str = ""
    carried_forward: bool = False
    quotes_previous: bool = False  # last period's narrative is printed beneath this one
    status: str = AssessmentStatus.NOT_STARTED
    has_previous: bool = False
    previous_rag: str = ""
    previous_narrative: str = ""
    previous_carried_forward: bool = False
    earlier_carried_forward: bool = False  # two periods back

    # Computed once per row: several rules compare the same texts.
    @cached_property
    def position(self) -> tuple:
        return (self.outcome_number, len(self.letter), self.letter)

    @cached_property
    def words(self) -> list[str]:
        return normalised_words(self.narrative)

    @cached_property
    def narrative_unchanged(self) -> bool:
        """Same words as last period's narrative, which was not empty.

        A narrative that quotes last period's beneath it (`quotes_previous`) is judged on its own
        words only, so this period's new text is never "the same" because of the quotation.
        """
        if not self.has_previous or not self.previous_narrative.strip() or not self.narrative.strip():
            return False
        return (
            self.previous_narrative == self.narrative
            or normalised_words(self.previous_narrative) == self.words
        )


@dataclass(frozen=True)
class CheckedOutcome:
    """One outcome of the plan, with its Lead Director Summary in the period being checked."""

    outcome_id: int
    number: int
    summary: str | None  # None: no summary row at all
    title: str = ""


@dataclass(frozen=True)
class PeriodRows:
    criteria: list[CheckedCriterion]
    outcomes: list[CheckedOutcome]
    period_labels: tuple[str, ...] = ()  # this period's short label, then the previous two
    summary: str = ""  # the period's narrative Summary, which the report prints above the ratings
    summary_fix_url: str = ""  # where the Programme Office edits it


# (assessment id, rag, narrative, carried forward, quotes previous, status) of one period's assessment
_Assessed = tuple[int, str, str, bool, bool, str]


def _earlier_periods(period: ReportingPeriod) -> list[tuple[int, str]]:
    """(pk, short label) of the periods before this one that a streak can reach, latest first."""
    return list(periods_before(period=period).values_list("pk", "short_label")[: CARRIED_FORWARD_STREAK - 1])


def _assessments(
    period: ReportingPeriod, previous_id: int | None, earlier_id: int | None
) -> tuple[dict[int, _Assessed], dict[int, _Assessed], set[int]]:
    """criterion id → this period's and last period's assessment; criteria carried forward two periods back.

    One query for all three periods; two periods back only the carried-forward flag matters.
    """
    current: dict[int, _Assessed] = {}
    previous: dict[int, _Assessed] = {}
    earlier_carried: set[int] = set()
    wanted = Q(period_id=period.pk)
    if previous_id:
        wanted |= Q(period_id=previous_id)
    if earlier_id:
        wanted |= Q(period_id=earlier_id, carried_forward=True)
    for pk, period_id, criterion_id, rag, narrative, quoted, carried_forward, quotes_previous, status in (
        Assessment.objects.filter(wanted)
        .order_by()
        .values_list(
            "pk",
            "period_id",
            "criterion_id",
            "rag",
            "narrative",
            "quoted_text",
            "carried_forward",
            "quotes_previous",
            "status",
        )
    ):
        # A carried-forward assessment is judged by the text it carries forward (quoted beneath the
        # plan's "same as the last report" sentence, which every such criterion shares); one that
        # quotes beneath new text is judged on its own words only.
        if carried_forward and quoted:
            narrative = quoted
        quotes_previous = (quotes_previous or bool(quoted)) and not carried_forward
        if period_id == period.pk:
            current[criterion_id] = (pk, rag, narrative, carried_forward, quotes_previous, status)
        elif period_id == previous_id:
            previous[criterion_id] = (pk, rag, narrative, carried_forward, quotes_previous, status)
        else:
            earlier_carried.add(criterion_id)
    return current, previous, earlier_carried


def _checked_criterion(
    criterion: tuple[int, str, int, int, str],
    current: _Assessed | None,
    previous: _Assessed | None,
    *,
    earlier_carried_forward: bool,
) -> CheckedCriterion:
    criterion_id, letter, outcome_number, outcome_id, text = criterion
    values: dict = {}
    if current is not None:
        pk, rag, narrative, carried_forward, quotes_previous, status = current
        values.update(
            assessment_id=pk,
            rag=rag,
            narrative=narrative,
            carried_forward=carried_forward,
            quotes_previous=quotes_previous,
            status=status,
        )
    if previous is not None:
        _, rag, narrative, carried_forward, _, _ = previous
        values.update(
            has_previous=True,
            previous_rag=rag,
            previous_narrative=narrative,
            previous_carried_forward=carried_forward,
            earlier_carried_forward=earlier_carried_forward,
        )
    return CheckedCriterion(
        criterion_id=criterion_id,
        reference=SuccessCriterion.reference_of(outcome_number=outcome_number, letter=letter),
        outcome_number=outcome_number,
        letter=letter,
        outcome_id=outcome_id,
        text=text,
        **values,
    )


def _checked_outcomes(period: ReportingPeriod) -> list[CheckedOutcome]:
    summaries = dict(OutcomeSummary.objects.filter(period=period).values_list("outcome_id", "text"))
    return [
        CheckedOutcome(outcome_id=pk, number=number, summary=summaries.get(pk), title=title)
        for pk, number, title in Outcome.objects.filter(plan_id=period.plan_id)
        .order_by("number")
        .values_list("pk", "number", "title")
    ]


def period_rows(*, period: ReportingPeriod) -> PeriodRows:
    """This period's criteria and summaries, and the two previous periods' ratings, in 5 queries."""
    earlier_periods = _earlier_periods(period)
    previous_id = earlier_periods[0][0] if earlier_periods else None
    earlier_id = earlier_periods[1][0] if len(earlier_periods) > 1 else None

    criteria = list(
        SuccessCriterion.objects.filter(outcome__plan_id=period.plan_id).values_list(
            "pk", "letter", "outcome__number", "outcome_id", "text"
        )
    )
    current, previous, earlier_carried = _assessments(period, previous_id, earlier_id)
    rows = [
        _checked_criterion(
            criterion,
            current.get(criterion[0]),
            previous.get(criterion[0]),
            earlier_carried_forward=criterion[0] in earlier_carried,
        )
        for criterion in criteria
    ]
    rows.sort(key=lambda r: r.position)
    labels = (period.short_label, *(label for _, label in earlier_periods))
    return PeriodRows(
        criteria=rows,
        outcomes=_checked_outcomes(period),
        period_labels=labels,
        summary=period.report_summary,
        summary_fix_url=reverse("admin:outcomes_reportingperiod_change", args=[period.pk]),
    )
