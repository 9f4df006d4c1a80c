"""Workbook helpers the report's sheets share: cell styles, escaped text cells, rating cells, headings.

One module both the report's sheets (`xlsx.py`) and the draft's Checks sheet (`xlsx_checks.py`)
import, so text cells are escaped and styled the same on every sheet.
"""

from __future__ import annotations

import math
import re

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.cell_safety import make_text_cell
from core.rag import RagStyle
from reporting.report import Report

WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="top")
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
TITLE = Font(bold=True, size=14)
DRAFT = Font(bold=True, size=14, color="B10E1E")
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
THIN = Side(style="thin", color="808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
EXCEL_MAX_ROW_HEIGHT = 409
LINE_HEIGHT = 15
# Sheet names: at most 31 characters and none of []:*?/\
SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def text_cell(sheet: Worksheet, row: int, column: int, value: str, **style):
    """A text cell, kept as text whatever it starts with."""
    cell = make_text_cell(sheet.cell(row=row, column=column), value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def rag_cell(sheet: Worksheet, row: int, column: int, style: RagStyle):
    cell = text_cell(sheet, row, column, style.letter, alignment=CENTRE, border=GRID, font=Font(bold=True))
    cell.fill = PatternFill("solid", fgColor=style.fill_hex)
    cell.font = Font(bold=True, color=style.text_hex)
    return cell


def row_height(text: str, width: int) -> float:
    """Approximate row height for wrapped text: Excel does not size rows it did not lay out."""
    lines = sum(max(1, math.ceil(len(paragraph) / max(width - 2, 1))) for paragraph in text.split("\n"))
    return min(EXCEL_MAX_ROW_HEIGHT, max(1, lines) * LINE_HEIGHT)


def heading_block(sheet: Worksheet, report: Report, heading: str) -> int:
    """Title, period and status at the top of every sheet; returns the next free row."""
    text_cell(sheet, 1, 1, heading, font=TITLE)
    text_cell(sheet, 2, 1, f"{report.organisation} · {report.title} · {report.period_title}")
    if report.is_draft:
        text_cell(sheet, 3, 1, f"DRAFT – {report.status}", font=DRAFT)
    else:
        text_cell(sheet, 3, 1, "Published")
    return 5


def header_row(sheet: Worksheet, row: int, headings: list[str]) -> None:
    for column, heading in enumerate(headings, start=1):
        text_cell(sheet, row, column, heading, font=BOLD, fill=HEADER_FILL, alignment=WRAP, border=GRID)


def set_widths(sheet: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
