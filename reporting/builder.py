"""Builds a period's outcome report once, as plain frozen data, for every renderer to read.

The council's hand-assembled report contradicted itself between its summary table and its
per-outcome tables. Here every rendering (HTML, PDF, Excel, JSON) reads the same `Report`,
so a rating, a count or a sentence cannot differ between them. Building costs a fixed number
of queries whatever the size of the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from core.rag import NOT_RATED, RAG_ORDER, Movement, RagStyle, movement, rag_style
from outcomes import selectors
from outcomes.checks import CheckResult, period_check
from outcomes.models import ReportingPeriod

REPORT_TITLE = "Report on Outcomes and Success Criteria"
ORDINALS = (
    "First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Eleventh Twelfth Thirteenth "
    "Fourteenth Fifteenth Sixteenth Seventeenth Eighteenth Nineteenth Twentieth"
).split()
NO_PERIOD = "–"
NO_ASSESSMENT = ("", "", False, "")


@dataclass(frozen=True)
class RagTriple:
    """A criterion's rating in the baseline, last and this period ("" when not rated)."""

    baseline: str
    previous: str
    current: str

    @property
    def movement(self) -> Movement:
        """Direction of travel since last period."""
        return movement(self.previous, self.current)

    @property
    def styles(self) -> tuple[RagStyle, RagStyle, RagStyle]:
        return rag_style(self.baseline), rag_style(self.previous), rag_style(self.current)


@dataclass(frozen=True)
class CriterionRow:
    pk: int
    outcome_number: int
    letter: str
    text: str
    rag: RagTriple
    carried_forward: bool
    assessment: str
    # Last period's assessment, quoted beneath this one (Assessment.quotes_previous), else "".
    quoted_previous: str = ""

    @property
    def reference(self) -> str:
        """As the council cites it: outcome number and letter, e.g. "4b"."""
        return f"{self.outcome_number}{self.letter}"

    @property
    def movement(self) -> Movement:
        return self.rag.movement

    @property
    def moved(self) -> bool:
        return self.movement in (Movement.UP, Movement.DOWN)


@dataclass(frozen=True)
class OutcomeSection:
    pk: int
    number: int
    title: str
    lead_title: str
    lead_director_name: str
    lead_director_summary: str
    criteria: tuple[CriterionRow, ...]

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def anchor(self) -> str:
        return f"outcome-{self.number}"

    @property
    def lead(self) -> str:
        """Who leads it, as far as the plan records: "Name, job title", either or neither."""
        return ", ".join(part for part in (self.lead_director_name, self.lead_title) if part)


@dataclass(frozen=True)
class ReportColumns:
    """Headings of the three RAG columns, naming their periods."""

    baseline: str
    previous: str
    current: str
    baseline_period: str
    previous_period: str
    current_period: str

    def as_tuple(self) -> tuple[str, str, str]:
        return self.baseline, self.previous, self.current


@dataclass(frozen=True)
class RagCount:
    style: RagStyle
    count: int


@dataclass(frozen=True)
class Mover:
    """A criterion whose rating moved between last period and this one."""

    reference: str
    outcome_number: int
    outcome_title: str
    text: str
    previous: str
    current: str
    movement: Movement


