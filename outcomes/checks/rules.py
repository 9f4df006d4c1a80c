"""The rules: pure functions over a period's rows, each returning the `Finding`s it fires.

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
summary-credits-unmoved-outcome warning  the period's Summary credits an outcome with movement (named
                                         by its title's key words) though none of its criteria moved
summary-omits-mover            warning   a criterion moved but the Summary never mentions it: not by
                                         reference, its outcome's title, or its own wording, in a
                                         sentence moving the same way
starts-mid-sentence            warning   a narrative starts in the middle of a sentence (lower case,
                                         or a comma, semicolon or closing bracket), as 4d did
=============================  ========  ==========================================================

"Did not change" means marked carried forward, or the same words as last period's (non-empty)
narrative once case, punctuation and spacing are ignored. An empty narrative last period (Thurrock's
September 2024, whose first report is not among the sources) is never "the same".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.rag import Movement, movement, rag_style
from outcomes.checks.findings import Finding, FixedBy, FixLinks, Rule, Severity
from outcomes.checks.rows import CARRIED_FORWARD_STREAK, CheckedCriterion, PeriodRows
from outcomes.checks.similarity import similar_pairs
from outcomes.models import AssessmentStatus


def _criterion_finding(
    row: CheckedCriterion,
    rule: str,
    severity: Severity,
    explanation: str,
    links: FixLinks,
    *,
    related: str = "",
    at_sign_off: bool = False,
    fixed_by: str = FixedBy.OWNER,
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
        fixed_by=fixed_by,
    )


def _two_step_move(row: CheckedCriterion) -> bool:
    if not (row.has_previous and row.previous_rag and row.rag):
        return False
    return abs(rag_style(row.rag).rank - rag_style(row.previous_rag).rank) >= 2


def _narrative_unchanged(row: CheckedCriterion) -> bool:
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
            # Only a submitted update waits on its Lead Director; anything earlier waits on its officer.
            fixed_by=FixedBy.LEAD_DIRECTOR if row.status == AssessmentStatus.SUBMITTED else FixedBy.OWNER,
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
            fixed_by=FixedBy.LEAD_DIRECTOR,
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

    def explanation(row: CheckedCriterion) -> str:
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


# --------------------------------------------------------------------------- the Summary and the movers

# "Improvement in responsiveness to poor performance" → "responsiveness to poor performance".
TITLE_LEAD = re.compile(r"^improvements? in (?:the )?", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
CLAUSE_BREAK = re.compile(r"[,;:]\s+")
# A sentence that says something moved; "green to amber", "declined" and the like move down.
MOVEMENT_WORDS = re.compile(
    r"\b(?:improv\w*|positive direction|moved|movement|declin\w*|deteriorat\w*|worse)", re.I
)
DOWN_WORDS = re.compile(
    r"\b(?:declin\w*|deteriorat\w*|worse\w*|moved down|green to (?:amber|red)|amber to red)\b", re.I
)
# Words too common in criteria and summaries to say which criterion a sentence is about.
COMMON_WORDS = frozenset(
    """a about across all also an and any are as at be been being both but by can council councils
    authority each for from has have in into is it its more most not of on or other our own per so such
    than that the their there these this those through to under was we were what when where which while
    who will with within would improvement improvements improve improved""".split()
)
MIN_SHARED_WORDS = 2  # a clause is about a criterion when it shares this many of its distinctive words


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _stems(text: str) -> set[str]:
    # Six letters are enough to make "financial"/"finance" and "challenges"/"challenge" one word.
    return {word[:6] for word in _words(text) if word not in COMMON_WORDS and len(word) > 2}


def _key_phrase(title: str) -> str:
    return " ".join(_words(TITLE_LEAD.sub("", title.strip())))


def _mentions_reference(summary: str, reference: str) -> bool:
    return bool(re.search(rf"(?<![\w]){re.escape(reference)}(?![\w])", summary, re.IGNORECASE))


def summary_mentions(rows: PeriodRows) -> tuple[set[tuple[int, Movement]], set[tuple[str, Movement]]]:
    """What the Summary says moved: (outcome number, direction) credited by its title's key words in a
    sentence about movement, and (criterion reference, direction) it mentions by its own wording."""
    phrases = {outcome.number: _key_phrase(outcome.title) for outcome in rows.outcomes if outcome.title}
    movers = [
        row for row in rows.criteria if movement(row.previous_rag, row.rag) in (Movement.UP, Movement.DOWN)
    ]
    credited: set[tuple[int, Movement]] = set()
    named: set[tuple[str, Movement]] = set()
    for sentence in SENTENCE_END.split(" ".join(rows.summary.split())):
        if not MOVEMENT_WORDS.search(sentence):
            continue
        direction = Movement.DOWN if DOWN_WORDS.search(sentence) else Movement.UP
        for clause in CLAUSE_BREAK.split(sentence):
            spoken = f" {' '.join(_words(clause))} "
            titled = [number for number, phrase in phrases.items() if phrase and f" {phrase} " in spoken]
            credited.update((number, direction) for number in titled)
            # Words that named an outcome's title say nothing more about one of its criteria.
            left = _stems(clause) - {stem for number in titled for stem in _stems(phrases[number])}
            named.update(
                (row.reference, direction)
                for row in movers
                if len(left & _stems(row.text)) >= MIN_SHARED_WORDS
            )
    return credited, named


def _summary_finding(rows, links, *, key: str, rule: Rule, explanation: str, **where) -> Finding:
    """A warning on the period's Summary, which the Programme Office writes and fixes."""
    return Finding(
        key=key,
        rule=rule,
        severity=Severity.WARNING,
        explanation=explanation,
        fix_url=rows.summary_fix_url or links.fallback,
        fix_label="Edit the period's Summary",
        fixed_by=FixedBy.PROGRAMME_OFFICE,
        **where,
    )


