"""The built reports as plain frozen data, importing no model: the outcome report here, the
boards' exception report in `reporting.report.delivery`.

The council's hand-assembled report contradicted itself between its summary table and its
per-outcome tables. Here every rendering (HTML, PDF, Excel, JSON) reads the same `Report`,
so a rating, a count or a sentence cannot differ between them. This module knows no model,
selector or setting: renderers import it, and only it, to see the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from core.rag import NOT_RATED, Movement, RagStyle, movement, rag_style


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
class ReportCriterion:
    """One success criterion as the report prints it: its ratings in three periods and its assessment."""

    pk: int
    outcome_number: int
    outcome_title: str
    letter: str
    reference: str  # as the council cites it (SuccessCriterion.reference), e.g. "4b"
    text: str
    rag: RagTriple
    carried_forward: bool
    assessment: str  # the officer's whole text, exactly as written
    # The earlier text quoted beneath the assessment in italics (Assessment.quoted_text), else "".
    quoted_previous: str = ""
    # Printed above the quotation only when the assessment does not already introduce it.
    quotation_label: str = ""
    # The plan's carried-forward marker, shown only for a carried-forward criterion with no text
    # of its own: never in place of, or beside, what the officer wrote.
    carried_forward_marker: str = ""

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
    criteria: tuple[ReportCriterion, ...]

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def anchor(self) -> str:
        return f"outcome-{self.number}"

    @property
    def lead(self) -> str:
        """Who leads it, as the council records it: the job title; a name only where the plan shows
        names (the builder leaves `lead_director_name` empty otherwise)."""
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
class CheckFindingRow:
    """One pre-publication finding as the draft's Checks sheet lists it (all text, link absolute)."""

    status: str  # "Blocks publication", "Warning – not acknowledged", "Warning – acknowledged"
    criterion_reference: str
    outcome_number: str  # "" for a finding about no outcome
    explanation: str
    acknowledged_reason: str
    acknowledged_by: str
    fix_link: str  # absolute (settings.SITE_URL + the page's path), so the sheet can be emailed; or ""
    key: str


@dataclass(frozen=True)
class ReportChecks:
    """The pre-publication findings carried by a draft report: blocking first, then warnings."""

    checked_at: dt.datetime
    rows: tuple[CheckFindingRow, ...]
    blocking: int
    unacknowledged: int
    acknowledged: int
    can_publish: bool

    @property
    def summary(self) -> str:
        checked = f"Checked {self.checked_at:%d %B %Y %H:%M}"
        if not self.rows:
            return f"{checked}: no findings. Nothing stops publication."
        blocking, waiting = self.blocking, self.unacknowledged
        return (
            f"{checked}: {blocking} finding{'s' * (blocking != 1)} block publication, "
            f"{waiting} warning{'s' * (waiting != 1)} not acknowledged, {self.acknowledged} acknowledged. "
            + ("Nothing stops publication." if self.can_publish else "The period cannot be published yet.")
        )


@dataclass(frozen=True)
class Amendment:
    """A change to the record after publication: the period was re-opened with `reason`, then changed."""

    date: dt.date
    subject: str  # a criterion's reference ("4b") or "Outcome 4" for its Lead Director Summary
    what: str  # "RAG rating", "Assessment of progress" or "Lead Director Summary"
    before: str
    after: str
    reason: str  # why the Programme Office re-opened the period


@dataclass(frozen=True)
class JudgementRow:
    """The commissioners' rating of one outcome beside the council's own (both "" when not rated)."""

    outcome_number: int
    outcome_title: str
    council: str  # the rating most of the outcome's criteria hold this period, a tie to the worse
    commissioners: str
    commentary: str

    @property
    def heading(self) -> str:
        return f"{self.outcome_number}. {self.outcome_title}"

    @property
    def council_style(self) -> RagStyle:
        return rag_style(self.council)

    @property
    def commissioners_style(self) -> RagStyle:
        return rag_style(self.commissioners)

    @property
    def differs(self) -> bool:
        return self.council_style.letter != self.commissioners_style.letter

    @property
    def difference(self) -> str:
        """Said in words, so the difference is never told by colour or position alone."""
        return "Differs from the council's rating" if self.differs else "Same as the council's rating"


@dataclass(frozen=True)
class CommissionersJudgement:
    """The commissioners' judgement, in the report only when they marked the period's for publication."""

    rows: tuple[JudgementRow, ...]

    @property
    def differing(self) -> tuple[JudgementRow, ...]:
        return tuple(row for row in self.rows if row.differs)

    @property
    def introduction(self) -> str:
        return (
            "The commissioners' own assurance rating of each outcome they judged this period, beside the "
            "council's self-assessment (the rating most of the outcome's success criteria hold)."
        )

    @property
    def differences(self) -> str:
        if not self.differing:
            return "The commissioners' rating matches the council's for every outcome they judged."
        outcomes = ", ".join(str(row.outcome_number) for row in self.differing)
        return (
            f"The commissioners' rating differs from the council's for "
            f"{_plural(len(self.differing), 'outcome', 'outcomes')} {outcomes}."
        )


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
    generated_at: dt.datetime  # when this copy was built: a draft says it, a published report never does
    # The date the published report carries (its publication, or the meeting the council's papers
    # give), with its precision: "day", "month", or "" when there is none.
    report_date: dt.date | None = None
    report_date_precision: str = ""
    # Pre-publication findings, already turned into rows, for unpublished periods only: the draft's
    # Checks sheet. Building them costs outcomes.checks.CHECK_QUERIES more queries, still fixed.
    checks: ReportChecks | None = None
    # Corrections made by re-opening the period after publication, from history (reporting/amendments.py).
    amendments: tuple[Amendment, ...] = ()
    # The commissioners' judgement, only when they marked this period's for publication; else None.
    commissioners_judgement: CommissionersJudgement | None = None

    @property
    def is_draft(self) -> bool:
        return not self.is_published

    @property
    def status(self) -> str:
        """What the cover says: an unpublished period is a draft, whatever its workflow state."""
        return "Published" if self.is_published else f"DRAFT – not published ({self.state_label.lower()})"

    @property
    def dated(self) -> str:
        """The cover's date line: a published report is dated by its publication, never by a download;
        a draft says when this copy was made, because it may change."""
        if self.is_draft:
            return f"Draft as at {self.generated_at:%-d %B %Y, %H:%M}"
        if self.report_date is None:
            published = "Published"
        elif self.report_date_precision == "month":
            published = f"Published {self.report_date:%B %Y}"
        else:
            published = f"Published {self.report_date:%-d %B %Y}"
        if self.amendments:
            # Corrected after publication: the cover says so, dated by the latest amendment.
            latest = max(amendment.date for amendment in self.amendments)
            return f"{published}; amended {latest:%-d %B %Y}"
        return published

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.period_title}"

    @property
    def filename_stem(self) -> str:
        return f"outcome-report-{self.period_slug}"

    @cached_property
    def criteria(self) -> tuple[ReportCriterion, ...]:
        return tuple(row for outcome in self.outcomes for row in outcome.criteria)


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _mover_list(movers: tuple[Mover, ...]) -> str:
    return "; ".join(
        f"{m.reference} ({rag_style(m.previous).label} to {rag_style(m.current).label})" for m in movers
    )
