"""Reads for the commissioners' dashboard and the criteria list, in a fixed number of queries.

Everything is counted in the database (GROUP BY period, outcome or movement) so the page
costs the same at 61 criteria and at 6,100; only the bounded lists load rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery, Value

from core.people import display_name_of
from core.rag import (
    NOT_RATED_VALUE,
    RAG_ORDER,
    RAG_STYLES,
    Movement,
    Rag,
    RagComparison,
    RagCounts,
    RagStyle,
    movement,
)
from core.rag import rag_style as style_of
from outcomes.models import (
    HANDED_IN_STATUSES,
    Assessment,
    AssessmentStatus,
    PeriodState,
    ReportingPeriod,
    SuccessCriterion,
)
from outcomes.selectors import completion_counts_by_outcome, outcome_is_signed_off
from reporting.permissions import can_read_period

# Long lists on the dashboard stop here and link to the criteria list, which shows them all.
DASHBOARD_LIST_LIMIT = 50


# --------------------------------------------------------------------------- plain data


@dataclass(frozen=True)
class RagChange:
    """One rating's count now, and how it moved since last period.

    `current` and `previous` are the compared counts: the whole periods' once a period is
    published, only the criteria rated in both periods while it is still being rated
    (`like_for_like`), so criteria not yet rated are never read as a fall.
    """

    style: RagStyle
    count: int  # criteria with this rating now (the headline)
    current: int
    previous: int | None
    like_for_like: bool = False

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.current - self.previous

    @property
    def change_text(self) -> str:
        change = self.change
        among = " among criteria rated in both" if self.like_for_like else ""
        if change is None:
            return "No earlier period"
        if change == 0:
            return f"No change since last period{among}"
        return f"{'Up' if change > 0 else 'Down'} {abs(change)} since last period{among}"


@dataclass(frozen=True)
class OutcomeBar:
    outcome_id: int
    number: int
    title: str
    counts: RagCounts


@dataclass(frozen=True)
class AssessmentListRow:
    """One criterion's assessment in a period, as every list and export shows it."""

    assessment_id: int
    criterion_id: int
    reference: str
    text: str
    outcome_id: int
    outcome_number: int
    outcome_title: str
    owner_name: str
    rag: str
    previous_rag: str | None
    narrative: str
    status: str
    status_label: str
    carried_forward: bool

    @property
    def movement(self) -> Movement:
        return movement(self.previous_rag, self.rag)

    @property
    def rag_style(self) -> RagStyle:
        return style_of(self.rag)

    @property
    def previous_style(self) -> RagStyle:
        return style_of(self.previous_rag)


@dataclass(frozen=True)
class CriterionGroup:
    """A bounded list with its complete count (the page shows `rows`, says `count`)."""

    key: str
    label: str
    count: int
    rows: tuple[AssessmentListRow, ...]

    @property
    def is_truncated(self) -> bool:
        return self.count > len(self.rows)


@dataclass(frozen=True)
class Completion:
    period: ReportingPeriod
    criteria: int
    by_status: dict[str, int]
    outcomes: int = 0
    outcomes_signed_off: int = 0  # every criterion's update approved by the lead director

    @property
    def approved(self) -> int:
        return self.by_status.get(AssessmentStatus.APPROVED, 0)

    @property
    def submitted(self) -> int:
        """Submitted and awaiting the lead director's sign-off."""
        return self.by_status.get(AssessmentStatus.SUBMITTED, 0)

    @property
    def handed_in(self) -> int:
        """Submitted or approved (outcomes.models.HANDED_IN_STATUSES)."""
        return sum(self.by_status.get(status, 0) for status in HANDED_IN_STATUSES)

    @property
    def missing(self) -> int:
        """Not yet submitted: not started, draft, returned, or no row at all."""
        return max(self.criteria - self.handed_in, 0)

    @property
    def percent_done(self) -> int:
        return round(100 * self.handed_in / self.criteria) if self.criteria else 0

    def status_items(self) -> list[tuple[str, str, int]]:
        """(value, label, count) for every workflow status, in workflow order."""
        return [(value, label, self.by_status.get(value, 0)) for value, label in AssessmentStatus.choices]


