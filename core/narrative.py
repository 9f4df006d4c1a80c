"""A narrative's paragraphs and bulleted lists, read once so HTML, PDF and Word print the same structure.

Officers (and the council's own reports) write a list as lines beginning with a bullet or "- ";
printed as paragraphs they read "- The right of access …". Every renderer turns them into real list
items from the same blocks, and the words themselves are never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BULLET = re.compile(r"^\s*(?:[-•‣◦▪*]|–)\s+")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class NarrativeBlock:
    """A paragraph (`items` holds its lines) or a bulleted list (`items` holds its entries)."""

    kind: str  # "paragraph" or "list"
    items: tuple[str, ...]

    @property
    def is_list(self) -> bool:
        return self.kind == "list"


def list_item_text(line: str) -> str | None:
    """The entry's words when `line` is a list item, else None."""
    match = BULLET.match(line)
    return line[match.end() :].strip() if match else None


def narrative_blocks(text: str) -> tuple[NarrativeBlock, ...]:
    """Paragraphs split at blank lines; runs of bulleted lines (even across blank lines) become one list."""
    blocks: list[NarrativeBlock] = []
    for paragraph in PARAGRAPH_BREAK.split((text or "").replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        run: list[str] = []
        for line in lines:
            item = list_item_text(line)
            if item is None:
                run.append(line)
                continue
            if run:
                blocks.append(NarrativeBlock("paragraph", tuple(run)))
                run = []
            if blocks and blocks[-1].is_list:
                blocks[-1] = NarrativeBlock("list", (*blocks[-1].items, item))
            else:
                blocks.append(NarrativeBlock("list", (item,)))
        if run:
            blocks.append(NarrativeBlock("paragraph", tuple(run)))
    return tuple(blocks)
