"""Reads of plans, Directions and their delivery structure."""

from __future__ import annotations

import re

from django.db.models import Prefetch, QuerySet

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


