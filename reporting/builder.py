"""Builds a period's outcome report once, as the plain frozen data of `reporting.report`.

Every renderer reads the `Report` this returns, so a rating, a count or a sentence cannot
differ between formats. Building costs a fixed number of queries whatever the size of the plan.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from core.people import display_name
from core.rag import NOT_RATED_VALUE, RAG_ORDER, RAG_STYLES, Movement, RagCounts, rag_style
from outcomes import selectors
from outcomes.checks import CheckResult, period_check
from outcomes.evaluation_selectors import council_outcome_rating, judgements_for_publication
from outcomes.models import ReportingPeriod
from reporting.amendments import report_amendments
from reporting.report import (
    CheckFindingRow,
    CommissionersJudgement,
    JudgementRow,
    Mover,
    OutcomeSection,
    RagCount,
    RagDefinitionRow,
    RagTriple,
    Report,
    ReportChecks,
    ReportColumns,
    ReportCriterion,
    SummaryFacts,
)

REPORT_TITLE = "Report on Outcomes and Success Criteria"
ORDINALS = (
    "First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Eleventh Twelfth Thirteenth "
    "Fourteenth Fifteenth Sixteenth Seventeenth Eighteenth Nineteenth Twentieth"
).split()
NO_PERIOD = "–"
NO_ASSESSMENT = (NOT_RATED_VALUE, "", False, "")
# A narrative that already points at the quotation beneath it ("… (see below italics).", "… as follows:")
# needs no second introduction.
INTRODUCES_QUOTATION = re.compile(r"\bbelow\b|:\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Periods:
    """The report's period and the two it compares with, with its place in the series."""

    current: ReportingPeriod
    baseline: ReportingPeriod | None
    previous: ReportingPeriod | None
    position: int  # 1 for the first report


@dataclass(frozen=True)
class _Ratings:
    """Everything the criteria rows need, read in a fixed number of queries."""

    periods: _Periods
    current: dict[int, tuple[str, str, bool, str]]  # criterion id → (rag, narrative, carried, quoted)
    quotation_label: str  # "From the last report (…):", for a quotation nothing else introduces
    carried_forward_label: str  # the plan's marker for a carried-forward criterion
    earlier: dict[tuple[int, int], str]  # (period id, criterion id) → rag

    def of(self, period: ReportingPeriod | None, criterion_id: int) -> str:
        if period is None:
            return NOT_RATED_VALUE
        if period.pk == self.periods.current.pk:
            return self.current.get(criterion_id, NO_ASSESSMENT)[0]
        return self.earlier.get((period.pk, criterion_id), NOT_RATED_VALUE)


def report_build(*, period: ReportingPeriod) -> Report:
    """The whole report for `period`, in eleven queries at any size (plus `period.plan` if not loaded).

    Eight for the report itself (one the commissioners' judgement), three for its amendments
    (reporting/amendments.py).
    """
    plan = period.plan
    periods = _periods(period)
    ratings = _ratings(periods, carried_forward_label=plan.carried_forward_label)
    summaries = selectors.report_outcome_summaries(period_id=period.pk)
    definitions = selectors.rag_definition_list(plan_id=plan.pk)
    sections = tuple(
        _outcome_section(
            outcome, ratings=ratings, summary=summaries.get(outcome.pk, ""), show_names=plan.show_names
        )
        for outcome in selectors.report_outcomes(plan_id=plan.pk)
    )
    return Report(
        organisation=plan.organisation,
        plan_title=plan.title,
        title=_ordinal_title(periods.position),
        period_slug=period.slug,
        period_title=period.title,
        period_label=period.short_label,
        period_start=period.start,
        period_end=period.end,
        previous_period_title=periods.previous.title if periods.previous else "",
        is_published=period.is_published,
        state_label=period.get_state_display(),
        purpose=period.report_purpose,
        summary=period.report_summary,
        columns=_columns(periods),
        facts=_summary_facts(sections, previous=periods.previous),
        rag_definitions=tuple(
            RagDefinitionRow(rag_style(rating), definitions[rating])
            for rating in RAG_ORDER
            if rating in definitions
        ),
        outcomes=sections,
        generated_at=timezone.now(),
        report_date=period.report_date,
        report_date_precision=period.report_date_precision if period.report_date else "",
        checks=None if period.is_published else report_checks(period_check(period=period)),
        amendments=report_amendments(period=period, outcomes=sections),
        commissioners_judgement=_commissioners_judgement(
            sections, judgements=judgements_for_publication(period_id=period.pk)
        ),
    )


def _periods(period: ReportingPeriod) -> _Periods:
    """Same rules as outcomes.selectors.period_baseline / period_previous, read from one query."""
    series = selectors.period_series(plan_id=period.plan.pk)
    baseline = next((p for p in series if p.is_baseline), None) or (series[0] if series else None)
    earlier = [p for p in series if p.end < period.end]
    return _Periods(
        current=period,
        baseline=baseline,
        previous=earlier[-1] if earlier else None,
        position=len(earlier) + 1,
    )


def _ratings(periods: _Periods, *, carried_forward_label: str) -> _Ratings:
    previous = periods.previous
    current = selectors.report_assessments(period_id=periods.current.pk)
    comparison_ids = sorted(
        {p.pk for p in (periods.baseline, previous) if p is not None and p.pk != periods.current.pk}
    )
    since = f" ({previous.title})" if previous else ""
    return _Ratings(
        periods=periods,
        current=current,
        earlier=selectors.report_ratings(period_ids=comparison_ids),
        quotation_label=f"From the last report{since}:",
        carried_forward_label=carried_forward_label,
    )


