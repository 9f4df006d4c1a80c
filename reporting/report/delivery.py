"""The exception report as plain frozen data: what every delivery renderer reads, and nothing else.

Built by `reporting.delivery.delivery_report_build`; HTML, PDF, Excel and JSON all render
this one object, so a milestone's status or a count cannot differ between formats.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NO_DUE_DATE = "No due date"


@dataclass(frozen=True)
class MilestoneRow:
    pk: int
    ref: str
    title: str
    group: str  # the priority (or, in an action plan, the theme) it sits under
    workstream: str
    owner: str
    sponsor: str
    lead: str
    start: dt.date | None
    due: dt.date | None
    due_as_written: str
    status: str
    status_label: str
    status_tag_class: str
    plan_label: str
    note: str
    overdue: bool
    stale: bool
    previous_status_label: str  # at the previous report, when it differs from now; else ""

    @property
    def changed(self) -> bool:
        return bool(self.previous_status_label)

    @property
    def no_due_date(self) -> bool:
        return self.due is None

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the row is an exception, in the order a board reads them."""
        reasons = []
        if self.overdue:
            reasons.append("Overdue")
        if self.status in ("off_track", "at_risk"):
            reasons.append(self.status_label)
        if self.changed:
            reasons.append(f"Changed from {self.previous_status_label}")
        if self.no_due_date:
            reasons.append(NO_DUE_DATE)
        return tuple(reasons)

    @property
    def is_exception(self) -> bool:
        return bool(self.reasons)

    @property
    def due_text(self) -> str:
        if self.due is None:
            return f"{NO_DUE_DATE} ({self.due_as_written})" if self.due_as_written else NO_DUE_DATE
        written = f" ({self.due_as_written})" if self.due_as_written else ""
        return f"{self.due:%-d %B %Y}{written}"


@dataclass(frozen=True)
class WorkstreamGroup:
    title: str
    rows: tuple[MilestoneRow, ...]


@dataclass(frozen=True)
class PriorityGroup:
    title: str
    workstreams: tuple[WorkstreamGroup, ...]


@dataclass(frozen=True)
class RiskRow:
    pk: int
    ref: str
    kind: str
    kind_label: str
    description: str
    level: str
    owner: str
    likelihood: int | None
    impact: int | None
    score: int | None
    mitigation: str
    status_label: str
    review_date: dt.date | None
    escalated_to: str
    is_exception: bool

    @property
    def score_text(self) -> str:
        return str(self.score) if self.score is not None else "Not yet scored"


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    tag_class: str
    count: int


@dataclass(frozen=True)
class DeliveryReport:
    organisation: str
    plan_slug: str
    plan_title: str
    board_slug: str
    board_name: str
    as_of: dt.date
    since: dt.date
    stale_days: int
    group_label: str  # "Priority" or "Theme"
    items: tuple[MilestoneRow, ...]
    groups: tuple[PriorityGroup, ...]  # the exceptions, grouped
    risks: tuple[RiskRow, ...]
    counts: tuple[StatusCount, ...]
    generated_at: dt.datetime

    @property
    def title(self) -> str:
        return f"Delivery exception report: {self.board_name}"

    @property
    def exceptions(self) -> tuple[MilestoneRow, ...]:
        return tuple(row for row in self.items if row.is_exception)

    @property
    def exception_risks(self) -> tuple[RiskRow, ...]:
        return tuple(risk for risk in self.risks if risk.is_exception)

    @property
    def overdue(self) -> tuple[MilestoneRow, ...]:
        return tuple(row for row in self.items if row.overdue)

    @property
    def stale(self) -> tuple[MilestoneRow, ...]:
        return tuple(row for row in self.items if row.stale)

    @property
    def without_due_date(self) -> tuple[MilestoneRow, ...]:
        return tuple(row for row in self.items if row.no_due_date)

    @property
    def changed(self) -> tuple[MilestoneRow, ...]:
        return tuple(row for row in self.items if row.changed)

    @property
    def filename_stem(self) -> str:
        return f"delivery-{self.plan_slug}-{self.board_slug}-{self.as_of.isoformat()}"
