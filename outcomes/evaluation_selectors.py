"""Reads for the evaluation framework, each in a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from core.rag import RAG_ORDER, RagCounts, RagStyle, rag_style
from core.target_rag import rag_from_target
from outcomes import permissions
from outcomes.models import (
    Assessment,
    CommissionerJudgement,
    EvidenceStatus,
    JudgementPublication,
    Measure,
    MeasureEvidence,
    Metric,
    MetricValue,
    Outcome,
    PeriodState,
    ReportingPeriod,
)

# --------------------------------------------------------------------------- the council's rating


def council_outcome_rating(counts: RagCounts) -> str:
    """The council's self-assessment of an outcome: the rating most of its criteria hold.

    The plan rates criteria, not outcomes; to set the commissioners' one rating beside the
    council's, an outcome takes its criteria's most common rating, a tie going to the worse
    (the cautious reading). No rated criteria: not rated ("").
    """
    best, best_count = "", 0
    for rag in RAG_ORDER:  # worst first, so a tie keeps the worse rating
        if counts.of(rag) > best_count:
            best, best_count = rag, counts.of(rag)
    return best


@dataclass(frozen=True)
class JudgementRow:
    outcome_id: int
    number: int
    title: str
    council: RagStyle
    council_counts: RagCounts
    commissioners: RagStyle
    commentary: str

    @property
    def differs(self) -> bool:
        return self.council.letter != self.commissioners.letter


@dataclass(frozen=True)
class JudgementPanel:
    for_publication: bool
    decided: bool
    visible: bool
    rows: tuple[JudgementRow, ...] = ()

    @property
    def differing(self) -> tuple[JudgementRow, ...]:
        return tuple(row for row in self.rows if row.differs)


def judgement_publication(*, period: ReportingPeriod) -> JudgementPublication | None:
    return JudgementPublication.objects.filter(period=period).first()


def judgement_panel(
    *,
    period: ReportingPeriod,
    counts_by_outcome: dict[int, RagCounts],
    titles: dict[int, tuple[int, str]],
    user,
) -> JudgementPanel:
    """The commissioners' judgements of a period beside the council's rating of each outcome (2 queries).

    `counts_by_outcome` and `titles` (outcome id → (number, title)) come from the caller's own
    per-outcome counts, so no outcome is read twice.
    """
    decision = judgement_publication(period=period)
    for_publication = bool(decision and decision.for_publication)
    if not permissions.can_read_judgement(user, period, for_publication=for_publication):
        return JudgementPanel(for_publication=for_publication, decided=decision is not None, visible=False)
    rows = []
    for judgement in CommissionerJudgement.objects.filter(period=period).order_by("outcome__number"):
        counts = counts_by_outcome.get(judgement.outcome_id, RagCounts())
        number, title = titles.get(judgement.outcome_id, (0, ""))
        rows.append(
            JudgementRow(
                outcome_id=judgement.outcome_id,
                number=number,
                title=title,
                council=rag_style(council_outcome_rating(counts)),
                council_counts=counts,
                commissioners=rag_style(judgement.rag),
                commentary=judgement.commentary,
            )
        )
    rows.sort(key=lambda row: row.number)
    return JudgementPanel(
        for_publication=for_publication, decided=decision is not None, visible=True, rows=tuple(rows)
    )


def judgements_for_publication(*, period_id: int) -> dict[int, tuple[str, str]]:
    """Outcome id → (rag, commentary) of the commissioners' judgements of a period, only if they
    marked that period's judgement for publication; otherwise empty. One query: the decision is
    joined in rather than read first, so the report's cost stays fixed."""
    return {
        outcome_id: (rag, commentary)
        for outcome_id, rag, commentary in CommissionerJudgement.objects.filter(
            period_id=period_id, period__judgement_publication__for_publication=True
        )
        .order_by()
        .values_list("outcome_id", "rag", "commentary")
    }


# --------------------------------------------------------------------------- metrics


def readable_periods(*, user, plan_id: int | None = None) -> list[ReportingPeriod]:
    """The periods this person may read, oldest first (one query)."""
    periods = ReportingPeriod.objects.select_related("plan").order_by("end", "pk")
    if plan_id is not None:
        periods = periods.filter(plan_id=plan_id)
    if not permissions.can_read_period(user, ReportingPeriod(state=PeriodState.OPEN)):
        periods = periods.filter(state=PeriodState.PUBLISHED)
    return list(periods)


@dataclass(frozen=True)
class MetricPoint:
    period: ReportingPeriod
    value: Decimal
    target: Decimal | None
    note: str
    rag: str

    @property
    def style(self) -> RagStyle:
        return rag_style(self.rag)


@dataclass(frozen=True)
class MetricRow:
    metric: Metric
    point: MetricPoint | None  # the figure in the chosen period
    points: tuple[MetricPoint, ...] = ()  # every readable period's, oldest first

    @property
    def has_target(self) -> bool:
        return self.point is not None and self.point.target is not None


def _point(metric: Metric, value: MetricValue, period: ReportingPeriod) -> MetricPoint:
    return MetricPoint(
        period=period,
        value=value.value,
        target=value.target,
        note=value.note,
        rag=rag_from_target(
            value=value.value,
            target=value.target,
            tolerance=metric.tolerance,
            higher_is_better=metric.higher_is_better,
        ),
    )