@dataclass(frozen=True)
class TrendPoint:
    period: ReportingPeriod
    counts: RagCounts


@dataclass(frozen=True)
class Dashboard:
    period: ReportingPeriod
    previous: ReportingPeriod | None
    counts: RagCounts
    previous_counts: RagCounts | None
    outcome_bars: list[OutcomeBar]
    movements: list[CriterionGroup]
    reds: CriterionGroup
    trend: list[TrendPoint]
    list_limit: int = DASHBOARD_LIST_LIMIT
    changes: list[RagChange] = field(default_factory=list)
    not_compared: int = 0  # criteria with no rating in one of the two periods
    # Set while the period is still being rated: the changes count only criteria rated in both.
    comparison: RagComparison | None = None

    @property
    def is_draft(self) -> bool:
        return not self.period.is_published


# --------------------------------------------------------------------------- periods


def periods_readable(*, user) -> list[ReportingPeriod]:
    """Every period this person may read, latest first (drafts only for draft readers)."""
    periods = ReportingPeriod.objects.select_related("plan").order_by("-end", "-pk")
    return [period for period in periods if can_read_period(user, period)]


def period_default(*, periods: Sequence[ReportingPeriod]) -> ReportingPeriod | None:
    """The latest published period; drafts are only shown when someone asks for them."""
    return next((p for p in periods if p.state == PeriodState.PUBLISHED), None) or (
        periods[0] if periods else None
    )


def period_before(*, period: ReportingPeriod, periods: Sequence[ReportingPeriod]) -> ReportingPeriod | None:
    """The readable period just before this one in the same plan ("last period")."""
    earlier = [p for p in periods if p.plan_id == period.plan_id and p.end < period.end]
    return max(earlier, key=lambda p: p.end, default=None)


# --------------------------------------------------------------------------- assessments


def movement_condition(move: Movement | str) -> Q:
    """A filter on `rag` and the annotated `previous_rag` meaning this direction of travel.

    Built from `core.rag.movement`, so the database and the page agree on what
    "improved" means.
    """
    move = Movement(move)
    if move == Movement.NEW:
        return Q(previous_rag__isnull=True) | Q(previous_rag=NOT_RATED_VALUE) | Q(rag=NOT_RATED_VALUE)
    pairs = [
        Q(previous_rag=previous, rag=current)
        for previous in RAG_ORDER
        for current in RAG_ORDER
        if movement(previous, current) == move
    ]
    return reduce(or_, pairs)


def assessment_rows(*, period: ReportingPeriod, previous: ReportingPeriod | None) -> QuerySet[Assessment]:
    """The period's assessments with the previous period's rating as `previous_rag`.

    One query: the previous rating is a correlated subquery on the (period, criterion)
    unique index, not a second list joined in Python.
    """
    rows = Assessment.objects.filter(period_id=period.pk).select_related(
        "criterion__outcome", "criterion__owner"
    )
    if previous is None:
        previous_rag = Value(None, output_field=CharField())
    else:
        previous_rag = Subquery(
            Assessment.objects.filter(period_id=previous.pk, criterion_id=OuterRef("criterion_id"))
            .order_by()
            .values("rag")[:1]
        )
    return rows.annotate(previous_rag=previous_rag).order_by(
        "criterion__outcome__number", "criterion__letter"
    )


# What a list row reads, by name: plain values, not four model instances a row (an assessment,
# its criterion, outcome and owner, every field of each converted), which took three quarters of
# the time of listing the dashboard's movers.
_LIST_ROW_FIELDS = (
    "pk",
    "criterion_id",
    "criterion__letter",
    "criterion__text",
    "criterion__outcome_id",
    "criterion__outcome__number",
    "criterion__outcome__title",
    "criterion__owner__first_name",
    "criterion__owner__last_name",
    "criterion__owner__username",
    "rag",
    "previous_rag",
    "narrative",
    "status",
    "carried_forward",
)