@dataclass(frozen=True)
class SummaryFacts:
    """The generated part of the Summary: counts this period and who moved since last period."""

    total: int
    counts: tuple[RagCount, ...]  # red, amber, green, then not rated (only if any)
    improved: tuple[Mover, ...]
    declined: tuple[Mover, ...]
    has_previous: bool
    previous_label: str

    @property
    def changes(self) -> tuple[Mover, ...]:
        return tuple(sorted(self.improved + self.declined, key=lambda m: (m.outcome_number, m.reference)))

    def count_of(self, rag: str) -> int:
        wanted = rag_style(rag)
        return next((c.count for c in self.counts if c.style == wanted), 0)

    @property
    def sentences(self) -> tuple[str, ...]:
        """The facts in words, written once so every format says the same thing."""
        rated = ", ".join(f"{c.count} {c.style.label}" for c in self.counts if c.style is not NOT_RATED)
        first = f"This period {self.total} success {_plural(self.total, 'criterion', 'criteria')} "
        first += f"{'is' if self.total == 1 else 'are'} rated: {rated}."
        not_rated = self.count_of("")
        if not_rated:
            first += f" {not_rated} {_plural(not_rated, 'is', 'are')} not rated."
        if not self.has_previous:
            return (first, "This is the baseline period, so there is no earlier rating to compare with.")
        moved = (
            f"Since last period ({self.previous_label}), {len(self.improved)} "
            f"{_plural(len(self.improved), 'criterion', 'criteria')} moved up and {len(self.declined)} "
            f"moved down."
        )
        sentences = [first, moved]
        if self.improved:
            sentences.append("Moved up: " + _mover_list(self.improved) + ".")
        if self.declined:
            sentences.append("Moved down: " + _mover_list(self.declined) + ".")
        return tuple(sentences)


@dataclass(frozen=True)
class RagDefinitionRow:
    style: RagStyle
    definition: str


@dataclass(frozen=True)
class Report:
    organisation: str
    plan_title: str
    title: str  # "Second Report on Outcomes and Success Criteria"
    period_slug: str
    period_title: str  # "Quarter to December 2024"
    period_label: str  # "Dec 24"
    period_start: dt.date
    period_end: dt.date
    previous_period_title: str  # "" for the first period
    is_published: bool
    state_label: str
    purpose: str
    summary: str
    columns: ReportColumns
    facts: SummaryFacts
    rag_definitions: tuple[RagDefinitionRow, ...]
    outcomes: tuple[OutcomeSection, ...]
    generated_at: dt.datetime
    # Pre-publication findings (outcomes/checks.py), for unpublished periods only: the draft's Checks
    # sheet. Costs outcomes.checks.CHECK_QUERIES more queries, still fixed.
    checks: CheckResult | None = None

    @property
    def is_draft(self) -> bool:
        return not self.is_published

    @property
    def status(self) -> str:
        """What the cover says: an unpublished period is a draft, whatever its workflow state."""
        return "Published" if self.is_published else f"DRAFT – not published ({self.state_label.lower()})"

    @property
    def carried_forward_note(self) -> str:
        """Introduces an assessment repeated from last period, which is then set apart in italics."""
        since = f" ({self.previous_period_title})" if self.previous_period_title else ""
        return (
            f"The position is assessed as being the same as last period{since}; "
            "the assessment is carried forward."
        )

    @property
    def quoted_previous_label(self) -> str:
        """Introduces last period's assessment quoted beneath this one, set apart in italics."""
        since = f" ({self.previous_period_title})" if self.previous_period_title else ""
        return f"From the last report{since}:"

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.period_title}"

    @property
    def filename_stem(self) -> str:
        return f"outcome-report-{self.period_slug}"

    @cached_property
    def criteria(self) -> tuple[CriterionRow, ...]:
        return tuple(row for outcome in self.outcomes for row in outcome.criteria)


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _mover_list(movers: tuple[Mover, ...]) -> str:
    return "; ".join(
        f"{m.reference} ({rag_style(m.previous).label} to {rag_style(m.current).label})" for m in movers
    )


def _ordinal_title(position: int) -> str:
    if position <= len(ORDINALS):
        return f"{ORDINALS[position - 1]} {REPORT_TITLE}"
    return f"{REPORT_TITLE} {position}"


def _column(heading: str, period: ReportingPeriod | None) -> str:
    return f"RAG – {heading} ({period.short_label})" if period else f"RAG – {heading}"


