"""A criterion's timeline across periods and edits, built from the historical tables.

Four queries whatever the history's length: the criterion's historical assessments (with the
people who made them), the plan's periods, the periods' own history (opened, closed, published,
re-opened with a reason), and any assessment loaded without history (shown as it stands).
Each entry says who, when, old → new RAG, a word-level narrative diff, the reason given, and the
status change.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.people import display_name
from outcomes.loading import REASON as OUTCOMES_LOADER_REASON
from outcomes.models import (
    HANDED_IN_STATUSES,
    Assessment,
    AssessmentStatus,
    PeriodState,
    ReportingPeriod,
    SuccessCriterion,
)
from plans.loading.plan_data import REASON as PLAN_LOADER_REASON

_TOKENS = re.compile(r"\s+|\S+")
STATUS_LABELS = dict(AssessmentStatus.choices)
PERIOD_STATE_LABELS = dict(PeriodState.choices)


def narrative_diff(old: str, new: str) -> SafeString:
    """Word-level diff as HTML: unchanged text escaped, removals in <del>, additions in <ins>.

    Wrapped by the template in an `app-diff` element, whose styles strike through and underline
    (not colour alone) and add hidden "[added: …]" / "[removed: …]" words for screen readers.
    """
    before, after = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)

    def text(tokens: list[str]) -> str:
        return escape("".join(tokens)).replace("\n", "<br>")

    parts: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(text(before[i1:i2]))
            continue
        if i2 > i1:
            parts.append(f"<del>{text(before[i1:i2])}</del>")
        if j2 > j1:
            parts.append(f"<ins>{text(after[j1:j2])}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of user text above is escaped


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    who: str
    action: str  # "Submitted", "Draft saved", "Period re-opened", ...
    reason: str = ""
    is_period_event: bool = False
    rag_before: str | None = None  # None: nothing before (a creation); "" means not rated
    rag_after: str = ""
    status_before: str = ""
    status_after: str = ""
    narrative: str = ""  # the text after this change (for a creation, the whole text)
    diff: SafeString | None = None  # set when the narrative changed from an earlier version
    carried_forward: bool = False
    carried_forward_changed: bool = False
    return_comment: str = ""

    @property
    def rag_changed(self) -> bool:
        return self.rag_before is not None and self.rag_before != self.rag_after

    @property
    def status_changed(self) -> bool:
        return bool(self.status_before) and self.status_before != self.status_after


@dataclass
class PeriodTimeline:
    period: ReportingPeriod
    entries: list[TimelineEntry] = field(default_factory=list)  # newest first
    rag: str = ""  # where the criterion stands at the end of this history
    status: str = ""
    carried_forward: bool = False


@dataclass
class CriterionTimeline:
    criterion: SuccessCriterion
    periods: list[PeriodTimeline]  # newest period first
    hidden_periods: int = 0  # unpublished periods this reader may not see


LOADED_FROM_REPORT = "Loaded from the council's report"
LOADER_REASONS = (OUTCOMES_LOADER_REASON, PLAN_LOADER_REASON)


def _name(user, reason: str | None = None) -> str:
    """Who made a change. The loaders (outcomes.loading, run by seed_thurrock and load_plan_data) write
    with no user and their own reason: that is the council's document speaking, not "System"."""
    if user is None and reason in LOADER_REASONS:
        return LOADED_FROM_REPORT
    return display_name(user, nobody="System")


def _action(before, after) -> str:
    if before is None:
        return "Created"
    if after.history_type == "-":
        return "Deleted"
    if before.status != after.status:
        if after.status == AssessmentStatus.SUBMITTED:
            return "Resubmitted" if before.status == AssessmentStatus.APPROVED else "Submitted"
        if after.status == AssessmentStatus.APPROVED:
            return "Approved"
        if after.status == AssessmentStatus.RETURNED:
            return "Returned to the officer"
        if after.status == AssessmentStatus.DRAFT and before.status in HANDED_IN_STATUSES:
            return "Taken back to draft"
        if after.status == AssessmentStatus.DRAFT:
            return "Draft saved"
        return f"Status set to {STATUS_LABELS.get(after.status, after.status).lower()}"
    return "Edited"


PERIOD_ACTIONS = {
    PeriodState.OPEN: "Period opened",
    PeriodState.CLOSED: "Period closed",
    PeriodState.PUBLISHED: "Period published",
}


