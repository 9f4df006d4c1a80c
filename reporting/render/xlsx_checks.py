"""The draft report's Checks sheet: the pre-publication findings, so the Programme Office can chase owners.

Written only when the built report carries findings (`Report.checks`, filled for unpublished periods);
like every sheet, it reads the built report and never the database, and writes user text as text.
"""

from __future__ import annotations

from django.conf import settings
from openpyxl.workbook import Workbook

from outcomes.checks import CheckResult
from reporting.builder import Report

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


def _status_rows(checks: CheckResult):
    """Blocking findings first, then warnings still to acknowledge, then acknowledged ones."""
    for finding in checks.blocking:
        yield "Blocks publication", finding, None
    for finding in checks.unacknowledged_warnings:
        yield "Warning – not acknowledged", finding, None
    for finding, acknowledgement in checks.acknowledged_warnings:
        yield "Warning – acknowledged", finding, acknowledgement


def _summary(checks: CheckResult) -> str:
    blocking, waiting = len(checks.blocking), len(checks.unacknowledged_warnings)
    acknowledged = len(checks.acknowledged_warnings)
    checked = f"Checked {checks.checked_at:%d %B %Y %H:%M}"
    if not checks.findings:
        return f"{checked}: no findings. Nothing stops publication."
    return (
        f"{checked}: {blocking} finding{'s' * (blocking != 1)} block publication, "
        f"{waiting} warning{'s' * (waiting != 1)} not acknowledged, {acknowledged} acknowledged. "
        + ("Nothing stops publication." if checks.can_publish else "The period cannot be published yet.")
    )


def write_checks_sheet(workbook: Workbook, report: Report) -> None:
    # The workbook's own helpers, so text cells are escaped and styled exactly like the other sheets.
    from reporting.render.xlsx import BOLD, GRID, WRAP, _header_row, _heading_block, _height, _text, _widths

    checks = report.checks
    if checks is None:
        return
    sheet = workbook.create_sheet(SHEET_TITLE)
    row = _heading_block(sheet, report, "Pre-publication checks")
    _text(sheet, row, 1, _summary(checks), font=BOLD)
    row += 2
    header = row
    _header_row(sheet, header, HEADINGS)
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    for status, finding, acknowledgement in _status_rows(checks):
        row += 1
        fix = f"{site}{finding.fix_url}" if finding.fix_url else ""
        values = [
            status,
            finding.criterion_reference,
            str(finding.outcome_number or ""),
            finding.explanation,
            acknowledgement.reason if acknowledgement else "",
            acknowledgement.acknowledged_by if acknowledgement else "",
            fix,
            finding.key,
        ]
        for column, value in enumerate(values, start=1):
            _text(sheet, row, column, value, alignment=WRAP, border=GRID)
        if fix.startswith(("https://", "http://")):
            sheet.cell(row=row, column=7).hyperlink = fix
        sheet.row_dimensions[row].height = max(
            _height(finding.explanation, WIDTHS[3]), _height(values[4], WIDTHS[4])
        )
    _widths(sheet, WIDTHS)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    if row > header:
        sheet.auto_filter.ref = f"A{header}:H{row}"
