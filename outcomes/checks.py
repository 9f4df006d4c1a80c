"""Pre-publication checks: what must be fixed, or knowingly accepted, before a period is published.

The council's Second Report went to Cabinet with one criterion's Assessment of Progress (4b,
complaints monitoring) copied from another's (3f, Group Leaders' relationships). These checks catch
that kind of fault. `period_check(period=...)` reads the period with a fixed number of queries into
plain rows; the rules below are pure functions over those rows; each returns `Finding`s.

Rules and their severity (a *blocking* finding must be fixed; a *warning* may be acknowledged with
a reason, after which it no longer stops publication):

=============================  ========  ==========================================================
rule                           severity  fires when
=============================  ========  ==========================================================
missing-rag                    blocks    a criterion has no rating this period
missing-narrative              blocks    a criterion has no assessment of progress (the message
                                         says so when its rating also moved two steps, R↔G)
not-approved                   blocks    the assessment is not approved by its Lead Director
missing-summary                blocks    an outcome has no Lead Director Summary
duplicate                      blocks    the narrative is word for word another criterion's
near-duplicate                 warning   the narrative shares most of its wording with another's
same-as-previous               warning   identical to last period's but not marked carried forward
                                         (a narrative quoting last period's is judged on its own
                                         words: its new text is not "identical")
carried-forward-streak         warning   carried forward for 3 periods in a row or more
rag-moved-narrative-unchanged  warning   the rating moved one step, the narrative did not change
rag-jump-unexplained           blocks    the rating moved two steps (Red↔Green) and the narrative
                                         did not change: Cabinet needs the reason for such a move
=============================  ========  ==========================================================

"Did not change" means marked carried forward, or the same words as last period's (non-empty)
narrative once case, punctuation and spacing are ignored. An empty narrative last period (Thurrock's
September 2024, whose first report is not among the sources) is never "the same".

Similarity (duplicate / near-duplicate). Texts are normalised (lower case, words only: punctuation
and spacing ignored). Narratives under 8 words are left out: stock phrases such as "As at 1st
Report." or "On track." legitimately recur and say nothing copied. Identical normalised texts are a
duplicate. Otherwise the score is the *containment* of word 3-shingles: the share of the shorter
narrative's three-word phrases that also occur in the other. Containment, not Jaccard, because a
pasted paragraph inside a longer text is still a copy. Threshold: 0.5 ("half or more of its wording").

Tuned on Thurrock's real data (`fixtures/thurrock/outcomes.json`; `pair_scores()` prints these).
December 2024, the ten most similar pairs (61 narratives, 1,770 pairs):

    rank  containment  jaccard  pair          rank  containment  jaccard  pair
    1     0.768        0.483    4b ~ 3f       6     0.286        0.086    12b ~ 10b
    2     0.711        0.471    12b ~ 10c     7     0.286        0.071    10b ~ 10a
    3     0.711        0.386    10c ~ 10a     8     0.267        0.121    11c ~ 3e
    4     0.709        0.453    12b ~ 10a     9     0.267        0.107    11c ~ 3b
    5     0.286        0.100    10c ~ 10b     10    0.190        0.085    12a ~ 10b

September 2024 (9 narratives; the rest are empty): the highest pair scores 0.044. The threshold, 0.5,
sits in the middle of the gap between ranks 4 and 5 (0.286 … 0.709), about 0.2 from each side, so
small edits to either side do not flip a decision. 4b ~ 3f is the top pair, but ranks 2–4 are not
noise: 10a, 10c and 12b open with the same two sentences word for word (the performance management
review), so they are reported too, as warnings the Programme Office can acknowledge with a reason
("one review answers three criteria"). No threshold separates 4b ~ 3f (0.768) from them
(0.709–0.711) without fitting to noise; Jaccard would not either (0.483 against 0.471).

Finding all similar pairs among 6,100 narratives stays fast by scoring only candidates: pairs that
share at least one 5-word run (a copy-paste leaves long identical runs; three-word phrases alone are
too common to index usefully). A 5-word run found in more than `BOILERPLATE_POSTINGS` narratives is
boilerplate and proposes no candidates by itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.rag import movement, rag_style
from outcomes.models import (
    Assessment,
    AssessmentStatus,
    CheckAcknowledgement,
    Outcome,
    OutcomeSummary,
    ReportingPeriod,
    SuccessCriterion,
)

MIN_WORDS_FOR_SIMILARITY = 8
SHINGLE_WORDS = 3
NEAR_DUPLICATE_THRESHOLD = 0.5
CANDIDATE_RUN_WORDS = 5
BOILERPLATE_POSTINGS = 100
CARRIED_FORWARD_STREAK = 3
# Queries `period_check` makes, whatever the size of the plan (asserted at 61 and 6,100 criteria).
CHECK_QUERIES = 6


class Severity(models.TextChoices):
    BLOCKS = "blocks", "Blocks publication"
    WARNING = "warning", "Warning"


class Rule:
    MISSING_RAG = "missing-rag"
    MISSING_NARRATIVE = "missing-narrative"
    NOT_APPROVED = "not-approved"
    MISSING_SUMMARY = "missing-summary"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near-duplicate"
    SAME_AS_PREVIOUS = "same-as-previous"
    CARRIED_FORWARD_STREAK = "carried-forward-streak"
    RAG_MOVED_NARRATIVE_UNCHANGED = "rag-moved-narrative-unchanged"
    RAG_JUMP_UNEXPLAINED = "rag-jump-unexplained"


@dataclass(frozen=True)
class Finding:
    key: str  # stable across runs: what an acknowledgement refers to
    rule: str
    severity: Severity
    explanation: str
    fix_url: str
    fix_label: str
    criterion_reference: str = ""
    outcome_number: int | None = None
    related_reference: str = ""  # the other criterion of a duplicate pair
    position: tuple = ()  # report order

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCKS

    def __str__(self) -> str:
        return f"{self.subject}: {self.explanation}"

    @property
    def message(self) -> str:
        """What the publish page lists (PublicationBlocked.blockers)."""
        return self.explanation

    @property
    def subject(self) -> str:
        return self.criterion_reference or f"Outcome {self.outcome_number}"

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label


@dataclass(frozen=True)
class Acknowledgement:
    finding_key: str
    reason: str
    acknowledged_by: str
    acknowledged_at: dt.datetime


@dataclass(frozen=True)
class CheckResult:
    period_slug: str
    period_title: str
    findings: tuple[Finding, ...]
    acknowledgements: dict[str, Acknowledgement]
    checked_at: dt.datetime

    def acknowledgement(self, finding: Finding) -> Acknowledgement | None:
        if finding.blocks:
            return None
        return self.acknowledgements.get(finding.key)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocks]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocks]

    @property
    def unacknowledged_warnings(self) -> list[Finding]:
        return [f for f in self.warnings if f.key not in self.acknowledgements]

    @property
    def acknowledged_warnings(self) -> list[tuple[Finding, Acknowledgement]]:
        return [(f, self.acknowledgements[f.key]) for f in self.warnings if f.key in self.acknowledgements]

    @property
    def publication_blockers(self) -> list[Finding]:
        """What stops publication: every blocking finding and every warning not yet acknowledged."""
        return [f for f in self.findings if f.blocks or f.key not in self.acknowledgements]

    @property
    def can_publish(self) -> bool:
        return not self.publication_blockers

    def finding(self, key: str) -> Finding | None:
        return next((f for f in self.findings if f.key == key), None)


# --- Plain rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionRow:
    """One criterion in the period being checked, with what the rules need from earlier periods."""

    criterion_id: int
    reference: str
    outcome_number: int
    letter: str
    outcome_id: int | None = None
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
class OutcomeRow:
    outcome_id: int
    number: int
    summary: str | None  # None: no summary row at all


@dataclass(frozen=True)
class PeriodRows:
    criteria: list[CriterionRow]
    outcomes: list[OutcomeRow]
    period_labels: tuple[str, ...] = ()  # this period's short label, then the previous two


@dataclass
class FixLinks:
    """Where each finding is fixed: the officer's update page, or the outcome's sign-off page (approval and
    the Lead Director Summary). URLs are reversed once and filled in, so 6,000 links stay cheap."""

    assessment_template: str = ""
    outcome_template: str = ""
    fallback: str = ""

    PLACEHOLDER = 987654321

    @classmethod
    def for_period(cls, period: ReportingPeriod) -> FixLinks:
        placeholder = cls.PLACEHOLDER
        return cls(
            assessment_template=reverse("outcomes:assessment_edit", args=[placeholder]),
            outcome_template=reverse("outcomes:signoff_outcome", args=[period.slug, placeholder]),
            fallback=reverse("outcomes:period_checks", args=[period.slug]),
        )

    def assessment(self, row: CriterionRow) -> str:
        if row.assessment_id is None or not self.assessment_template:
            return self.fallback
        return self.assessment_template.replace(str(self.PLACEHOLDER), str(row.assessment_id))

    def outcome(self, row: OutcomeRow | CriterionRow) -> str:
        """The outcome's sign-off page, where its Lead Director approves and writes the summary."""
        if not self.outcome_template or row.outcome_id is None:
            return self.fallback
        return self.outcome_template.replace(str(self.PLACEHOLDER), str(row.outcome_id))


