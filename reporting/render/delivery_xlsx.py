"""The exception report as an Excel workbook: Exceptions, All milestones and Risks sheets.

Every text cell is written as text (core.cell_safety), never as a formula.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.cell_safety import make_text_cell
from reporting.report.delivery import DeliveryReport, MilestoneRow

WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
MILESTONE_HEADINGS = [
    "Ref",
    "Group",
    "Workstream",
    "Milestone",
    "Owner",
    "Lead",
    "Due",
    "Due as written",
    "Status",
    "Overdue",
    "Stale",
    "Status at previous report",
    "Why it is reported",
    "Latest note",
]
MILESTONE_WIDTHS = [9, 30, 30, 60, 20, 16, 12, 24, 12, 9, 9, 16, 30, 60]
RISK_HEADINGS = [
    "Ref",
    "Kind",
    "Level",
    "Description",
    "Owner",
    "Likelihood",
    "Impact",
    "Score",
    "Mitigation",
    "Status",
    "Review date",
    "Escalated to",
    "Reported by exception",
]
RISK_WIDTHS = [8, 12, 30, 60, 20, 10, 10, 14, 50, 10, 12, 30, 12]


def _text(sheet: Worksheet, row: int, column: int, value: str, **style):
    cell = make_text_cell(sheet.cell(row=row, column=column), value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _heading(sheet: Worksheet, report: DeliveryReport, heading: str) -> int:
    _text(sheet, 1, 1, heading, font=TITLE)
    _text(sheet, 2, 1, f"{report.organisation} · {report.plan_title} · as of {report.as_of:%-d %B %Y}")
    _text(sheet, 3, 1, f"Changes since {report.since:%-d %B %Y}; stale after {report.stale_days} days")
    return 5


def _table(sheet: Worksheet, start: int, headings: list[str], widths: list[int], rows: list[list]) -> None:
    for column, heading in enumerate(headings, start=1):
        _text(sheet, start, column, heading, font=BOLD, fill=HEADER_FILL, alignment=WRAP)
        sheet.column_dimensions[get_column_letter(column)].width = widths[column - 1]
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.cell(row=start + offset, column=column, value=value)
            elif hasattr(value, "isoformat"):
                cell = sheet.cell(row=start + offset, column=column, value=value)
                cell.number_format = "d mmm yyyy"
            else:
                _text(sheet, start + offset, column, "" if value is None else str(value), alignment=WRAP)
    sheet.freeze_panes = sheet.cell(row=start + 1, column=2)
    sheet.auto_filter.ref = f"A{start}:{get_column_letter(len(headings))}{start + max(len(rows), 1)}"


def _milestone_values(row: MilestoneRow) -> list:
    return [
        row.ref,
        row.group,
        row.workstream,
        row.title,
        row.owner,
        row.lead,
        row.due,
        row.due_as_written,
        row.status_label,
        "Yes" if row.overdue else "No",
        "Yes" if row.stale else "No",
        row.previous_status_label,
        "; ".join(row.reasons),
        row.note,
    ]


def render(report: DeliveryReport) -> bytes:
    book = Workbook()
    exceptions = book.active
    exceptions.title = "Exceptions"
    start = _heading(exceptions, report, report.title)
    _table(
        exceptions,
        start,
        MILESTONE_HEADINGS,
        MILESTONE_WIDTHS,
        [_milestone_values(r) for r in report.exceptions],
    )
    everything = book.create_sheet("All milestones")
    start = _heading(everything, report, "All milestones")
    _table(
        everything, start, MILESTONE_HEADINGS, MILESTONE_WIDTHS, [_milestone_values(r) for r in report.items]
    )
    risks = book.create_sheet("RAID log")
    start = _heading(risks, report, "RAID log")
    _table(
        risks,
        start,
        RISK_HEADINGS,
        RISK_WIDTHS,
        [
            [
                risk.ref,
                risk.kind_label,
                risk.level,
                risk.description,
                risk.owner,
                risk.likelihood,
                risk.impact,
                risk.score if risk.score is not None else risk.score_text,
                risk.mitigation,
                risk.status_label,
                risk.review_date,
                risk.escalated_to,
                "Yes" if risk.is_exception else "No",
            ]
            for risk in report.risks
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
