"""The report's Amendments: what changed in a published period after it was re-opened, from history.

A correction after publication is: re-open with a reason, change, publish again. Nothing is
overwritten silently: each re-opening after the first publication opens a window that closes at
the next publication, and every rating, assessment or Lead Director Summary that differs between
the window's start and its end is listed with when it changed, from what to what, and why the
period was re-opened. Three queries at any size: one history table read once per model.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from core.rag import rag_style
from outcomes.models import Assessment, OutcomeSummary, PeriodState, ReportingPeriod
from reporting.report import Amendment, OutcomeSection

AMENDMENT_QUERIES = 3


@dataclass(frozen=True)
class _Window:
    """From a re-opening after publication to the next publication (None: not yet published again)."""

    start: dt.datetime
    end: dt.datetime | None
    reason: str


def report_amendments(
    *, period: ReportingPeriod, outcomes: Iterable[OutcomeSection]
) -> tuple[Amendment, ...]:
    outcomes = tuple(outcomes)
    windows = _windows(period)
    references = {
        row.pk: (section.number, row.letter, row.reference)
        for section in outcomes
        for row in section.criteria
    }
    numbers = {section.pk: section.number for section in outcomes}
    assessment_rows = Assessment.history.filter(period_id=period.pk).order_by(
        "id", "history_date", "history_id"
    )
    summary_rows = OutcomeSummary.history.filter(period_id=period.pk).order_by(
        "id", "history_date", "history_id"
    )
    found: list[tuple[tuple, Amendment]] = []
    for rows in _by_row(assessment_rows.values("id", "criterion_id", "history_date", "rag", "narrative")):
        number, letter, reference = references.get(rows[0]["criterion_id"], (0, "", "?"))
        for order, (field, what, shown) in enumerate(
            (("rag", "RAG rating", _rating), ("narrative", "Assessment of progress", str))
        ):
            for amendment in _changes(rows, windows, field=field, subject=reference, what=what, shown=shown):
                found.append(((amendment.date, number, letter, order), amendment))
    for rows in _by_row(summary_rows.values("id", "outcome_id", "history_date", "text")):
        number = numbers.get(rows[0]["outcome_id"], 0)
        for amendment in _changes(
            rows, windows, field="text", subject=f"Outcome {number}", what="Lead Director Summary", shown=str
        ):
            found.append(((amendment.date, number, "~", 0), amendment))
    return tuple(amendment for _key, amendment in sorted(found, key=lambda item: item[0]))


def _windows(period: ReportingPeriod) -> list[_Window]:
    """Re-openings after the first publication, each with the reason the Programme Office gave."""
    history = ReportingPeriod.history.filter(id=period.pk).order_by("history_date", "history_id")
    starts: list[tuple[dt.datetime, str]] = []
    publications: list[dt.datetime] = []
    previous_state = None
    for row in history.values("history_date", "state", "history_change_reason"):
        state = row["state"]
        if state == PeriodState.PUBLISHED and previous_state != PeriodState.PUBLISHED:
            publications.append(row["history_date"])
        elif state == PeriodState.OPEN and previous_state not in (None, PeriodState.OPEN) and publications:
            starts.append((row["history_date"], row["history_change_reason"] or ""))
        previous_state = state
    windows = []
    for start, reason in starts:
        end = next((when for when in publications if when > start), None)
        windows.append(_Window(start=start, end=end, reason=reason))
    return windows


def _by_row(values: Iterable[dict]) -> list[list[dict]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for value in values:
        grouped[value["id"]].append(value)
    return list(grouped.values())


def _value_at(rows: list[dict], dates: list[dt.datetime], when: dt.datetime | None) -> dict | None:
    """The row's historical record as it stood at `when` (the latest one if None)."""
    if when is None:
        return rows[-1]
    index = bisect.bisect_right(dates, when)
    return rows[index - 1] if index else None


def _changes(rows: list[dict], windows: list[_Window], *, field: str, subject: str, what: str, shown):
    dates = [row["history_date"] for row in rows]
    for window in windows:
        before, after = _value_at(rows, dates, window.start), _value_at(rows, dates, window.end)
        if before is None or after is None or before[field] == after[field]:
            continue
        # When the field last changed within the window (approvals after it change only the status).
        changed_at = max(
            (
                row["history_date"]
                for earlier, row in zip(rows, rows[1:], strict=False)
                if window.start <= row["history_date"] <= after["history_date"]
                and row[field] != earlier[field]
            ),
            default=after["history_date"],
        )
        yield Amendment(
            date=timezone.localdate(changed_at),
            subject=subject,
            what=what,
            before=shown(before[field]),
            after=shown(after[field]),
            reason=window.reason,
        )


def _rating(value: str) -> str:
    return rag_style(value).label