# --- Text -------------------------------------------------------------------------------------

_WORDS = re.compile(r"\w+")


def normalised_words(text: str) -> list[str]:
    """Lower-case words; punctuation, apostrophes and spacing do not count as differences."""
    return _WORDS.findall(text.lower())


def shingles(words: list[str], size: int = SHINGLE_WORDS) -> set[tuple[str, ...]]:
    """The set of runs of `size` consecutive words."""
    return set(zip(*(words[i:] for i in range(size)), strict=False))


def run_hashes(words: list[str], size: int) -> set[int]:
    """Hashes of the runs of `size` consecutive words (a collision only adds a candidate to score)."""
    return {hash(run) for run in zip(*(words[i:] for i in range(size)), strict=False)}


def containment(a: set, b: set) -> float:
    """Share of the smaller set found in the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class SimilarPair:
    later: CriterionRow  # in report order; the likelier copy
    earlier: CriterionRow
    score: float  # containment of 3-word phrases; 1.0 for identical texts
    identical: bool


def similar_pairs(
    rows: Iterable[CriterionRow], *, threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> list[SimilarPair]:
    """Pairs of narratives that are identical or share at least `threshold` of their wording."""
    eligible = []
    for row in rows:
        words = row.words
        if len(words) >= MIN_WORDS_FOR_SIMILARITY:
            eligible.append((row, words))
    eligible.sort(key=lambda item: item[0].position)

    pairs: list[SimilarPair] = []
    # Identical texts: each later copy is paired with the first, so n copies give n-1 findings.
    first_with_text: dict[str, int] = {}
    representative: list[int] = []
    for index, (row, words) in enumerate(eligible):
        text = " ".join(words)
        if text in first_with_text:
            first = eligible[first_with_text[text]][0]
            pairs.append(SimilarPair(later=row, earlier=first, score=1.0, identical=True))
        else:
            first_with_text[text] = index
            representative.append(index)

    # Near-identical: candidates share a 5-word run; only those are scored. Runs are kept as
    # hashes (ints) and most runs occur once, so memory and garbage collection stay small at 6,100.
    first_with_run: dict[int, int] = {}
    shared_runs: dict[int, list[int]] = {}
    for index in representative:
        for run in run_hashes(eligible[index][1], CANDIDATE_RUN_WORDS):
            first = first_with_run.setdefault(run, index)
            if first != index:
                shared_runs.setdefault(run, [first]).append(index)
    candidates: set[tuple[int, int]] = set()
    for members in shared_runs.values():
        if len(members) > BOILERPLATE_POSTINGS:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                candidates.add((a, b))
    shingle_sets: dict[int, set] = {}
    for a, b in candidates:
        set_a = shingle_sets.get(a) or shingle_sets.setdefault(a, shingles(eligible[a][1]))
        set_b = shingle_sets.get(b) or shingle_sets.setdefault(b, shingles(eligible[b][1]))
        score = containment(set_a, set_b)
        if score >= threshold:
            # a < b: eligible is in report order, so b is the later criterion, the likelier copy.
            later, earlier = eligible[b][0], eligible[a][0]
            pairs.append(SimilarPair(later=later, earlier=earlier, score=score, identical=False))
    pairs.sort(key=lambda p: (p.later.position, p.earlier.position))
    return pairs


def pair_scores(rows: Iterable[CriterionRow]) -> list[tuple[float, float, str, str]]:
    """Every pair's (containment, jaccard, later, earlier), highest first: for tuning the threshold."""
    eligible = [
        (row, shingles(words))
        for row in sorted(rows, key=lambda r: r.position)
        if len(words := row.words) >= MIN_WORDS_FOR_SIMILARITY
    ]
    scores = []
    for i, (row_a, set_a) in enumerate(eligible):
        for row_b, set_b in eligible[i + 1 :]:
            scores.append(
                (containment(set_a, set_b), jaccard(set_a, set_b), row_b.reference, row_a.reference)
            )
    return sorted(scores, reverse=True)


