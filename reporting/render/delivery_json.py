"""The exception report as JSON: the shape the issue fixes (plan, as_of, items, risks, exceptions)."""

from __future__ import annotations

import json

from reporting.report.delivery import DeliveryReport


def data(report: DeliveryReport) -> dict:
    return {
        "plan": report.plan_slug,
        "as_of": report.as_of.isoformat(),
        "board": report.board_slug,
        "since": report.since.isoformat(),
        "items": [
            {
                "ref": row.ref,
                "title": row.title,
                "workstream": row.workstream,
                "owner": row.owner,
                "due": row.due.isoformat() if row.due else None,
                "due_as_written": row.due_as_written,
                "status": row.status,
                "overdue": row.overdue,
                "stale": row.stale,
            }
            for row in report.items
        ],
        "risks": [
            {
                "ref": risk.ref,
                "kind": risk.kind,
                "description": risk.description,
                "level": risk.level,
                "owner": risk.owner,
                "likelihood": risk.likelihood,
                "impact": risk.impact,
                "score": risk.score,
                "status": risk.status_label.lower(),
                "escalated_to": risk.escalated_to or None,
                "exception": risk.is_exception,
            }
            for risk in report.risks
        ],
        "exceptions": [row.ref for row in report.exceptions],
    }


def render(report: DeliveryReport) -> bytes:
    return json.dumps(data(report), ensure_ascii=False, indent=2).encode("utf-8")
