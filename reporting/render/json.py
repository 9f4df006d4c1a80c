"""The report as JSON, for open data and for checks: the same data as every other format."""

from __future__ import annotations

import json

from reporting.report import Report


def data(report: Report) -> dict:
    """Required shape: period, columns, outcomes → criteria; the other keys describe the report."""
    return {
        "period": report.period_slug,
        "period_title": report.period_title,
        "title": report.title,
        "organisation": report.organisation,
        "plan": report.plan_title,
        "status": "draft" if report.is_draft else "published",
        "draft": report.is_draft,
        "columns": {
            "baseline": report.columns.baseline,
            "previous": report.columns.previous,
            "current": report.columns.current,
        },
        "purpose": report.purpose,
        "summary": report.summary,
        "facts": {
            "total": report.facts.total,
            "counts": {
                count.style.letter if count.style.rank else "not_rated": count.count
                for count in report.facts.counts
            },
            "moved_up": [mover.reference for mover in report.facts.improved],
            "moved_down": [mover.reference for mover in report.facts.declined],
            "sentences": list(report.facts.sentences),
        },
        "rag_definitions": {item.style.letter: item.definition for item in report.rag_definitions},
        "outcomes": [
            {
                "number": outcome.number,
                "title": outcome.title,
                "lead_director_summary": outcome.lead_director_summary,
                "criteria": [
                    {
                        "letter": row.letter,
                        "text": row.text,
                        "rag": {
                            "baseline": row.rag.baseline or None,
                            "previous": row.rag.previous or None,
                            "current": row.rag.current or None,
                        },
                        "carried_forward": row.carried_forward,
                        "assessment": row.assessment,
                        # Last period's assessment, printed beneath this one in italics; "" if none.
                        "quoted_previous": row.quoted_previous,
                    }
                    for row in outcome.criteria
                ],
            }
            for outcome in report.outcomes
        ],
        # Corrections made by re-opening the period after publication; [] when there were none.
        "amendments": [
            {
                "date": amendment.date.isoformat(),
                "subject": amendment.subject,
                "what": amendment.what,
                "from": amendment.before,
                "to": amendment.after,
                "reason": amendment.reason,
            }
            for amendment in report.amendments
        ],
        # The commissioners' judgement, only when they marked the period's for publication; else null.
        "commissioners_judgement": _judgement(report),
        # Dated by its publication, never by the download; a draft says when this copy was made.
        "dated": report.dated,
        "report_date": report.report_date.isoformat() if report.report_date else None,
        "report_date_precision": report.report_date_precision or None,
        **({"generated_at": report.generated_at.isoformat()} if report.is_draft else {}),
    }


def _judgement(report: Report) -> list[dict] | None:
    if report.commissioners_judgement is None:
        return None
    return [
        {
            "outcome": row.outcome_number,
            "title": row.outcome_title,
            "council_rag": row.council or None,
            "commissioners_rag": row.commissioners or None,
            "differs": row.differs,
            "commentary": row.commentary,
        }
        for row in report.commissioners_judgement.rows
    ]


def render(report: Report) -> bytes:
    return json.dumps(data(report), ensure_ascii=False, indent=2).encode("utf-8")
