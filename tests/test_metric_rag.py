"""A metric's RAG follows from its target, exactly as the plan's evaluation framework says."""

from decimal import Decimal

import pytest

from core.target_rag import rag_from_target

D = Decimal


@pytest.mark.parametrize(
    ("value", "target", "tolerance", "expected"),
    [
        ("90", "90", "0.1", "G"),  # exactly on target
        ("95", "90", "0.1", "G"),
        ("89.9999", "90", "0.1", "A"),
        ("81", "90", "0.1", "A"),  # exactly on the amber edge: 90 − 9
        ("80.9999", "90", "0.1", "R"),
        ("0", "0", "0.5", "G"),  # zero target: on it is green…
        ("-0.0001", "0", "0.5", "R"),  # …and there is no amber band below it
        ("-5", "-10", "0.1", "G"),  # a negative target: the band is |target| × tolerance
        ("-11", "-10", "0.1", "A"),
        ("-12", "-10", "0.1", "R"),
        ("89", "90", "0", "R"),  # no tolerance, no amber
    ],
)
def test_higher_is_better_is_green_at_or_above_target_and_amber_down_to_the_edge(
    value, target, tolerance, expected
):
    assert rag_from_target(
        value=D(value), target=D(target), tolerance=D(tolerance), higher_is_better=True
    ) == (expected)


@pytest.mark.parametrize(
    ("value", "target", "tolerance", "expected"),
    [
        ("10", "10", "0.2", "G"),  # exactly on target
        ("8", "10", "0.2", "G"),
        ("10.0001", "10", "0.2", "A"),
        ("12", "10", "0.2", "A"),  # exactly on the amber edge: 10 + 2
        ("12.0001", "10", "0.2", "R"),
        ("0", "0", "0.2", "G"),  # zero target, no amber band above it
        ("0.0001", "0", "0.2", "R"),
    ],
)
def test_lower_is_better_is_the_mirror_image(value, target, tolerance, expected):
    assert (
        rag_from_target(value=D(value), target=D(target), tolerance=D(tolerance), higher_is_better=False)
        == expected
    )


@pytest.mark.parametrize("higher", [True, False])
def test_no_target_or_no_value_is_not_rated(higher):
    assert rag_from_target(value=D("5"), target=None, tolerance=D("0.1"), higher_is_better=higher) == ""
    assert rag_from_target(value=None, target=D("5"), tolerance=D("0.1"), higher_is_better=higher) == ""
