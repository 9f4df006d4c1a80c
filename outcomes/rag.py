"""RAG ratings: the one place their letters, words, colours, order and definitions' keys live.

HTML, PDF, Excel and charts all read presentation from here, so a rating looks and sorts
the same everywhere, and is never shown by colour alone (the letter is always there).
"""

from __future__ import annotations

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
NOT_RATED = RagStyle("–", "Not rated", 0, "none", "F3F2F1", "0B0C0C", "rag-none")
RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN]


def rag_style(value: str | None) -> RagStyle:
    return RAG_STYLES.get(value or "", NOT_RATED)


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