def rule_summary_against_movers(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    if not rows.summary.strip() or len(rows.period_labels) < 2:
        return []
    label = rows.period_labels[1]
    movers = [
        row for row in rows.criteria if movement(row.previous_rag, row.rag) in (Movement.UP, Movement.DOWN)
    ]
    moved_outcomes = {row.outcome_number for row in movers}
    credited, named = summary_mentions(rows)
    titles = {outcome.number: _key_phrase(outcome.title) for outcome in rows.outcomes}
    findings = [
        _summary_finding(
            rows,
            links,
            key=f"{Rule.SUMMARY_CREDITS_UNMOVED}:{number}",
            rule=Rule.SUMMARY_CREDITS_UNMOVED,
            explanation=(
                f"The Summary credits outcome {number} ({titles[number]}) with movement, but none of its "
                f"criteria changed rating since last period ({label}). Correct the Summary or the ratings."
            ),
            outcome_number=number,
            position=(number, -1, "summary"),
        )
        for number in sorted({number for number, _ in credited} - moved_outcomes)
    ]
    for row in movers:
        direction = movement(row.previous_rag, row.rag)
        if (
            (row.outcome_number, direction) in credited
            or (row.reference, direction) in named
            or _mentions_reference(rows.summary, row.reference)
        ):
            continue
        # Another criterion of the same outcome, moving the same way and named, speaks for it too.
        if any(
            (other.reference, direction) in named
            for other in movers
            if other.outcome_number == row.outcome_number
            and movement(other.previous_rag, other.rag) == direction
        ):
            continue
        before, after = rag_style(row.previous_rag).label, rag_style(row.rag).label
        findings.append(
            _summary_finding(
                rows,
                links,
                key=f"{Rule.SUMMARY_OMITS_MOVER}:{row.reference}",
                rule=Rule.SUMMARY_OMITS_MOVER,
                explanation=(
                    f"{row.reference} moved from {before} to {after} since last period ({label}), but the "
                    f"Summary never mentions it or its outcome. Say what changed, or why it is left out."
                ),
                criterion_reference=row.reference,
                outcome_number=row.outcome_number,
                position=row.position,
            )
        )
    return findings


# A narrative that starts in the middle of a sentence: a lower-case word, or a comma, semicolon or
# closing bracket (4d's "complaint volumes, and the highest number …" lost its beginning).
MID_SENTENCE_START = re.compile(r"^(?:[a-z]|[,;)\]])")


def rule_starts_mid_sentence(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    return [
        _criterion_finding(
            row,
            Rule.STARTS_MID_SENTENCE,
            Severity.WARNING,
            f"{row.reference}’s assessment of progress starts in the middle of a sentence "
            f"(“{row.narrative.strip()[:40]}…”): its beginning may have been lost. Check it with its owner.",
            links,
        )
        for row in rows.criteria
        if MID_SENTENCE_START.match(row.narrative.strip())
    ]


RULES: tuple[Callable[[PeriodRows, FixLinks], list[Finding]], ...] = (
    rule_missing_rag,
    rule_missing_narrative,
    rule_not_approved,
    rule_missing_summary,
    rule_copied_narratives,
    rule_same_as_previous,
    rule_carried_forward_streak,
    rule_rag_moved_narrative_unchanged,
    rule_summary_against_movers,
    rule_starts_mid_sentence,
)


def findings_for(rows: PeriodRows, links: FixLinks) -> list[Finding]:
    findings = [finding for rule in RULES for finding in rule(rows, links)]
    findings.sort(key=lambda f: (not f.blocks, f.position, f.rule, f.key))
    return findings
