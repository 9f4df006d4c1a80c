"""RAG ratings: the one place their letters, words, colours, order and definitions' keys live.

HTML, PDF, Excel and charts all read presentation from here, so a rating looks and sorts
the same everywhere, and is never shown by colour alone (the letter is always there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class Rag(models.TextChoices):
    RED = "R", "Red"
    AMBER = "A", "Amber"
    GREEN = "G", "Green"


@dataclass(frozen=True)
class RagStyle:
    letter: str
    label: str
    rank: int  # worse is lower: movement is the difference of ranks
    css_modifier: str  # app-rag--<modifier>
    fill_hex: str  # Excel cell fill and chart fill
    text_hex: str  # text on that fill (contrast AA)
    pattern: str  # SVG/PDF pattern id, so greyscale print still tells them apart


RAG_STYLES: dict[str, RagStyle] = {
    Rag.RED: RagStyle("R", "Red", 1, "red", "B10E1E", "FFFFFF", "rag-hatch"),
    Rag.AMBER: RagStyle("A", "Amber", 2, "amber", "FFDD00", "0B0C0C", "rag-dots"),
    Rag.GREEN: RagStyle("G", "Green", 3, "green", "00703C", "FFFFFF", "rag-solid"),
}
# What a criterion not (yet) rated holds in `rag`, in the database and in the built report.
NOT_RATED_VALUE = ""
NOT_RATED = RagStyle("–", "Not rated", 0, "none", "F3F2F1", "0B0C0C", "rag-none")
RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN]


def rag_style(value: str | None) -> RagStyle:
    return RAG_STYLES.get(value or NOT_RATED_VALUE, NOT_RATED)


class Movement(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"
    NEW = "new"  # no earlier rating to compare with

    @property
    def label(self) -> str:
        return {"up": "Improved", "down": "Declined", "same": "Unchanged", "new": "No comparison"}[self.value]

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "same": "→", "new": "·"}[self.value]


def movement(previous: str | None, current: str | None) -> Movement:
    """Direction of travel between two ratings (Red → Amber is up)."""
    if not previous or not current:
        return Movement.NEW
    difference = rag_style(current).rank - rag_style(previous).rank
    if difference > 0:
        return Movement.UP
    if difference < 0:
        return Movement.DOWN
    return Movement.SAME


@dataclass(frozen=True)
class RagCounts:
    """How many criteria hold each rating; counts add up, so totals are never summed by hand."""

    red: int = 0
    amber: int = 0
    green: int = 0
    not_rated: int = 0

    @classmethod
    def from_mapping(cls, counts: dict[str, int]) -> RagCounts:
        return cls(
            red=counts.get(Rag.RED, 0),
            amber=counts.get(Rag.AMBER, 0),
            green=counts.get(Rag.GREEN, 0),
            not_rated=counts.get(NOT_RATED_VALUE, 0),
        )

    def __add__(self, other: RagCounts) -> RagCounts:
        return RagCounts(
            red=self.red + other.red,
            amber=self.amber + other.amber,
            green=self.green + other.green,
            not_rated=self.not_rated + other.not_rated,
        )

    @classmethod
    def sum(cls, counts: Iterable[RagCounts | None]) -> RagCounts:
        """The total of several counts; a missing one (None) counts as nothing."""
        total = cls()
        for item in counts:
            if item is not None:
                total = total + item
        return total

    @property
    def total(self) -> int:
        return self.red + self.amber + self.green + self.not_rated

    def of(self, rag: str) -> int:
        return {Rag.RED: self.red, Rag.AMBER: self.amber, Rag.GREEN: self.green}.get(rag, self.not_rated)

    def share(self, rag: str) -> int:
        """Whole-number percentage of all criteria with this rating (0 when there are none)."""
        return round(100 * self.of(rag) / self.total) if self.total else 0

    def items(self) -> list[tuple[RagStyle, int]]:
        """(style, count) in report order; "not rated" only when some are."""
        pairs = [(RAG_STYLES[rag], self.of(rag)) for rag in RAG_ORDER]
        if self.not_rated:
            pairs.append((NOT_RATED, self.not_rated))
        return pairs

    def mix(self) -> list[tuple[RagStyle, int]]:
        """(style, count) of only the ratings held, in report order."""
        return [(style, count) for style, count in self.items() if count]


@dataclass(frozen=True)
class RagComparison:
    """Two periods' ratings counted over the same criteria: those rated in both.

    While a quarter is still being rated, comparing whole-period totals reports every
    criterion not yet rated as a fall ("Amber down 32"). Counting only the criteria rated
    in both periods compares like with like, and the ones left out are counted beside it.
    """

    current: RagCounts  # this period's ratings of the criteria rated in both
    previous: RagCounts  # last period's ratings of the same criteria
    not_yet_rated: int = 0  # no rating this period (whatever they had before)
    not_rated_before: int = 0  # rated this period, but not last period (new or unrated then)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str | None, str | None]]) -> RagComparison:
        """From each criterion's (last period's rating, this period's rating)."""
        current: dict[str, int] = {}
        previous: dict[str, int] = {}
        not_yet_rated = not_rated_before = 0
        for before, now in pairs:
            if not now:
                not_yet_rated += 1
            elif not before:
                not_rated_before += 1
            else:
                current[now] = current.get(now, 0) + 1
                previous[before] = previous.get(before, 0) + 1
        return cls(
            current=RagCounts.from_mapping(current),
            previous=RagCounts.from_mapping(previous),
            not_yet_rated=not_yet_rated,
            not_rated_before=not_rated_before,
        )

    @property
    def compared(self) -> int:
        """How many criteria are rated in both periods."""
        return self.current.total