def report_build(*, period: ReportingPeriod) -> Report:
    """The whole report for `period`, in seven queries at any size (plus `period.plan` if not loaded)."""
    plan = period.plan
    series = selectors.period_series(plan_id=plan.pk)
    # Same rules as outcomes.selectors.period_baseline / period_previous, read from one query.
    baseline = next((p for p in series if p.is_baseline), None) or (series[0] if series else None)
    earlier = [p for p in series if p.end < period.end]
    previous = earlier[-1] if earlier else None
    position = len(earlier) + 1

    outcomes = selectors.report_outcomes(plan_id=plan.pk)
    current = selectors.report_assessments(
        period_id=period.pk, previous_period_id=previous.pk if previous else None
    )
    comparison_ids = sorted({p.pk for p in (baseline, previous) if p is not None and p.pk != period.pk})
    ratings = selectors.report_ratings(period_ids=comparison_ids)
    summaries = selectors.report_outcome_summaries(period_id=period.pk)
    definitions = selectors.rag_definition_list(plan_id=plan.pk)

    def rating(of: ReportingPeriod | None, criterion_id: int) -> str:
        if of is None:
            return ""
        if of.pk == period.pk:
            return current.get(criterion_id, NO_ASSESSMENT)[0]
        return ratings.get((of.pk, criterion_id), "")

    sections = []
    improved: list[Mover] = []
    declined: list[Mover] = []
    counts = dict.fromkeys([*RAG_ORDER, ""], 0)
    for outcome in outcomes:
        rows = []
        for criterion in outcome.criteria.all():
            rag, narrative, carried_forward, quoted = current.get(criterion.pk, NO_ASSESSMENT)
            row = CriterionRow(
                pk=criterion.pk,
                outcome_number=outcome.number,
                letter=criterion.letter,
                text=criterion.text,
                rag=RagTriple(
                    baseline=rating(baseline, criterion.pk),
                    previous=rating(previous, criterion.pk),
                    current=rag,
                ),
                carried_forward=carried_forward,
                assessment=narrative,
                # A carried-forward narrative already is last period's text: never print it twice.
                quoted_previous="" if carried_forward else quoted,
            )
            rows.append(row)
            counts[rag if rag in counts else ""] += 1
            if row.moved:
                mover = Mover(
                    reference=row.reference,
                    outcome_number=outcome.number,
                    outcome_title=outcome.title,
                    text=row.text,
                    previous=row.rag.previous,
                    current=row.rag.current,
                    movement=row.movement,
                )
                (improved if row.movement is Movement.UP else declined).append(mover)
        director = outcome.lead_director
        sections.append(
            OutcomeSection(
                pk=outcome.pk,
                number=outcome.number,
                title=outcome.title,
                lead_title=outcome.lead_title,
                lead_director_name=(director.get_full_name() or director.get_username()) if director else "",
                lead_director_summary=summaries.get(outcome.pk, ""),
                criteria=tuple(rows),
            )
        )

    rag_counts = [RagCount(rag_style(rag), counts[rag]) for rag in RAG_ORDER]
    if counts[""]:
        rag_counts.append(RagCount(NOT_RATED, counts[""]))
    facts = SummaryFacts(
        total=sum(counts.values()),
        counts=tuple(rag_counts),
        improved=tuple(improved),
        declined=tuple(declined),
        has_previous=previous is not None,
        previous_label=previous.short_label if previous else "",
    )
    return Report(
        organisation=plan.organisation,
        plan_title=plan.title,
        title=_ordinal_title(position),
        period_slug=period.slug,
        period_title=period.title,
        period_label=period.short_label,
        period_start=period.start,
        period_end=period.end,
        previous_period_title=previous.title if previous else "",
        is_published=period.is_published,
        state_label=period.get_state_display(),
        purpose=period.report_purpose,
        summary=period.report_summary,
        columns=ReportColumns(
            baseline=_column("Baseline", baseline),
            previous=_column("last period", previous),
            current=_column("this period", period),
            baseline_period=baseline.short_label if baseline else NO_PERIOD,
            previous_period=previous.short_label if previous else NO_PERIOD,
            current_period=period.short_label,
        ),
        facts=facts,
        rag_definitions=tuple(
            RagDefinitionRow(rag_style(rating), definitions[rating])
            for rating in RAG_ORDER
            if rating in definitions
        ),
        outcomes=tuple(sections),
        generated_at=timezone.now(),
        checks=None if period.is_published else period_check(period=period),
    )
