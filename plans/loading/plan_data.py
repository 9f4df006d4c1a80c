"""Loads plans and Directions from a council's `plans.json` (format: fixtures/README.md)."""

from __future__ import annotations

import datetime as dt

from core.sync import SyncReport, sync_m2m, sync_row
from plans.loose_dates import loose_due_date
from plans.models import (
    Action,
    AssuranceApproach,
    Board,
    Direction,
    LeadPerson,
    Milestone,
    Objective,
    Plan,
    Priority,
    RaidEntry,
    RaidKind,
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
        _load_key_risks(plan, item.get("key_risks", []), report=report)
    _load_boards(data.get("boards", []), plans=loaded, report=report)
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
                # The plan's loose text is the source; the file's date is used only without one.
                due = action.get("due", "")
                due_date = loose_due_date(due) if due else _date(action.get("due_date"))
                loaded = sync_row(
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
                        "due": due,
                        "due_date": due_date,
                        "status": action.get("status", ""),
                    },
                )
                _load_action_milestone(
                    plan, loaded, reference=f"{theme.number}.{workstream.number}.{number}", report=report
                )


def _load_action_milestone(plan: Plan, action: Action, *, reference: str, report: SyncReport) -> None:
    """Each action is tracked as a milestone. Only the plan's own words are synced: its status,
    owner and notes belong to the people who update it."""
    sync_row(
        Milestone,
        report=report,
        reason=REASON,
        lookup={"action": action},
        values={
            "plan": plan,
            "reference": reference,
            "title": action.description,
            "sponsor": action.db_sponsor,
            "cabinet_sponsor": action.cabinet_sponsor,
            "lead": action.lead_officer,
            "start_date": action.start_date,
            "start_as_written": action.start,
            "due_date": action.due_date,
            "due_as_written": action.due,
            "plan_label": action.status,
        },
    )


def _load_key_risks(plan: Plan, risks: list[dict], *, report: SyncReport) -> None:
    """A plan's key risks as plan-level RAID entries, not yet scored. Created once: afterwards
    the Programme Office owns them (scores, owners, mitigation)."""
    for risk in risks:
        if RaidEntry.objects.filter(plan=plan, reference=risk["reference"]).exists():
            continue
        sync_row(
            RaidEntry,
            report=report,
            reason=REASON,
            lookup={"plan": plan, "reference": risk["reference"]},
            values={"kind": RaidKind.RISK, "description": risk["description"]},
        )


def _load_boards(boards: list[dict], *, plans: dict[str, Plan], report: SyncReport) -> None:
    """The boards and what each oversees. Created once: the Programme Office edits the mapping."""
    for item in boards:
        if Board.objects.filter(slug=item["slug"]).exists():
            continue
        board = sync_row(
            Board,
            report=report,
            reason=REASON,
            lookup={"slug": item["slug"]},
            values={"name": item["name"], "sees_everything": item.get("sees_everything", False)},
        )
        plan = plans.get(item.get("plan")) or Plan.objects.filter(slug=item.get("plan")).first()
        if plan is not None:
            priorities = list(Priority.objects.filter(plan=plan, number__in=item.get("priorities", [])))
            themes = list(Theme.objects.filter(plan=plan, number__in=item.get("themes", [])))
            sync_m2m(board.priorities, priorities, report=report, model=Board)
            sync_m2m(board.themes, themes, report=report, model=Board)


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
