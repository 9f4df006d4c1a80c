"""Loads an outcome framework and its reported periods from `outcomes.json`.

Format: fixtures/README.md. Assessments of a published period are loaded as approved:
they are the council's official record.
"""

from __future__ import annotations

import datetime as dt

from outcomes.models import (
    Assessment,
    AssessmentStatus,
    Outcome,
    OutcomeSummary,
    PeriodState,
    RagDefinition,
    ReportingPeriod,
    SuccessCriterion,
)
from plans.loading.sync import SyncReport, sync_row
from plans.models import Plan

REASON = "Loaded from the council's published outcome reports"


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
                "quotes_previous": row.get("quotes_previous", False),
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