def _period_entries(records: list) -> dict[int, list[TimelineEntry]]:
    """Lifecycle events of each period; a change back to open is a re-opening, with its reason."""
    by_period: dict[int, list] = {}
    for record in records:
        by_period.setdefault(record.id, []).append(record)
    entries: dict[int, list[TimelineEntry]] = {}
    for period_id, rows in by_period.items():
        previous_state = None
        for row in rows:  # oldest first
            if row.state != previous_state:
                action = PERIOD_ACTIONS.get(row.state, "Period changed")
                if row.state == PeriodState.OPEN and previous_state is not None:
                    action = "Period re-opened"
                entries.setdefault(period_id, []).append(
                    TimelineEntry(
                        when=row.history_date,
                        who=_name(row.history_user, row.history_change_reason),
                        action=action,
                        reason=(row.history_change_reason or "") if action == "Period re-opened" else "",
                        is_period_event=True,
                        status_after=PERIOD_STATE_LABELS.get(row.state, row.state),
                    )
                )
            previous_state = row.state
    return entries


def _recorded_entries(
    records: list, periods: dict[int, ReportingPeriod], groups: dict[int, PeriodTimeline]
) -> set:
    """Add an entry per historical row to its period's group; returns the assessments that had history."""
    last_by_assessment: dict[int, object] = {}
    for record in records:
        period = periods.get(record.period_id)
        if period is None:
            continue
        group = groups.setdefault(period.pk, PeriodTimeline(period=period))
        before = last_by_assessment.get(record.id)
        narrative_changed = before is not None and before.narrative != record.narrative
        group.entries.append(
            TimelineEntry(
                when=record.history_date,
                who=_name(record.history_user, record.history_change_reason),
                action=_action(before, record),
                reason=record.history_change_reason or "",
                rag_before=before.rag if before is not None else None,
                rag_after=record.rag,
                status_before=STATUS_LABELS.get(before.status, before.status) if before is not None else "",
                status_after=STATUS_LABELS.get(record.status, record.status),
                narrative=record.narrative,
                diff=narrative_diff(before.narrative, record.narrative) if narrative_changed else None,
                carried_forward=record.carried_forward,
                carried_forward_changed=before is not None
                and before.carried_forward != record.carried_forward,
                return_comment=record.return_comment if record.status == AssessmentStatus.RETURNED else "",
            )
        )
        group.rag = record.rag
        group.status = STATUS_LABELS.get(record.status, record.status)
        group.carried_forward = record.carried_forward
        last_by_assessment[record.id] = record
    return set(last_by_assessment)


def _unrecorded_entries(
    criterion: SuccessCriterion,
    recorded: set,
    periods: dict[int, ReportingPeriod],
    groups: dict[int, PeriodTimeline],
) -> None:
    """Rows bulk-loaded without history (e.g. synthetic plans) still show where the criterion stood."""
    unrecorded = Assessment.objects.filter(criterion_id=criterion.pk).exclude(pk__in=list(recorded))
    for assessment in unrecorded.only(
        "pk", "period_id", "rag", "narrative", "status", "carried_forward", "updated_at"
    ):
        period = periods.get(assessment.period_id)
        if period is None:
            continue
        group = groups.setdefault(period.pk, PeriodTimeline(period=period))
        group.entries.append(
            TimelineEntry(
                when=assessment.updated_at,
                who="System",
                action="Recorded without an edit history",
                rag_before=None,
                rag_after=assessment.rag,
                status_after=STATUS_LABELS.get(assessment.status, assessment.status),
                narrative=assessment.narrative,
                carried_forward=assessment.carried_forward,
            )
        )
        group.rag = assessment.rag
        group.status = STATUS_LABELS.get(assessment.status, assessment.status)
        group.carried_forward = assessment.carried_forward


def criterion_timeline(*, criterion: SuccessCriterion, include_unpublished: bool = True) -> CriterionTimeline:
    """Every recorded change to this criterion's assessments, grouped by period, newest first."""
    plan_id = criterion.outcome.plan_id
    periods = {
        period.pk: period for period in ReportingPeriod.objects.filter(plan_id=plan_id).order_by("end")
    }
    records = list(
        Assessment.history.filter(criterion_id=criterion.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    period_records = list(
        ReportingPeriod.history.filter(plan_id=plan_id)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    lifecycle = _period_entries(period_records)

    groups: dict[int, PeriodTimeline] = {}
    recorded = _recorded_entries(records, periods, groups)
    _unrecorded_entries(criterion, recorded, periods, groups)

    hidden = 0
    timeline: list[PeriodTimeline] = []
    for period in sorted(periods.values(), key=lambda p: p.end, reverse=True):
        if period.pk not in groups:
            continue  # the criterion had no assessment then (e.g. added to the plan later)
        if not include_unpublished and period.state != PeriodState.PUBLISHED:
            hidden += 1
            continue
        group = groups[period.pk]
        entries = group.entries + lifecycle.get(period.pk, [])
        group.entries = sorted(entries, key=lambda e: e.when, reverse=True)
        timeline.append(group)
    return CriterionTimeline(criterion=criterion, periods=timeline, hidden_periods=hidden)
