"""Text similarity for the duplicate and near-duplicate checks: normalised words, shingles and scores.

Texts are normalised (lower case, words only: punctuation and spacing ignored). Narratives under 8
words are left out: stock phrases such as "As at 1st Report." or "On track." legitimately recur and
say nothing copied. Identical normalised texts are a duplicate. Otherwise the score is the
*containment* of word 3-shingles: the share of the shorter narrative's three-word phrases that also
occur in the other. Containment, not Jaccard, because a pasted paragraph inside a longer text is still
a copy. Threshold: 0.5 ("half or more of its wording").

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

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

MIN_WORDS_FOR_SIMILARITY = 8
SHINGLE_WORDS = 3
NEAR_DUPLICATE_THRESHOLD = 0.5
CANDIDATE_RUN_WORDS = 5
BOILERPLATE_POSTINGS = 100

_WORDS = re.compile(r"\w+")


class Narrative(Protocol):
    """What similarity needs of a checked criterion (`outcomes.checks.rows.CheckedCriterion`)."""

    @property
    def reference(self) -> str: ...

    @property
    def position(self) -> tuple: ...

    @property
    def words(self) -> list[str]: ...


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
    later: Narrative  # in report order; the likelier copy
    earlier: Narrative
    score: float  # containment of 3-word phrases; 1.0 for identical texts
    identical: bool


def _long_enough(rows: Iterable[Narrative]) -> list[tuple[Narrative, list[str]]]:
    """The narratives long enough to compare, with their words, in report order."""
    eligible = []
    for row in rows:
        words = row.words
        if len(words) >= MIN_WORDS_FOR_SIMILARITY:
            eligible.append((row, words))
    eligible.sort(key=lambda item: item[0].position)
    return eligible


def _identical_pairs(eligible: list[tuple[Narrative, list[str]]]) -> tuple[list[SimilarPair], list[int]]:
    """Each later copy paired with the first, so n copies give n-1 pairs; and the first of each text."""
    pairs: list[SimilarPair] = []
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
    return pairs, representative


def _candidates(
    eligible: list[tuple[Narrative, list[str]]], representative: list[int]
) -> set[tuple[int, int]]:
    """Index pairs (a < b) that share a 5-word run not so common it is boilerplate.

    Runs are kept as hashes (ints) and most runs occur once, so memory and garbage collection stay
    small at 6,100 narratives.
    """
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
    return candidates


def similar_pairs(
    rows: Iterable[Narrative], *, threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> list[SimilarPair]:
    """Pairs of narratives that are identical or share at least `threshold` of their wording."""
    eligible = _long_enough(rows)
    pairs, representative = _identical_pairs(eligible)
    shingle_sets: dict[int, set] = {}
    for a, b in _candidates(eligible, representative):
        set_a = shingle_sets.get(a) or shingle_sets.setdefault(a, shingles(eligible[a][1]))
        set_b = shingle_sets.get(b) or shingle_sets.setdefault(b, shingles(eligible[b][1]))
        score = containment(set_a, set_b)
        if score >= threshold:
            # a < b: eligible is in report order, so b is the later criterion, the likelier copy.
            later, earlier = eligible[b][0], eligible[a][0]
            pairs.append(SimilarPair(later=later, earlier=earlier, score=score, identical=False))
    pairs.sort(key=lambda p: (p.later.position, p.earlier.position))
    return pairs


def pair_scores(rows: Iterable[Narrative]) -> list[tuple[float, float, str, str]]:
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
