"""Builds a board's delivery exception report as of a date, once, for every renderer to read.

Status "as of" a date comes from each milestone's history: its last recorded version on or
before that day (or, for one recorded later, as it was first loaded). A fixed number of queries
whatever the size of the plan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from core.people import display_name
from plans import selectors
from plans.delivery import (
    HIGH_RISK_SCORE,
    STATUS_ORDER,
    STATUS_TAG_CLASS,
    effective_status,
    is_overdue,
    is_stale,
    stale_days,
    status_label_table,
)
from plans.models import Board, Milestone, MilestoneStatus, Plan, RaidEntry
from reporting.report.delivery import (
    DeliveryReport,
    MilestoneRow,
    PriorityGroup,
    RiskRow,
    StatusCount,
    WorkstreamGroup,
)

WHOLE_PLAN = "Whole plan"
ALL_BOARDS = "The whole plan"
# The board slug in addresses and stored exports' keys that means the whole plan's report.
ALL_BOARDS_SLUG = "all"


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def _person(user) -> str:
    return display_name(user)


def _placing(milestone: Milestone) -> tuple[str, str]:
    if milestone.objective_id:
        workstream = milestone.objective.workstream
        return f"Priority {workstream.priority.number}: {workstream.priority.title}", workstream.title
    if milestone.action_id:
        workstream = milestone.action.workstream
        return f"Theme {workstream.theme.number}: {workstream.theme.title}", workstream.title
    return WHOLE_PLAN, ""


def _state_at(versions: list[tuple], moment: dt.datetime) -> tuple | None:
    """The version in force at `moment`: the last recorded by then, else the first ever."""
    chosen = None
    for version in versions:
        if version[1] <= moment:
            chosen = version
        else:
            break
    return chosen or (versions[0] if versions else None)


def _risk_level(entry: RaidEntry) -> str:
    if entry.workstream_id:
        return entry.workstream.title
    if entry.theme_workstream_id:
        return entry.theme_workstream.title
    if entry.priority_id:
        return f"Priority {entry.priority.number}: {entry.priority.title}"
    if entry.theme_id:
        return f"Theme {entry.theme.number}: {entry.theme.title}"
    return WHOLE_PLAN


def _risk_row(entry: RaidEntry) -> RiskRow:
    score = entry.score
    return RiskRow(
        pk=entry.pk,
        ref=entry.reference,
        kind=entry.kind,
        kind_label=entry.get_kind_display(),
        description=entry.description,
        level=_risk_level(entry),
        owner=_person(entry.owner),
        likelihood=entry.likelihood,
        impact=entry.impact,
        score=score,
        mitigation=entry.mitigation,
        status_label=entry.get_status_display(),
        review_date=entry.review_date,
        escalated_to=entry.escalated_to.name if entry.escalated_to_id else "",
        is_exception=entry.status == "open"
        and ((score is not None and score >= HIGH_RISK_SCORE) or entry.escalated_to_id is not None),
    )


def delivery_report_build(
    *, plan: Plan, as_of: dt.date, board: Board | None = None, since: dt.date | None = None
) -> DeliveryReport:
    if since is None:
        interval = dt.timedelta(days=settings.DELIVERY_REPORT_INTERVAL_DAYS)
        since = as_of - interval if as_of - dt.date.min > interval else dt.date.min
    table = status_label_table()
    milestones = selectors.milestones_in_scope(plan=plan, board=board)
    versions: dict[int, list[tuple]] = defaultdict(list)
    for version in selectors.milestone_history_rows(milestone_ids=[m.pk for m in milestones]):
        versions[version[0]].append(version)
    now_moment, before_moment = _end_of(as_of), _end_of(since)
    labels = dict(MilestoneStatus.choices)

    rows = []
    for milestone in milestones:
        history = versions.get(milestone.pk, [])
        now = _state_at(history, now_moment)
        then = _state_at(history, before_moment)
        status_now = effective_status(
            status=now[2] if now else milestone.status,
            plan_label=now[3] if now else milestone.plan_label,
            table=table,
        )
        status_then = (
            effective_status(status=then[2], plan_label=then[3], table=table) if then else status_now
        )
        last_update = now[4] if now else milestone.last_update_at
        group, workstream = _placing(milestone)
        rows.append(
            MilestoneRow(
                pk=milestone.pk,
                ref=milestone.reference,
                title=milestone.title,
                group=group,
                workstream=workstream,
                owner=_person(milestone.owner),
                sponsor=milestone.sponsor,
                lead=milestone.lead,
                start=milestone.start_date,
                due=milestone.due_date,
                due_as_written=milestone.due_as_written,
                status=status_now,
                status_label=labels[status_now],
                status_tag_class=STATUS_TAG_CLASS[status_now],
                plan_label=milestone.plan_label,
                note=milestone.note if now is None or now[1] == history[-1][1] else "",
                overdue=is_overdue(due_date=milestone.due_date, status=status_now, as_of=as_of),
                stale=is_stale(
                    status=status_now,
                    as_of=as_of,
                    last_update_on=timezone.localdate(last_update) if last_update else None,
                    start_date=milestone.start_date,
                    created_on=timezone.localdate(milestone.created_at),
                ),
                previous_status_label=labels[status_then] if status_then != status_now else "",
            )
        )

    grouped: dict[str, dict[str, list[MilestoneRow]]] = {}
    for row in rows:
        if row.is_exception:
            grouped.setdefault(row.group, {}).setdefault(row.workstream, []).append(row)
    groups = tuple(
        PriorityGroup(
            title=group,
            workstreams=tuple(
                WorkstreamGroup(title=title, rows=tuple(ws_rows)) for title, ws_rows in workstreams.items()
            ),
        )
        for group, workstreams in grouped.items()
    )
    risks = tuple(
        sorted(
            (_risk_row(entry) for entry in selectors.raid_in_scope(plan=plan, board=board)),
            key=lambda risk: (not risk.is_exception, -(risk.score or 0), risk.ref),
        )
    )
    counts = tuple(
        StatusCount(
            status=status,
            label=labels[status],
            tag_class=STATUS_TAG_CLASS[status],
            count=sum(1 for row in rows if row.status == status),
        )
        for status in sorted(STATUS_ORDER, key=STATUS_ORDER.get)
    )
    return DeliveryReport(
        organisation=plan.organisation,
        plan_slug=plan.slug,
        plan_title=str(plan),
        board_slug=board.slug if board else "all",
        board_name=board.name if board else ALL_BOARDS,
        as_of=as_of,
        since=since,
        stale_days=stale_days(),
        group_label="Theme" if any(m.action_id for m in milestones) else "Priority",
        items=tuple(rows),
        groups=groups,
        risks=risks,
        counts=counts,
        generated_at=timezone.now(),
    )


@dataclass(frozen=True)
class DeliveryPanel:
    plan_title: str
    counts: tuple[StatusCount, ...]
    total: int
    overdue: int
    top_risks: tuple[RiskRow, ...]


TOP_RISKS = 3


def delivery_panel_build(*, plan: Plan | None, today: dt.date) -> DeliveryPanel | None:
    """The dashboard's delivery panel for the plan in force: four queries whatever its size."""
    if plan is None:
        return None
    table = status_label_table()
    labels = dict(MilestoneStatus.choices)
    statuses = []
    overdue = 0
    # Counted in the database by what decides a milestone's status, with how many are past their
    # due date: a dozen groups, not thousands of milestones read one by one.
    counted = (
        Milestone.objects.filter(plan=plan)
        .order_by()
        .values_list("status", "plan_label")
        .annotate(n=Count("pk"), past_due=Count("pk", filter=Q(due_date__lt=today)))
    )
    a_past_day = today - dt.timedelta(days=1)
    for status, plan_label, n, past_due in counted:
        current = effective_status(status=status, plan_label=plan_label, table=table)
        statuses.extend([current] * n)
        if is_overdue(due_date=a_past_day, status=current, as_of=today):
            overdue += past_due
    if not statuses and not RaidEntry.objects.filter(plan=plan).exists():
        return None
    risks = (
        RaidEntry.objects.filter(plan=plan, status="open", likelihood__isnull=False, impact__isnull=False)
        .select_related(
            "owner", "priority", "workstream__priority", "theme", "theme_workstream__theme", "escalated_to"
        )
        .annotate(score_value=F("likelihood") * F("impact"))
        .order_by("-score_value", "reference")[:TOP_RISKS]
    )
    return DeliveryPanel(
        plan_title=plan.title,
        counts=tuple(
            StatusCount(
                status=status,
                label=labels[status],
                tag_class=STATUS_TAG_CLASS[status],
                count=statuses.count(status),
            )
            for status in sorted(STATUS_ORDER, key=STATUS_ORDER.get)
        ),
        total=len(statuses),
        overdue=overdue,
        top_risks=tuple(_risk_row(entry) for entry in risks),
    )
