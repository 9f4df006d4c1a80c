"""What every service of the update cycle shares: the audit stamp, row locks, text cleaning and limits."""

from __future__ import annotations

from django.db.models import Model

from core.text import meaningful_text
from outcomes.exceptions import InvalidTransition
from outcomes.models import Assessment, ReportingPeriod

REASON_MAX_LENGTH = 2_000
COMMENT_MAX_LENGTH = 2_000


def _stamp(instance: Model, *, by, reason: str | None) -> None:
    """The historical row records who acted and why (simple-history reads these on save)."""
    instance._history_user = by
    instance._change_reason = reason or None


def _lock_period(pk: int) -> ReportingPeriod:
    return ReportingPeriod.objects.select_for_update(of=("self",)).select_related("plan").get(pk=pk)


def _lock_assessment(pk: int) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("criterion__outcome", "updated_by")
        .get(pk=pk)
    )


def _clean_text(text: str) -> str:
    """LF line endings, ends trimmed; "" for text made only of blanks, zero-width or control characters."""
    return meaningful_text(text)


def _check_reason_length(reason: str) -> None:
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidTransition(f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer.")