def assessment_list_rows(
    assessments: QuerySet[Assessment], *, chunk_size: int | None = None
) -> list[AssessmentListRow]:
    """Plain rows from an `assessment_rows` queryset (sliced or filtered), in its order: one query,
    or one per `chunk_size` rows read from a server-side cursor for a whole export."""
    status_labels = dict(AssessmentStatus.choices)
    values = assessments.values_list(*_LIST_ROW_FIELDS)
    rows = []
    for (
        pk,
        criterion_id,
        letter,
        text,
        outcome_id,
        outcome_number,
        outcome_title,
        first_name,
        last_name,
        username,
        rag,
        previous_rag,
        narrative,
        status,
        carried_forward,
    ) in values.iterator(chunk_size=chunk_size) if chunk_size else values:
        rows.append(
            AssessmentListRow(
                assessment_id=pk,
                criterion_id=criterion_id,
                reference=SuccessCriterion.reference_of(outcome_number=outcome_number, letter=letter),
                text=text,
                outcome_id=outcome_id,
                outcome_number=outcome_number,
                outcome_title=outcome_title,
                owner_name=display_name_of(first_name=first_name, last_name=last_name, username=username),
                rag=rag,
                previous_rag=previous_rag,
                narrative=narrative,
                status=status,
                status_label=status_labels.get(status, status),
                carried_forward=carried_forward,
            )
        )
    return rows


# --------------------------------------------------------------------------- dashboard

MOVEMENT_GROUPS = (Movement.UP, Movement.DOWN, Movement.SAME)


def _rag_counts_by_period(period_ids: list[int]) -> dict[int, RagCounts]:
    raw: dict[int, dict[str, int]] = defaultdict(dict)
    counted = (
        Assessment.objects.filter(period_id__in=period_ids)
        .order_by()
        .values_list("period_id", "rag")
        .annotate(n=Count("pk"))
    )
    for period_id, rag, n in counted:
        raw[period_id][rag] = n
    return {period_id: RagCounts.from_mapping(raw.get(period_id, {})) for period_id in period_ids}


def outcome_rag_counts(*, period: ReportingPeriod) -> dict[int, RagCounts]:
    """outcome id → its criteria's rating counts in this period (one query)."""
    return {bar.outcome_id: bar.counts for bar in _outcome_bars(period)}


def _outcome_bars(period: ReportingPeriod) -> list[OutcomeBar]:
    counted = (
        Assessment.objects.filter(period_id=period.pk)
        .order_by()
        .values("criterion__outcome_id", "criterion__outcome__number", "criterion__outcome__title")
        .annotate(
            red=Count("pk", filter=Q(rag=Rag.RED)),
            amber=Count("pk", filter=Q(rag=Rag.AMBER)),
            green=Count("pk", filter=Q(rag=Rag.GREEN)),
            not_rated=Count("pk", filter=Q(rag=NOT_RATED_VALUE)),
        )
    )
    bars = [
        OutcomeBar(
            outcome_id=row["criterion__outcome_id"],
            number=row["criterion__outcome__number"],
            title=row["criterion__outcome__title"],
            counts=RagCounts(
                red=row["red"], amber=row["amber"], green=row["green"], not_rated=row["not_rated"]
            ),
        )
        for row in counted
    ]
    return sorted(bars, key=lambda bar: bar.number)