# --- Rules: pure functions over rows ----------------------------------------------------------


def _criterion_finding(
    row: CriterionRow,
    rule: str,
    severity: Severity,
    explanation: str,
    links: FixLinks,
    *,
    related: str = "",
    at_sign_off: bool = False,
) -> Finding:
    key = f"{rule}:{row.reference}" + (f":{related}" if related else "")
    return Finding(
        key=key,
        rule=rule,
        severity=severity,
        explanation=explanation,
        fix_url=links.outcome(row) if at_sign_off else links.assessment(row),
        fix_label=f"Approve {row.reference} on outcome {row.outcome_number}’s sign-off page"
        if at_sign_off
        else f"Change {row.reference}’s assessment",
        criterion_reference=row.reference,
        outcome_number=row.outcome_number,
        related_reference=related,
        position=row.position,
    )


def _two_step_move(row: CriterionRow) -> bool:
    if not (row.has_previous and row.previous_rag and row.rag):
        return False
    return abs(rag_style(row.rag).rank - rag_style(row.previous_rag).rank) >= 2


def _narrative_unchanged(row: CriterionRow) -> bool:
    return row.carried_forward or row.narrative_unchanged


def rule_missing_rag(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    return [
        _criterion_finding(
            row,
            Rule.MISSING_RAG,
            Severity.BLOCKS,
            f"{row.reference} has no RAG rating for this period. "
            "Every criterion needs one before publication.",
            links,
        )
        for row in rows.criteria
        if not row.rag
    ]


def rule_missing_narrative(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    findings = []
    for row in rows.criteria:
        if row.narrative.strip():
            continue
        explanation = f"{row.reference} has no assessment of progress for this period."
        if _two_step_move(row):
            explanation += (
                f" Its rating moved two steps, from {rag_style(row.previous_rag).label} to "
                f"{rag_style(row.rag).label}, so Cabinet needs the reason."
            )
        findings.append(_criterion_finding(row, Rule.MISSING_NARRATIVE, Severity.BLOCKS, explanation, links))
    return findings


def rule_not_approved(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    return [
        _criterion_finding(
            row,
            Rule.NOT_APPROVED,
            Severity.BLOCKS,
            f"{row.reference}’s assessment is {AssessmentStatus(row.status).label.lower()}, not approved: "
            f"its Lead Director must approve it before publication."
            if row.assessment_id is not None
            else f"{row.reference} has no assessment in this period, so nothing has been approved.",
            links,
            at_sign_off=row.assessment_id is not None,
        )
        for row in rows.criteria
        if row.status != AssessmentStatus.APPROVED
    ]


def rule_missing_summary(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    return [
        Finding(
            key=f"{Rule.MISSING_SUMMARY}:{outcome.number}",
            rule=Rule.MISSING_SUMMARY,
            severity=Severity.BLOCKS,
            explanation=f"Outcome {outcome.number} has no Lead Director Summary for this period.",
            fix_url=links.outcome(outcome),
            fix_label=f"Write outcome {outcome.number}’s summary",
            outcome_number=outcome.number,
            position=(outcome.number, -1, ""),
        )
        for outcome in rows.outcomes
        if not (outcome.summary or "").strip()
    ]


def rule_copied_narratives(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    findings = []
    for pair in similar_pairs(rows.criteria):
        later, earlier = pair.later.reference, pair.earlier.reference
        if pair.identical:
            findings.append(
                _criterion_finding(
                    pair.later,
                    Rule.DUPLICATE,
                    Severity.BLOCKS,
                    f"{later}’s assessment of progress is word for word the same as {earlier}’s. "
                    f"Each criterion needs its own assessment.",
                    links,
                    related=earlier,
                )
            )
        else:
            findings.append(
                _criterion_finding(
                    pair.later,
                    Rule.NEAR_DUPLICATE,
                    Severity.WARNING,
                    f"{later}’s assessment of progress is nearly the same as {earlier}’s "
                    f"({pair.score:.0%} of the shorter text is in both). "
                    f"Check that {later}’s text is about {later}, not copied from {earlier}.",
                    links,
                    related=earlier,
                )
            )
    return findings


def rule_same_as_previous(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    label = rows.period_labels[1] if len(rows.period_labels) > 1 else "last period"

    def explanation(row: CriterionRow) -> str:
        if row.quotes_previous:
            # The report would print last period's text twice: as this period's and as the quotation.
            return (
                f"{row.reference}’s assessment of progress is the same as last period’s ({label}), which is "
                f"also quoted beneath it, so the report would print it twice. Write this period’s "
                f"assessment, or mark it “position unchanged” instead of quoting."
            )
        return (
            f"{row.reference}’s assessment of progress is the same as last period’s ({label}) but is not "
            f"marked as carried forward. Mark it “position unchanged” or update it."
        )

    return [
        _criterion_finding(row, Rule.SAME_AS_PREVIOUS, Severity.WARNING, explanation(row), links)
        for row in rows.criteria
        if not row.carried_forward and row.narrative_unchanged
    ]


def rule_carried_forward_streak(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    labels = ", ".join(reversed(rows.period_labels[:CARRIED_FORWARD_STREAK]))
    return [
        _criterion_finding(
            row,
            Rule.CARRIED_FORWARD_STREAK,
            Severity.WARNING,
            f"{row.reference}’s assessment has been carried forward unchanged for {CARRIED_FORWARD_STREAK} "
            f"periods in a row ({labels}). Ask its owner for a fresh assessment.",
            links,
        )
        for row in rows.criteria
        if row.carried_forward and row.previous_carried_forward and row.earlier_carried_forward
    ]


def rule_rag_moved_narrative_unchanged(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    findings = []
    for row in rows.criteria:
        if not row.narrative.strip() or not _narrative_unchanged(row):
            continue
        if movement(row.previous_rag, row.rag) not in ("up", "down"):
            continue
        before, after = rag_style(row.previous_rag).label, rag_style(row.rag).label
        if _two_step_move(row):
            findings.append(
                _criterion_finding(
                    row,
                    Rule.RAG_JUMP_UNEXPLAINED,
                    Severity.BLOCKS,
                    f"{row.reference}’s rating moved two steps, from {before} to {after}, but its assessment "
                    f"of progress is unchanged from last period. Explain the move before publication.",
                    links,
                )
            )
        else:
            findings.append(
                _criterion_finding(
                    row,
                    Rule.RAG_MOVED_NARRATIVE_UNCHANGED,
                    Severity.WARNING,
                    f"{row.reference}’s rating moved from {before} to {after}, but its assessment of "
                    f"progress is unchanged from last period, so it does not say why.",
                    links,
                )
            )
    return findings


RULES: tuple[Callable[[PeriodRows, FixLinks], list[Finding]], ...] = (
    rule_missing_rag,
    rule_missing_narrative,
    rule_not_approved,
    rule_missing_summary,
    rule_copied_narratives,
    rule_same_as_previous,
    rule_carried_forward_streak,
    rule_rag_moved_narrative_unchanged,
)


def findings_for(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    findings = [finding for rule in RULES for finding in rule(rows, links)]
    findings.sort(key=lambda f: (not f.blocks, f.position, f.rule, f.key))
    return findings


# --- Reading the period (a fixed number of queries) -------------------------------------------


def period_rows(*, period: ReportingPeriod) -> PeriodRows:
    """This period's criteria and summaries, and the two previous periods' ratings, in 5 queries."""
    earlier_periods = list(
        ReportingPeriod.objects.filter(plan_id=period.plan_id, end__lt=period.end)
        .order_by("-end")
        .values_list("pk", "short_label")[: CARRIED_FORWARD_STREAK - 1]
    )
    previous_id = earlier_periods[0][0] if earlier_periods else None
    earlier_id = earlier_periods[1][0] if len(earlier_periods) > 1 else None

    criteria = list(
        SuccessCriterion.objects.filter(outcome__plan_id=period.plan_id).values_list(
            "pk", "letter", "outcome__number", "outcome_id"
        )
    )
    current: dict[int, tuple] = {}
    previous: dict[int, tuple] = {}
    earlier_carried: set[int] = set()
    # One query for all three periods; two periods back only the carried-forward flag matters.
    wanted = Q(period_id=period.pk)
    if previous_id:
        wanted |= Q(period_id=previous_id)
    if earlier_id:
        wanted |= Q(period_id=earlier_id, carried_forward=True)
    for pk, period_id, criterion_id, rag, narrative, carried_forward, quotes_previous, status in (
        Assessment.objects.filter(wanted)
        .order_by()
        .values_list(
            "pk",
            "period_id",
            "criterion_id",
            "rag",
            "narrative",
            "carried_forward",
            "quotes_previous",
            "status",
        )
    ):
        if period_id == period.pk:
            current[criterion_id] = (pk, rag, narrative, carried_forward, quotes_previous, status)
        elif period_id == previous_id:
            previous[criterion_id] = (pk, rag, narrative, carried_forward, quotes_previous, status)
        else:
            earlier_carried.add(criterion_id)

    rows = []
    for criterion_id, letter, outcome_number, outcome_id in criteria:
        values: dict = {}
        if criterion_id in current:
            pk, rag, narrative, carried_forward, quotes_previous, status = current[criterion_id]
            values.update(
                assessment_id=pk,
                rag=rag,
                narrative=narrative,
                carried_forward=carried_forward,
                quotes_previous=quotes_previous,
                status=status,
            )
        if criterion_id in previous:
            _, rag, narrative, carried_forward, _, _ = previous[criterion_id]
            values.update(
                has_previous=True,
                previous_rag=rag,
                previous_narrative=narrative,
                previous_carried_forward=carried_forward,
                earlier_carried_forward=criterion_id in earlier_carried,
            )
        rows.append(
            CriterionRow(
                criterion_id=criterion_id,
                reference=f"{outcome_number}{letter}",
                outcome_number=outcome_number,
                letter=letter,
                outcome_id=outcome_id,
                **values,
            )
        )
    rows.sort(key=lambda r: r.position)

    summaries = dict(OutcomeSummary.objects.filter(period=period).values_list("outcome_id", "text"))
    outcomes = [
        OutcomeRow(outcome_id=pk, number=number, summary=summaries.get(pk))
        for pk, number in Outcome.objects.filter(plan_id=period.plan_id)
        .order_by("number")
        .values_list("pk", "number")
    ]
    labels = (period.short_label, *(label for _, label in earlier_periods))
    return PeriodRows(criteria=rows, outcomes=outcomes, period_labels=labels)


def acknowledgements_for(*, period: ReportingPeriod) -> dict[str, Acknowledgement]:
    return {
        ack.finding_key: Acknowledgement(
            finding_key=ack.finding_key,
            reason=ack.reason,
            acknowledged_by=(ack.acknowledged_by.get_full_name() or ack.acknowledged_by.username)
            if ack.acknowledged_by
            else "",
            acknowledged_at=ack.acknowledged_at,
        )
        for ack in CheckAcknowledgement.objects.filter(period=period).select_related("acknowledged_by")
    }


def period_check(*, period: ReportingPeriod) -> CheckResult:
    """Run every check on a period (any state): 6 queries however many criteria it has."""
    rows = period_rows(period=period)
    findings = findings_for(rows, FixLinks.for_period(period))
    return CheckResult(
        period_slug=period.slug,
        period_title=period.title,
        findings=tuple(findings),
        acknowledgements=acknowledgements_for(period=period),
        checked_at=timezone.now(),
    )
