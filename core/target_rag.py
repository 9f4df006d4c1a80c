"""A figure's RAG from its target: the one rule every page, export and chart uses.

Higher-is-better: Green at or above the target; Amber from target − |target| × tolerance up
to the target (both edges included); Red below. Lower-is-better is the mirror image. A zero
target has no amber band (|0| × tolerance is 0). No target or no value: not rated ("").
"""

from __future__ import annotations

from decimal import Decimal

from core.rag import Rag

NOT_RATED = ""


def rag_from_target(
    *, value: Decimal | None, target: Decimal | None, tolerance: Decimal, higher_is_better: bool
) -> str:
    if value is None or target is None:
        return NOT_RATED
    value, target, tolerance = Decimal(value), Decimal(target), Decimal(tolerance)
    band = abs(target) * tolerance
    if higher_is_better:
        if value >= target:
            return Rag.GREEN
        return Rag.AMBER if band and value >= target - band else Rag.RED
    if value <= target:
        return Rag.GREEN
    return Rag.AMBER if band and value <= target + band else Rag.RED
