"""Delivery rules said once: a milestone's status from the plan's label, and when it is overdue or stale."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from plans.models import MilestoneStatus, StatusLabel

# Risks at or above this score go to the boards by exception (5 × 5 scale).
HIGH_RISK_SCORE = 15
STATUS_ORDER = {
    MilestoneStatus.OFF_TRACK: 0,
    MilestoneStatus.AT_RISK: 1,
    MilestoneStatus.ON_TRACK: 2,
    MilestoneStatus.NOT_STARTED: 3,
    MilestoneStatus.COMPLETE: 4,
}
# GOV.UK tag colours; the status word is always written too.
STATUS_TAG_CLASS = {
    MilestoneStatus.NOT_STARTED: "govuk-tag--grey",
    MilestoneStatus.ON_TRACK: "govuk-tag--green",
    MilestoneStatus.AT_RISK: "govuk-tag--yellow",
    MilestoneStatus.OFF_TRACK: "govuk-tag--red",
    MilestoneStatus.COMPLETE: "govuk-tag--blue",
}


def stale_days() -> int:
    return getattr(settings, "DELIVERY_STALE_DAYS", 35)


def status_label_table() -> list[tuple[str, str]]:
    """(lower-cased label, status), longest label first, so the most specific entry wins."""
    rows = StatusLabel.objects.values_list("label", "status")
    return sorted(((label.lower(), status) for label, status in rows), key=lambda row: -len(row[0]))


def status_from_label(label: str, table: list[tuple[str, str]]) -> str:
    """The status a plan's label stands for: the longest table entry it begins with; else Not started."""
    text = (label or "").strip().lower()
    for prefix, status in table:
        if prefix and text.startswith(prefix):
            return status
    return MilestoneStatus.NOT_STARTED


def effective_status(*, status: str, plan_label: str, table: list[tuple[str, str]]) -> str:
    """What someone recorded, or, until anyone has, what the plan's own label says."""
    return status or status_from_label(plan_label, table)


def is_overdue(*, due_date: dt.date | None, status: str, as_of: dt.date) -> bool:
    """Past its due date and not Complete. A milestone with no due date is never overdue."""
    return due_date is not None and due_date < as_of and status != MilestoneStatus.COMPLETE


def is_stale(
    *,
    status: str,
    as_of: dt.date,
    last_update_on: dt.date | None,
    start_date: dt.date | None,
    created_on: dt.date,
) -> bool:
    """Not updated for DELIVERY_STALE_DAYS. The clock starts at the last update, or, for a milestone
    nobody has updated, at its start (or when it was recorded, if it has no start date)."""
    if status == MilestoneStatus.COMPLETE:
        return False
    since = last_update_on or start_date or created_on
    return (as_of - since).days > stale_days()


def risk_score(likelihood: int | None, impact: int | None) -> int | None:
    return likelihood * impact if likelihood is not None and impact is not None else None
