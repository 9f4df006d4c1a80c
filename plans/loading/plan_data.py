"""Loads plans and Directions from a council's `plans.json` (format: fixtures/README.md)."""

from __future__ import annotations

import datetime as dt

from core.sync import SyncReport, sync_m2m, sync_row
from plans.models import (
    Action,
    AssuranceApproach,
    Direction,
    LeadPerson,
    Objective,
    Plan,
    Priority,
    Theme,
    ThemeWorkstream,
    Workstream,
)

REASON = "Loaded from the plan's source documents"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load_directions(data: dict, *, report: SyncReport) -> None:
    for item in data.get("directions", []):
        sync_row(
            Direction,
            report=report,
            reason=REASON,
            lookup={"letter": item["letter"]},
            values={
                "title": item["title"],
                "wording": item["wording"],
                "issued_on": _date(item.get("issued_on")),
            },
        )


def load_plans(data: dict, *, report: SyncReport) -> list[Plan]:
    """Plans in file order; a plan may name an earlier one in the file as superseded."""
    loaded: dict[str, Plan] = {}
    for item in data.get("plans", []):
        supersedes = item.get("supersedes")
        plan = sync_row(
            Plan,
            report=report,
            reason=REASON,
            lookup={"slug": item["slug"]},
            values={
                "title": item["title"],
                "organisation": item.get("organisation") or data.get("organisation", ""),
                "version_date": _date(item["version_date"]),
                "approval_date": _date(item.get("approval_date")),
                "approved_by": item.get("approved_by") or "",
                "status": item.get("status", "approved"),
                "supersedes": loaded[supersedes] if supersedes else None,
                "summary": item.get("summary", ""),
            },
        )
        loaded[plan.slug] = plan
        _load_priorities(plan, item.get("priorities", []), report=report)
        _load_themes(plan, item.get("themes", []), report=report)
        _load_lead_people(plan, item.get("lead_people", []), report=report)
        _load_assurance_approaches(plan, item.get("assurance_approaches", []), report=report)
    return list(loaded.values())


def _load_priorities(plan: Plan, priorities: list[dict], *, report: SyncReport) -> None:
    directions = {d.letter: d for d in Direction.objects.all()}
    for item in priorities:
        priority = sync_row(
            Priority,
            report=report,
            reason=REASON,
            lookup={"plan": plan, "number": item["number"]},
            values={
                "title": item["title"],
                "lead_member_role": item.get("lead_member_role", ""),
                "lead_officer_role": item.get("lead_officer_role", ""),
                "seeking_to_achieve": item.get("seeking_to_achieve", ""),
            },
        )
        for ws in item.get("workstreams", []):
            workstream = sync_row(
                Workstream,
                report=report,
                reason=REASON,
                lookup={"priority": priority, "number": ws["number"]},
                values={"title": ws["title"], "we_will_demonstrate": ws.get("we_will_demonstrate", "")},
            )
            for obj in ws.get("objectives", []):
                objective = sync_row(
                    Objective,
                    report=report,
                    reason=REASON,
                    lookup={"workstream": workstream, "number": obj["number"]},
                    values={
                        "text": obj["text"],
                        "outcome_text": obj.get("outcome_text", ""),
                        "outputs": obj.get("outputs", ""),
                        "assurance": obj.get("assurance", ""),
                    },
                )
                wanted = [directions[letter] for letter in obj.get("directions", [])]
                sync_m2m(objective.directions, wanted, report=report, model=Objective)


def _load_themes(plan: Plan, themes: list[dict], *, report: SyncReport) -> None:
    for item in themes:
        theme = sync_row(
            Theme,
            report=report,
            reason=REASON,
            lookup={"plan": plan, "number": item["number"]},
            values={"title": item["title"]},
        )
        for ws in item.get("workstreams", []):
            workstream = sync_row(
                ThemeWorkstream,
                report=report,
                reason=REASON,
                lookup={"theme": theme, "number": ws["number"]},
                values={"title": ws["title"]},
            )
            for number, action in enumerate(ws.get("actions", []), start=1):
                sync_row(
                    Action,
                    report=report,
                    reason=REASON,
                    lookup={"workstream": workstream, "number": number},
                    values={
                        "objective_ref": action.get("objective_ref", ""),
                        "description": action["description"],
                        "db_sponsor": action.get("db_sponsor", ""),
                        "cabinet_sponsor": action.get("cabinet_sponsor", ""),
                        "lead_officer": action.get("lead_officer", ""),
                        "start": action.get("start", ""),
                        "start_date": _date(action.get("start_date")),
                        "due": action.get("due", ""),
                        "due_date": _date(action.get("due_date")),
                        "status": action.get("status", ""),
                    },
                )


def _load_lead_people(plan: Plan, people: list[dict], *, report: SyncReport) -> None:
    for person in people:
        sync_row(
            LeadPerson,
            report=report,
            reason=REASON,
            lookup={"plan": plan, "kind": person["kind"], "initials": person["initials"]},
            values={"name": person["name"], "title": person.get("title", "")},
        )


def _load_assurance_approaches(plan: Plan, approaches: list[dict], *, report: SyncReport) -> None:
    """Table 7's approaches; the outcomes each tests are linked by outcomes' loader."""
    for approach in approaches:
        sync_row(
            AssuranceApproach,
            report=report,
            reason=REASON,
            lookup={"plan": plan, "number": approach["number"]},
            values={
                "approach": approach["approach"],
                "workstreams_covered": approach.get("workstreams_covered", ""),
                "focus": approach.get("focus", ""),
                "outcomes_tested_text": approach.get("outcomes_tested_text", ""),
            },
        )