def metric_rows(
    *, metrics: list[Metric], periods: list[ReportingPeriod], period: ReportingPeriod, with_trend: bool
) -> list[MetricRow]:
    """Each metric with its figure in `period` (and, with_trend, every readable period's): one query."""
    by_id = {p.pk: p for p in periods}
    wanted = list(by_id) if with_trend else [period.pk]
    points: dict[int, list[MetricPoint]] = defaultdict(list)
    metric_by_id = {metric.pk: metric for metric in metrics}
    values = MetricValue.objects.filter(metric_id__in=list(metric_by_id), period_id__in=wanted).order_by()
    if len(metrics) > 500:
        # A whole plan's library: filter by plan rather than send thousands of ids.
        values = MetricValue.objects.filter(metric__plan_id=period.plan_id, period_id__in=wanted).order_by()
    for value in values:
        metric = metric_by_id.get(value.metric_id)
        if metric is not None:
            points[value.metric_id].append(_point(metric, value, by_id[value.period_id]))
    rows = []
    for metric in metrics:
        series = sorted(points.get(metric.pk, []), key=lambda point: point.period.end)
        current = next((point for point in series if point.period.pk == period.pk), None)
        rows.append(MetricRow(metric=metric, point=current, points=tuple(series)))
    return rows


@dataclass(frozen=True)
class MetricLibrary:
    period: ReportingPeriod
    rows: list[MetricRow]

    @property
    def counts(self) -> RagCounts:
        tally: dict[str, int] = defaultdict(int)
        for row in self.rows:
            tally[row.point.rag if row.point else ""] += 1
        return RagCounts.from_mapping(tally)

    @property
    def without_target(self) -> list[MetricRow]:
        return [row for row in self.rows if not row.has_target]


def metric_library(*, period: ReportingPeriod, periods: list[ReportingPeriod]) -> MetricLibrary:
    metrics = list(
        Metric.objects.filter(plan_id=period.plan_id)
        .select_related("outcome")
        .order_by("outcome__number", "code")
    )
    return MetricLibrary(
        period=period, rows=metric_rows(metrics=metrics, periods=periods, period=period, with_trend=False)
    )


# --------------------------------------------------------------------------- one outcome in one period


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    evidence: MeasureEvidence | None

    @property
    def status_label(self) -> str:
        if self.evidence is None:
            return EvidenceStatus.NOT_YET.label
        return self.evidence.get_status_display()

    @property
    def status(self) -> str:
        return self.evidence.status if self.evidence else EvidenceStatus.NOT_YET


@dataclass(frozen=True)
class OutcomePeriod:
    outcome: Outcome
    period: ReportingPeriod
    assessments: list[Assessment]
    counts: RagCounts
    council: RagStyle
    measures: list[MeasureRow]
    metrics: list[MetricRow]
    judgement: CommissionerJudgement | None
    judgement_visible: bool
    for_publication: bool
    can_record_evidence: bool
    can_write_judgement: bool
    periods: list[ReportingPeriod] = field(default_factory=list)

    @property
    def judgement_style(self) -> RagStyle | None:
        return rag_style(self.judgement.rag) if self.judgement else None

    @property
    def differs(self) -> bool:
        return self.judgement is not None and rag_style(self.judgement.rag).letter != self.council.letter


def outcome_period(*, outcome: Outcome, period: ReportingPeriod, user) -> OutcomePeriod:
    """Criteria ratings, measures with evidence, metrics with trends and the commissioners' judgement."""
    assessments = list(
        Assessment.objects.filter(period=period, criterion__outcome=outcome)
        .select_related("criterion__outcome")
        .order_by("criterion__letter")
    )
    tally: dict[str, int] = defaultdict(int)
    for assessment in assessments:
        tally[assessment.rag] += 1
    counts = RagCounts.from_mapping(tally)
    evidence = {
        row.measure_id: row
        for row in MeasureEvidence.objects.filter(period=period, measure__outcome=outcome).prefetch_related(
            "items"
        )
    }
    measures = [
        MeasureRow(measure=measure, evidence=evidence.get(measure.pk))
        for measure in Measure.objects.filter(outcome=outcome).order_by("number")
    ]
    periods = [p for p in readable_periods(user=user, plan_id=period.plan_id) if p.end <= period.end]
    metrics = list(Metric.objects.filter(outcome=outcome).order_by("code"))
    rows = metric_rows(metrics=metrics, periods=periods, period=period, with_trend=True) if metrics else []
    decision = judgement_publication(period=period)
    for_publication = bool(decision and decision.for_publication)
    visible = permissions.can_read_judgement(user, period, for_publication=for_publication)
    judgement = (
        CommissionerJudgement.objects.filter(outcome=outcome, period=period).first() if visible else None
    )
    return OutcomePeriod(
        outcome=outcome,
        period=period,
        assessments=assessments,
        counts=counts,
        council=rag_style(council_outcome_rating(counts)),
        measures=measures,
        metrics=rows,
        judgement=judgement,
        judgement_visible=visible,
        for_publication=for_publication,
        can_record_evidence=permissions.can_record_evidence(user, outcome) and not period.is_published,
        can_write_judgement=permissions.can_write_judgement(user),
        periods=periods,
    )
