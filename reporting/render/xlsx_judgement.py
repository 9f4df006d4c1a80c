"""The workbook's Commissioners' judgement sheet, present only when they marked it for publication."""

from __future__ import annotations

from openpyxl import Workbook

from reporting.render.workbook import (
    GRID,
    WRAP,
    header_row,
    heading_block,
    rag_cell,
    row_height,
    set_widths,
    text_cell,
)
from reporting.report import Report

HEADINGS = ["Outcome", "Council's rating", "Commissioners' rating", "Difference", "Commissioners' commentary"]
WIDTHS = [40, 14, 16, 30, 90]
SHEET_NAME = "Commissioners' judgement"


def write_judgement_sheet(workbook: Workbook, report: Report) -> None:
    judgement = report.commissioners_judgement
    if judgement is None:
        return
    sheet = workbook.create_sheet(SHEET_NAME[:31])
    header = heading_block(sheet, report, "Commissioners' judgement")
    text_cell(sheet, header - 1, 1, judgement.differences)
    header_row(sheet, header, HEADINGS)
    row = header
    for item in judgement.rows:
        row += 1
        text_cell(sheet, row, 1, item.heading, alignment=WRAP, border=GRID)
        rag_cell(sheet, row, 2, item.council_style)
        rag_cell(sheet, row, 3, item.commissioners_style)
        text_cell(sheet, row, 4, item.difference, alignment=WRAP, border=GRID)
        text_cell(sheet, row, 5, item.commentary, alignment=WRAP, border=GRID)
        sheet.row_dimensions[row].height = row_height(item.commentary, WIDTHS[4])
    set_widths(sheet, WIDTHS)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
