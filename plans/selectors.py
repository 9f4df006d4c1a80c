"""Reads of plans, Directions and their delivery structure."""

from __future__ import annotations

import re

from django.db.models import F, Prefetch, Q, QuerySet

from plans.models import Action, Direction, Objective, Plan, Priority, ThemeWorkstream, Workstream


def organisation_name() -> str:
    """The council's name, from its most recent plan; empty before any plan is loaded."""
    return Plan.objects.order_by("-version_date").values_list("organisation", flat=True).first() or ""


def plan_current() -> Plan | None:
    """The plan in force: the newest approved one, else the newest of any status."""
    return (
        Plan.objects.filter(status="approved").order_by("-version_date").first()
        or Plan.objects.order_by("-version_date").first()
    )


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.select_related("supersedes").order_by("-version_date")


def direction_list() -> QuerySet[Direction]:
    return Direction.objects.order_by("letter")


def plan_actions(*, plan: Plan):
    """Themes → workstreams → actions, for an action-plan shaped plan."""
    actions = Action.objects.order_by("number")
    workstreams = ThemeWorkstream.objects.prefetch_related(Prefetch("actions", queryset=actions))
    return list(
        plan.themes.prefetch_related(
            Prefetch("workstreams", queryset=workstreams.order_by("number"))
        ).order_by("number")
    )


def plan_get(*, slug: str) -> Plan:
    """One plan by its slug, with the plan it supersedes; raises Plan.DoesNotExist."""
    return Plan.objects.select_related("supersedes").get(slug=slug)


def objective_reference(objective: Objective, *, workstream: Workstream, priority: Priority) -> str:
    """How the plan numbers an objective: priority.workstream.objective, e.g. "1.2.3"."""
    return f"{priority.number}.{workstream.number}.{objective.number}"


_DIRECTION_REF = re.compile(r"^\s*directions?\b(?P<letters>.*)$", re.IGNORECASE)


def direction_letters_in(reference: str) -> set[str]:
    """Letters named by an action's objective reference, e.g. "Direction A, C" → {"A", "C"}."""
    match = _DIRECTION_REF.match(reference or "")
    if not match:
        return set()
    return set(re.findall(r"\b([A-Z])\b", match.group("letters").upper()))


def direction_actions(*, direction: Direction) -> list[Action]:
    """Actions in action-plan shaped plans (e.g. December 2022) whose reference names this Direction."""
    actions = Action.objects.filter(objective_ref__istartswith="direction").select_related(
        "workstream__theme__plan"
    )
    return [
        action for action in actions if direction.letter.upper() in direction_letters_in(action.objective_ref)
    ]


def direction_get(*, letter: str) -> Direction:
    """One Direction by its letter (any case); raises Direction.DoesNotExist."""
    return Direction.objects.get(letter__iexact=letter)


# --------------------------------------------------------------------------- delivery


def board_scope(board) -> tuple[bool, set[int], set[int]]:
    """(sees everything, priority ids, theme ids) a board oversees; everything when there is no board."""
    if board is None or board.sees_everything:
        return True, set(), set()
    return (
        False,
        set(board.priorities.values_list("pk", flat=True)),
        set(board.themes.values_list("pk", flat=True)),
    )


def milestones_in_scope(*, plan, board=None):
    """A plan's milestones a board oversees, with everything a report or list shows, in plan order."""
    from plans.models import Milestone

    everything, priority_ids, theme_ids = board_scope(board)
    milestones = Milestone.objects.filter(plan=plan).select_related(
        "objective__workstream__priority", "action__workstream__theme", "owner"
    )
    if not everything:
        milestones = milestones.filter(
            Q(objective__workstream__priority__in=priority_ids) | Q(action__workstream__theme__in=theme_ids)
        )
    return list(
        milestones.order_by(
            "objective__workstream__priority__number",
            "objective__workstream__number",
            "objective__number",
            "action__workstream__theme__number",
            "action__workstream__number",
            "action__number",
            F("due_date").asc(nulls_last=True),
            "pk",
        )
    )


def milestone_history_rows(*, milestone_ids) -> list[tuple]:
    """(id, when, status, plan label, last update) of every recorded version, oldest first."""
    from plans.models import Milestone

    return list(
        Milestone.history.filter(id__in=list(milestone_ids))
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "status", "plan_label", "last_update_at")
    )


def raid_in_scope(*, plan, board=None):
    """RAID entries a board oversees: its priorities' (themes') and their workstreams', those escalated
    to it, and, for a board that sees everything, the plan-level ones too."""
    from plans.models import RaidEntry

    everything, priority_ids, theme_ids = board_scope(board)
    entries = RaidEntry.objects.filter(plan=plan).select_related(
        "owner", "priority", "workstream__priority", "theme", "theme_workstream__theme", "escalated_to"
    )
    if not everything:
        entries = entries.filter(
            Q(priority__in=priority_ids)
            | Q(workstream__priority__in=priority_ids)
            | Q(theme__in=theme_ids)
            | Q(theme_workstream__theme__in=theme_ids)
            | Q(escalated_to=board)
        )
    return list(entries.order_by("kind", "reference"))


def board_list():
    from plans.models import Board

    return list(
        Board.objects.prefetch_related("priorities__plan", "themes__plan").order_by(
            "-sees_everything", "name"
        )
    )


def my_milestones(*, user) -> list[dict]:
    """The milestones a person owns that are not complete, with their status, soonest due first."""
    from django.utils import timezone

    from plans.delivery import STATUS_TAG_CLASS, effective_status, is_overdue, status_label_table
    from plans.models import Milestone, MilestoneStatus

    if not user.is_authenticated:
        return []
    table = status_label_table()
    today = timezone.localdate()
    labels = dict(MilestoneStatus.choices)
    rows = []
    for milestone in (
        Milestone.objects.filter(owner=user)
        .exclude(status=MilestoneStatus.COMPLETE)
        .select_related("plan")
        .order_by("due_date", "reference")
    ):
        status = effective_status(status=milestone.status, plan_label=milestone.plan_label, table=table)
        rows.append(
            {
                "milestone": milestone,
                "status_label": labels[status],
                "tag_class": STATUS_TAG_CLASS[status],
                "overdue": is_overdue(due_date=milestone.due_date, status=status, as_of=today),
            }
        )
    return rows
