"""Loads an outcome framework and its reported periods from `outcomes.json`.

Format: fixtures/README.md. Assessments of a published period are loaded as approved:
they are the council's official record.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from core.generation import generation_bump
from core.sync import SyncReport, sync_row
from outcomes.models import (
    Assessment,
    AssessmentStatus,
    Measure,
    Outcome,
    OutcomeSummary,
    PeriodState,
    RagDefinition,
    ReportingPeriod,
    SuccessCriterion,
)
from plans.loading.plan_data import REASON as PLAN_REASON
from plans.loading.plan_data import load_directions, load_plans
from plans.models import Objective, Plan

REASON = "Loaded from the council's published outcome reports"


class PlanDataError(Exception):
    """A folder of plan data that cannot be loaded; the message says which file and why."""


def load_plan_folder(folder: Path) -> SyncReport:
    """plans.json, then outcomes.json, then the links between them; all or nothing."""
    try:
        plans = json.loads((folder / "plans.json").read_text(encoding="utf-8"))
        outcomes_path = folder / "outcomes.json"
        outcomes = json.loads(outcomes_path.read_text(encoding="utf-8")) if outcomes_path.exists() else None
    except FileNotFoundError as error:
        raise PlanDataError(f"No plan data at {error.filename}.") from None
    except json.JSONDecodeError as error:
        raise PlanDataError(f"{folder} holds a file that is not valid JSON: {error}.") from None
    report = SyncReport()
    with transaction.atomic():
        load_directions(plans, report=report)
        load_plans(plans, report=report)
        if outcomes is not None:
            load_outcome_framework(outcomes, report=report)
        link_plan_to_outcomes(plans, report=report)
        if report.changed:
            generation_bump()  # some rows are set in bulk, without signals
    return report


def load_outcome_framework(data: dict, *, report: SyncReport) -> None:
    plan = Plan.objects.get(slug=data["plan"])
    for item in data.get("rag_definitions", []):
        sync_row(
            RagDefinition,
            report=report,
            reason=REASON,
            lookup={"plan": plan, "rating": item["rating"]},
            values={"definition": item["definition"]},
        )
    criteria: dict[tuple[int, str], SuccessCriterion] = {}
    outcomes: dict[int, Outcome] = {}
    for item in data.get("outcomes", []):
        outcome = sync_row(
            Outcome,
            report=report,
            reason=REASON,
            lookup={"plan": plan, "number": item["number"]},
            values={"title": item["title"], "lead_title": item.get("lead_title", "")},
        )
        outcomes[outcome.number] = outcome
        for criterion in item.get("criteria", []):
            criteria[(outcome.number, criterion["letter"])] = sync_row(
                SuccessCriterion,
                report=report,
                reason=REASON,
                lookup={"outcome": outcome, "letter": criterion["letter"]},
                values={"text": criterion["text"]},
            )
    for item in data.get("periods", []):
        _load_period(plan, item, criteria=criteria, outcomes=outcomes, report=report)


def _load_period(plan, item, *, criteria, outcomes, report: SyncReport) -> None:
    state = item.get("state", PeriodState.PUBLISHED)
    period = sync_row(
        ReportingPeriod,
        report=report,
        reason=REASON,
        lookup={"slug": item["slug"]},
        values={
            "plan": plan,
            "title": item["title"],
            "short_label": item["short_label"],
            "start": dt.date.fromisoformat(item["start"]),
            "end": dt.date.fromisoformat(item["end"]),
            "deadline": dt.date.fromisoformat(item["deadline"]) if item.get("deadline") else None,
            "state": state,
            "is_baseline": item.get("is_baseline", False),
            "report_date": dt.date.fromisoformat(item["report_date"]) if item.get("report_date") else None,
            "report_date_precision": item.get("report_date_precision", "") if item.get("report_date") else "",
            "report_purpose": item.get("report_purpose", ""),
            "report_summary": item.get("report_summary", ""),
        },
    )
    status = AssessmentStatus.APPROVED if state == PeriodState.PUBLISHED else AssessmentStatus.SUBMITTED
    for row in item.get("assessments", []):
        sync_row(
            Assessment,
            report=report,
            reason=REASON,
            lookup={"period": period, "criterion": criteria[(row["outcome"], row["criterion"])]},
            values={
                "rag": row.get("rag") or "",
                "narrative": row.get("narrative", ""),
                "carried_forward": row.get("carried_forward", False),
                "quoted_text": row.get("quoted_text", ""),
                # The officer's choice as the update page shows it: new text with the old quoted beneath.
                "quotes_previous": bool(row.get("quoted_text")) and not row.get("carried_forward", False),
                "status": status,
            },
        )
    for row in item.get("outcome_summaries", []):
        sync_row(
            OutcomeSummary,
            report=report,
            reason=REASON,
            lookup={"period": period, "outcome": outcomes[row["outcome"]]},
            values={"text": row["text"]},
        )


# --------------------------------------------------------------------------- links from the plan


def link_plan_to_outcomes(plans_data: dict, *, report: SyncReport) -> None:
    """What `plans.json` says of outcomes: the outcomes each objective claims and each assurance
    approach tests, and the measures of success per outcome. Runs once both are loaded."""
    for item in plans_data.get("plans", []):
        plan = Plan.objects.get(slug=item["slug"])
        by_number = {outcome.number: outcome for outcome in Outcome.objects.filter(plan=plan)}
        if not by_number:
            continue
        claims = {
            (priority["number"], ws["number"], obj["number"]): obj.get("outcomes", [])
            for priority in item.get("priorities", [])
            for ws in priority.get("workstreams", [])
            for obj in ws.get("objectives", [])
        }
        objectives = Objective.objects.filter(workstream__priority__plan=plan).select_related(
            "workstream__priority"
        )
        _sync_links(
            Outcome.claimed_by_objectives,
            {
                objective: claims.get(
                    (objective.workstream.priority.number, objective.workstream.number, objective.number), []
                )
                for objective in objectives
            },
            by_number=by_number,
            report=report,
        )
        tested = {a["number"]: a.get("outcomes_tested", []) for a in item.get("assurance_approaches", [])}
        _sync_links(
            Outcome.assurance_approaches,
            {approach: tested.get(approach.number, []) for approach in plan.assurance_approaches.all()},
            by_number=by_number,
            report=report,
        )
        _load_measures(item.get("measures", []), by_number=by_number, report=report)


def _sync_links(
    descriptor, wanted_numbers: dict, *, by_number: dict[int, Outcome], report: SyncReport
) -> None:
    """Set an outcome-owned many-to-many from the plan's side, counting the plan rows relinked.

    Links are written from the outcome (the side that owns the field), so the outcome's history
    records them; a plan row whose set of outcomes changed is reported once.
    """
    field = descriptor.field
    through = descriptor.through
    plan_column = field.m2m_reverse_field_name()  # e.g. "objective"
    current: dict[int, set[int]] = {}
    for plan_row_id, outcome_id in through.objects.filter(
        **{f"{plan_column}__in": list(wanted_numbers)}
    ).values_list(plan_column, "outcome"):
        current.setdefault(plan_row_id, set()).add(outcome_id)
    wanted = {
        row.pk: {by_number[number].pk for number in numbers if number in by_number}
        for row, numbers in wanted_numbers.items()
    }
    changed_rows = [row_id for row_id, ids in wanted.items() if current.get(row_id, set()) != ids]
    if not changed_rows:
        return
    for _ in changed_rows:
        report.count(report.relinked, field.related_model)
    for outcome in by_number.values():
        claimed = {row_id for row_id, ids in wanted.items() if outcome.pk in ids}
        existing = {row_id for row_id, ids in current.items() if outcome.pk in ids}
        if claimed != existing:
            getattr(outcome, field.name).set(claimed)


def _load_measures(groups: list[dict], *, by_number: dict, report: SyncReport) -> None:
    by_title = {outcome.title.lower(): outcome for outcome in by_number.values()}
    for group in groups:
        outcome = by_number.get(group.get("outcome_number")) or by_title.get(group["outcome_title"].lower())
        if outcome is None:
            continue
        for number, text in enumerate(group.get("measures", []), start=1):
            sync_row(
                Measure,
                report=report,
                reason=PLAN_REASON,
                lookup={"outcome": outcome, "number": number},
                values={"text": text},
            )
