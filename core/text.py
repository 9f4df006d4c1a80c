"""Text that says nothing, and text that must stay on one line.

A reason, comment or summary made only of spaces, zero-width characters or control characters
looks filled in to a browser's `required` check and to `str.strip()`, yet tells the reader
nothing: it is refused like an empty one. Titles and short labels go into email subjects and
terminal output, where a line break or control character forges a header or a line.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

# Characters that print as nothing but are neither whitespace nor control characters to Python.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def _says_nothing(character: str) -> bool:
    return character.isspace() or character in ZERO_WIDTH or unicodedata.category(character) == "Cc"


def is_blank_text(text: str | None) -> bool:
    """True when `text` is empty or made only of whitespace, zero-width or control characters."""
    return all(_says_nothing(character) for character in text or "")


def meaningful_text(text: str | None) -> str:
    """`text` with line endings made LF and its ends trimmed; "" when it says nothing at all.

    Browsers send CRLF; storing LF lets a resubmitted text compare equal to the saved one.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return "" if is_blank_text(text) else text


def has_line_break_or_control(text: str | None) -> bool:
    return any(unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in text or "")


def validate_single_line(value: str) -> None:
    """A title or label: one line, no control characters (they reach email subjects and terminals)."""
    if has_line_break_or_control(value):
        raise ValidationError(
            "Enter this on one line, without line breaks or control characters.", code="single_line"
        )
