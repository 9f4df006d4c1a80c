"""The workbook's Amendments sheet: corrections made by re-opening the period after publication."""

from __future__ import annotations

from openpyxl import Workbook

from reporting.render.workbook import GRID, WRAP, header_row, heading_block, row_height, set_widths, text_cell
from reporting.report import Report

HEADINGS = ["Date", "Criterion or outcome", "What changed", "From", "To", "Why the period was re-opened"]
WIDTHS = [14, 14, 22, 60, 60, 50]


def write_amendments_sheet(workbook: Workbook, report: Report) -> None:
    """Only when there are amendments, as the Checks sheet is only in drafts."""
    if not report.amendments:
        return
    sheet = workbook.create_sheet("Amendments")
    header = heading_block(sheet, report, "Amendments after publication")
    header_row(sheet, header, HEADINGS)
    row = header
    for amendment in report.amendments:
        row += 1
        cells = [
            f"{amendment.date:%d %B %Y}",
            amendment.subject,
            amendment.what,
            amendment.before,
            amendment.after,
            amendment.reason,
        ]
        for column, value in enumerate(cells, start=1):
            text_cell(sheet, row, column, value, alignment=WRAP, border=GRID)
        sheet.row_dimensions[row].height = max(
            row_height(amendment.before, WIDTHS[3]), row_height(amendment.after, WIDTHS[4])
        )
    set_widths(sheet, WIDTHS)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
