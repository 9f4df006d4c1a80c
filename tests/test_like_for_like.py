"""A quarter still being rated is compared with last quarter over the criteria rated in both.

Comparing whole totals mid-quarter reads every criterion not yet rated as a fall ("Amber
down 32"); `core.rag.RagComparison` counts only criteria rated in both periods and says how
many were left out. A published period keeps comparing its final totals.
"""

from core.rag import RagComparison, RagCounts


def test_nothing_rated_yet_compares_nothing_and_says_so():
    comparison = RagComparison.from_pairs([("A", ""), ("G", ""), ("R", None)])
    assert comparison.compared == 0
    assert comparison.current == RagCounts() and comparison.previous == RagCounts()
    assert comparison.not_yet_rated == 3


def test_everything_rated_in_both_compares_whole_totals():
    pairs = [("A", "G"), ("A", "A"), ("R", "A"), ("G", "G")]
    comparison = RagComparison.from_pairs(pairs)
    assert comparison.current == RagCounts(red=0, amber=2, green=2)
    assert comparison.previous == RagCounts(red=1, amber=2, green=1)
    assert (comparison.not_yet_rated, comparison.not_rated_before) == (0, 0)


def test_unrated_criteria_are_left_out_of_both_sides():
    # Three ambers last quarter; only one is rated so far, still amber: amber has not fallen.
    comparison = RagComparison.from_pairs([("A", "A"), ("A", ""), ("A", ""), (None, "G"), ("", "R")])
    assert comparison.previous.amber == comparison.current.amber == 1
    assert comparison.current.green == 0 and comparison.current.red == 0
    assert comparison.not_yet_rated == 2
    assert comparison.not_rated_before == 2  # a new criterion, and one unrated last quarter
    assert comparison.compared == 1


def test_an_empty_period_compares_nothing():
    comparison = RagComparison.from_pairs([])
    assert comparison.compared == comparison.not_yet_rated == comparison.not_rated_before == 0
