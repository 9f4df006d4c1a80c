"""What every service of the update cycle shares: the audit stamp, row locks, text cleaning and limits."""

from __future__ import annotations

from django.db import connection
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
    """The period, locked exclusively: for changing its state (close, publish, re-open)."""
    return ReportingPeriod.objects.select_for_update(of=("self",)).select_related("plan").get(pk=pk)


def lock_period_for_save(pk: int) -> ReportingPeriod:
    """The period, held in its state for a save of one of its rows, without holding up other saves.

    On PostgreSQL a share lock: any number of saves in the period hold it at once, each locking
    only its own row, while closing, publishing or re-opening (an exclusive lock, `_lock_period`)
    waits for them and they for it, so a save never interleaves with a change of state. The ORM
    has no FOR SHARE, hence the raw statement. The row is read after the lock is granted, so a
    save that waited on a close sees the period closed. SQLite has one writer at a time anyway
    and no row locks; there the exclusive lock is the same as any other.
    """
    if connection.vendor != "postgresql":
        return _lock_period(pk)
    quote = connection.ops.quote_name
    table, key = quote(ReportingPeriod._meta.db_table), quote(ReportingPeriod._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {key} = %s FOR SHARE", [pk])  # noqa: S608
        if cursor.fetchone() is None:
            raise ReportingPeriod.DoesNotExist(f"No reporting period with id {pk}.")
    return ReportingPeriod.objects.select_related("plan").get(pk=pk)


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