def _outcome_section(outcome, *, ratings: _Ratings, summary: str, show_names: bool) -> OutcomeSection:
    return OutcomeSection(
        pk=outcome.pk,
        number=outcome.number,
        title=outcome.title,
        lead_title=outcome.lead_title,
        # The council's papers name roles: an account's name is printed only where the plan asks.
        lead_director_name=display_name(outcome.lead_director) if show_names else "",
        lead_director_summary=summary,
        criteria=tuple(_report_criterion(criterion, ratings=ratings) for criterion in outcome.criteria.all()),
    )


def _report_criterion(criterion, *, ratings: _Ratings) -> ReportCriterion:
    rag, narrative, carried_forward, quoted = ratings.current.get(criterion.pk, NO_ASSESSMENT)
    marker = ratings.carried_forward_label if carried_forward and not narrative.strip() else ""
    introduced = bool(INTRODUCES_QUOTATION.search(narrative or marker))
    periods = ratings.periods
    return ReportCriterion(
        pk=criterion.pk,
        outcome_number=criterion.outcome.number,
        outcome_title=criterion.outcome.title,
        letter=criterion.letter,
        reference=criterion.reference,
        text=criterion.text,
        rag=RagTriple(
            baseline=ratings.of(periods.baseline, criterion.pk),
            previous=ratings.of(periods.previous, criterion.pk),
            current=rag,
        ),
        carried_forward=carried_forward,
        assessment=narrative,
        quoted_previous=quoted,
        quotation_label=ratings.quotation_label if quoted and not introduced else "",
        carried_forward_marker=marker,
    )


def _commissioners_judgement(
    sections: Iterable[OutcomeSection], *, judgements: dict[int, tuple[str, str]]
) -> CommissionersJudgement | None:
    """None unless the commissioners marked the period's judgement for publication and judged an outcome."""
    rows = []
    for section in sections:
        if section.pk not in judgements:
            continue
        rag, commentary = judgements[section.pk]
        council = RagCounts.from_mapping(Counter(row.rag.current for row in section.criteria))
        rows.append(
            JudgementRow(
                outcome_number=section.number,
                outcome_title=section.title,
                council=council_outcome_rating(council),
                commissioners=rag,
                commentary=commentary,
            )
        )
    return CommissionersJudgement(rows=tuple(rows)) if rows else None


def _summary_facts(sections: Iterable[OutcomeSection], *, previous: ReportingPeriod | None) -> SummaryFacts:
    rows = [row for section in sections for row in section.criteria]
    counts = RagCounts.from_mapping(
        Counter(row.rag.current if row.rag.current in RAG_STYLES else NOT_RATED_VALUE for row in rows)
    )
    movers = [_mover(row) for row in rows if row.moved]
    return SummaryFacts(
        total=counts.total,
        counts=tuple(RagCount(style, count) for style, count in counts.items()),
        improved=tuple(m for m in movers if m.movement is Movement.UP),
        declined=tuple(m for m in movers if m.movement is Movement.DOWN),
        has_previous=previous is not None,
        previous_label=previous.short_label if previous else "",
    )


def _mover(row: ReportCriterion) -> Mover:
    return Mover(
        reference=row.reference,
        outcome_number=row.outcome_number,
        outcome_title=row.outcome_title,
        text=row.text,
        previous=row.rag.previous,
        current=row.rag.current,
        movement=row.movement,
    )


def _columns(periods: _Periods) -> ReportColumns:
    baseline, previous, current = periods.baseline, periods.previous, periods.current
    return ReportColumns(
        baseline=_column("Baseline", baseline),
        previous=_column("last period", previous),
        current=_column("this period", current),
        baseline_period=baseline.short_label if baseline else NO_PERIOD,
        previous_period=previous.short_label if previous else NO_PERIOD,
        current_period=current.short_label,
    )


def _ordinal_title(position: int) -> str:
    if position <= len(ORDINALS):
        return f"{ORDINALS[position - 1]} {REPORT_TITLE}"
    return f"{REPORT_TITLE} {position}"


def _column(heading: str, period: ReportingPeriod | None) -> str:
    return f"RAG – {heading} ({period.short_label})" if period else f"RAG – {heading}"


def site_url() -> str:
    """The service's address for links in files that leave it (renderers never read settings)."""
    return getattr(settings, "SITE_URL", "").rstrip("/")


def report_checks(checks: CheckResult) -> ReportChecks:
    """The findings as the draft's Checks sheet lists them: blocking, then warnings to acknowledge, then
    acknowledged ones, each with an absolute link to where it is fixed."""
    site = site_url()

    def row(status: str, finding, acknowledgement=None) -> CheckFindingRow:
        return CheckFindingRow(
            status=status,
            criterion_reference=finding.criterion_reference,
            outcome_number=str(finding.outcome_number or ""),
            explanation=finding.explanation,
            acknowledged_reason=acknowledgement.reason if acknowledgement else "",
            acknowledged_by=acknowledgement.acknowledged_by if acknowledgement else "",
            fix_link=f"{site}{finding.fix_url}" if finding.fix_url else "",
            key=finding.key,
        )

    rows = [
        *(row("Blocks publication", finding) for finding in checks.blocking),
        *(row("Warning – not acknowledged", finding) for finding in checks.unacknowledged_warnings),
        *(row("Warning – acknowledged", f, ack) for f, ack in checks.acknowledged_warnings),
    ]
    return ReportChecks(
        checked_at=checks.checked_at,
        rows=tuple(rows),
        blocking=len(checks.blocking),
        unacknowledged=len(checks.unacknowledged_warnings),
        acknowledged=len(checks.acknowledged_warnings),
        can_publish=checks.can_publish,
    )
