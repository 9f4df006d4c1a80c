"""The draft report's Checks sheet: the pre-publication findings, so the Programme Office can chase owners.

Written only when the built report carries findings (`Report.checks`, filled for unpublished periods);
like every sheet, it reads the built report and never the database, and writes user text as text.
"""

from __future__ import annotations

from openpyxl.workbook import Workbook

from reporting.render.workbook import (
    BOLD,
    GRID,
    WRAP,
    header_row,
    heading_block,
    print_setup,
    row_height,
    set_widths,
    text_cell,
)
from reporting.report import Report

SHEET_TITLE = "Checks"
HEADINGS = [
    "Status",
    "Criterion",
    "Outcome",
    "Finding",
    "Reason acknowledged",
    "Acknowledged by",
    "Fix",
    "Key",
]
WIDTHS = [26, 10, 9, 80, 50, 22, 50, 30]


def write_checks_sheet(workbook: Workbook, report: Report) -> None:
    checks = report.checks
    if checks is None:
        return
    sheet = workbook.create_sheet(SHEET_TITLE)
    row = heading_block(sheet, report, "Pre-publication checks")
    text_cell(sheet, row, 1, checks.summary, font=BOLD)
    row += 2
    header = row
    header_row(sheet, header, HEADINGS)
    for finding in checks.rows:
        row += 1
        values = [
            finding.status,
            finding.criterion_reference,
            finding.outcome_number,
            finding.explanation,
            finding.acknowledged_reason,
            finding.acknowledged_by,
            finding.fix_link,
            finding.key,
        ]
        for column, value in enumerate(values, start=1):
            text_cell(sheet, row, column, value, alignment=WRAP, border=GRID)
        if finding.fix_link.startswith(("https://", "http://")):
            sheet.cell(row=row, column=7).hyperlink = finding.fix_link
        sheet.row_dimensions[row].height = max(
            row_height(finding.explanation, WIDTHS[3]), row_height(finding.acknowledged_reason, WIDTHS[4])
        )
    set_widths(sheet, WIDTHS)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    print_setup(sheet, header_row=header)
    if row > header:
        sheet.auto_filter.ref = f"A{header}:H{row}"
