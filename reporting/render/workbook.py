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
# Lines one row can show before Excel's 409-point limit cuts the text off.
MAX_LINES_PER_ROW = EXCEL_MAX_ROW_HEIGHT // LINE_HEIGHT - 1
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
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


def wrapped_lines(text: str, width: int) -> int:
    """Approximate lines of wrapped text in a column `width` characters wide."""
    return sum(max(1, math.ceil(len(paragraph) / max(width - 2, 1))) for paragraph in text.split("\n"))


def row_height(text: str, width: int) -> float:
    """Approximate row height for wrapped text: Excel does not size rows it did not lay out."""
    return min(EXCEL_MAX_ROW_HEIGHT, max(1, wrapped_lines(text, width)) * LINE_HEIGHT)


def row_chunks(text: str, width: int) -> list[str]:
    """`text` in pieces that each fit one row, split between paragraphs (else sentences, else words), so
    a long text continues in the rows below instead of being cut off at Excel's row height limit.
    Joined back with blank lines (between paragraphs) or spaces, the pieces are the whole text."""
    if wrapped_lines(text, width) <= MAX_LINES_PER_ROW:
        return [text] if text else []
    pieces: list[str] = []
    current = ""
    for paragraph, glue in _units(text, width):
        candidate = f"{current}{glue}{paragraph}" if current else paragraph
        if current and wrapped_lines(candidate, width) > MAX_LINES_PER_ROW:
            pieces.append(current)
            current = paragraph
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def _units(text: str, width: int):
    """(unit, glue before it): paragraphs, or the sentences (or words) of one too long for a row."""
    for paragraph in text.split("\n\n"):
        glue = "\n\n"
        if wrapped_lines(paragraph, width) <= MAX_LINES_PER_ROW:
            yield paragraph, glue
            continue
        for part_index, sentence in enumerate(SENTENCE_END.split(paragraph)):
            if wrapped_lines(sentence, width) > MAX_LINES_PER_ROW:
                for word_index, word in enumerate(sentence.split(" ")):
                    yield word, glue if (part_index == 0 and word_index == 0) else " "
            else:
                yield sentence, glue if part_index == 0 else " "


def print_setup(sheet: Worksheet, *, header_row: int | None = None) -> None:
    """A4 landscape, fitted to the page's width (as many pages down as needed), headings repeated."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"


def heading_block(sheet: Worksheet, report: Report, heading: str) -> int:
    """Title, period and status at the top of every sheet; returns the next free row."""
    text_cell(sheet, 1, 1, heading, font=TITLE)
    text_cell(sheet, 2, 1, f"{report.organisation} · {report.title} · {report.period_title}")
    # The status said once: "DRAFT – not published (closed) · Draft as at …", or "Published 19 March 2025".
    if report.is_draft:
        text_cell(sheet, 3, 1, f"{report.status} · {report.dated}", font=DRAFT)
    else:
        text_cell(sheet, 3, 1, report.dated)
    return 5


def header_row(sheet: Worksheet, row: int, headings: list[str]) -> None:
    for column, heading in enumerate(headings, start=1):
        text_cell(sheet, row, column, heading, font=BOLD, fill=HEADER_FILL, alignment=WRAP, border=GRID)


def set_widths(sheet: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
