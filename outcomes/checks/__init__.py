"""Pre-publication checks: what must be fixed, or knowingly accepted, before a period is published.

The council's Second Report went to Cabinet with one criterion's Assessment of Progress (4b,
complaints monitoring) copied from another's (3f, Group Leaders' relationships). These checks catch
that kind of fault. `period_check(period=...)` reads the period with a fixed number of queries into
plain rows; the rules are pure functions over those rows; each returns `Finding`s.

Rules and their severity are listed in `outcomes.checks.rules`; how narratives are compared, and how
the threshold was tuned on Thurrock's data, in `outcomes.checks.similarity`. A *blocking* finding
must be fixed; a *warning* may be acknowledged with a reason, after which it no longer stops
publication.

The package, lowest module first: `similarity` (text), `rows` (the period read into plain rows),
`findings` (what a check produces), `rules` (the checks themselves), `period` (running them) and
`grouping` (the checks page's view of them: folded per criterion, grouped, filtered, with who must act).

"""

from outcomes.checks.findings import (
    RULE_LABELS,
    Acknowledgement,
    CheckResult,
    Finding,
    FixedBy,
    FixLinks,
    Rule,
    Severity,
)
from outcomes.checks.period import CHECK_QUERIES, acknowledgements_for, period_check
from outcomes.checks.rows import (
    CARRIED_FORWARD_STREAK,
    CheckedCriterion,
    CheckedOutcome,
    PeriodRows,
    period_rows,
)
from outcomes.checks.rules import RULES, findings_for
from outcomes.checks.similarity import (
    BOILERPLATE_POSTINGS,
    CANDIDATE_RUN_WORDS,
    MIN_WORDS_FOR_SIMILARITY,
    NEAR_DUPLICATE_THRESHOLD,
    SHINGLE_WORDS,
    SimilarPair,
    containment,
    jaccard,
    normalised_words,
    pair_scores,
    run_hashes,
    shingles,
    similar_pairs,
)

__all__ = [
    "BOILERPLATE_POSTINGS",
    "CANDIDATE_RUN_WORDS",
    "CARRIED_FORWARD_STREAK",
    "CHECK_QUERIES",
    "MIN_WORDS_FOR_SIMILARITY",
    "NEAR_DUPLICATE_THRESHOLD",
    "RULES",
    "RULE_LABELS",
    "SHINGLE_WORDS",
    "Acknowledgement",
    "CheckResult",
    "CheckedCriterion",
    "CheckedOutcome",
    "Finding",
    "FixedBy",
    "FixLinks",
    "PeriodRows",
    "Rule",
    "Severity",
    "SimilarPair",
    "acknowledgements_for",
    "containment",
    "findings_for",
    "jaccard",
    "normalised_words",
    "pair_scores",
    "period_check",
    "period_rows",
    "run_hashes",
    "shingles",
    "similar_pairs",
]