def _movers_and_reds(
    *, period: ReportingPeriod, previous: ReportingPeriod | None, limit: int
) -> tuple[list[CriterionGroup], CriterionGroup, RagComparison]:
    """Direction-of-travel groups, red criteria, and the two periods' ratings compared.

    Counts are complete; each group lists its first `limit` rows in report order.

    Two queries: one pass over the period's (rating, previous rating) pairs in report order
    picks the rows to show, then one query loads just those rows.
    """
    rows = assessment_rows(period=period, previous=previous)
    counts: dict[str, int] = defaultdict(int)
    picked: dict[str, list[int]] = {move.value: [] for move in MOVEMENT_GROUPS}
    picked["red"] = []
    pairs = []
    # Sixteen possible pairs of ratings, thousands of rows: each pair's movement is worked out once.
    movement_of: dict[tuple[str | None, str | None], str] = {}
    for pk, previous_rag, rag in rows.values_list("pk", "previous_rag", "rag"):
        pair = (previous_rag, rag)
        pairs.append(pair)
        move = movement_of.get(pair)
        if move is None:
            move = movement_of[pair] = movement(previous_rag, rag).value
        counts[move] += 1
        if move in picked and len(picked[move]) < limit:
            picked[move].append(pk)
        if rag == Rag.RED:
            counts["red"] += 1
            if len(picked["red"]) < limit:
                picked["red"].append(pk)
    wanted = {pk for pks in picked.values() for pk in pks}
    loaded = (
        {row.assessment_id: row for row in assessment_list_rows(rows.filter(pk__in=wanted))} if wanted else {}
    )

    def group(key: str, label: str) -> CriterionGroup:
        return CriterionGroup(key, label, counts[key], tuple(loaded[pk] for pk in picked[key]))

    groups = [group(move.value, move.label) for move in MOVEMENT_GROUPS]
    return groups, group("red", "Red"), RagComparison.from_pairs(pairs)


def _completion(*, period: ReportingPeriod | None) -> Completion | None:
    """The open period's progress, counted as the Programme Office's completion page counts it."""
    if period is None:
        return None
    by_outcome = completion_counts_by_outcome(period=period)
    by_status = {
        status: sum(getattr(outcome, f"count_{status}") for outcome in by_outcome)
        for status in AssessmentStatus.values
    }
    criteria = SuccessCriterion.objects.filter(outcome__plan_id=period.plan_id).count()
    return Completion(
        period=period,
        criteria=criteria,
        by_status=by_status,
        outcomes=len(by_outcome),
        outcomes_signed_off=sum(1 for outcome in by_outcome if outcome_is_signed_off(outcome)),
    )


def _rag_changes(
    *, counts: RagCounts, previous_counts: RagCounts | None, comparison: RagComparison | None
) -> list[RagChange]:
    if comparison is not None:
        return [
            RagChange(
                style=RAG_STYLES[rag],
                count=counts.of(rag),
                current=comparison.current.of(rag),
                previous=comparison.previous.of(rag),
                like_for_like=True,
            )
            for rag in RAG_ORDER
        ]
    return [
        RagChange(
            style=RAG_STYLES[rag],
            count=counts.of(rag),
            current=counts.of(rag),
            previous=previous_counts.of(rag) if previous_counts else None,
        )
        for rag in RAG_ORDER
    ]


def dashboard_build(
    *, period: ReportingPeriod, periods: Sequence[ReportingPeriod], limit: int = DASHBOARD_LIST_LIMIT
) -> Dashboard:
    """The dashboard for `period`, seeing only `periods` (those the reader may read)."""
    previous = period_before(period=period, periods=periods)
    trend_periods = sorted(
        (p for p in periods if p.plan_id == period.plan_id and p.end <= period.end), key=lambda p: p.end
    )
    counts_by_period = _rag_counts_by_period([p.pk for p in trend_periods])
    counts = counts_by_period[period.pk]
    previous_counts = counts_by_period.get(previous.pk) if previous else None
    movements, reds, comparison = _movers_and_reds(period=period, previous=previous, limit=limit)
    # A published period's totals are final and match its report, so they are compared whole;
    # one still being rated is compared over the criteria rated in both periods.
    like_for_like = comparison if previous is not None and not period.is_published else None
    return Dashboard(
        period=period,
        previous=previous,
        counts=counts,
        previous_counts=previous_counts,
        changes=_rag_changes(counts=counts, previous_counts=previous_counts, comparison=like_for_like),
        outcome_bars=_outcome_bars(period),
        movements=movements,
        reds=reds,
        trend=[TrendPoint(period=p, counts=counts_by_period[p.pk]) for p in trend_periods],
        list_limit=limit,
        not_compared=comparison.not_yet_rated + comparison.not_rated_before,
        comparison=like_for_like,
    )


def period_completion(*, period: ReportingPeriod) -> Completion:
    """How many of a period's updates are in: two queries, whatever the number of criteria."""
    return _completion(period=period)
