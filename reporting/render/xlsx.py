"""The report as an Excel workbook: a Summary sheet, one sheet per outcome and a Changes sheet.

Every cell holding text is written as a string, never as a formula: narratives are user text,
and a cell that begins with = + - or @ would otherwise run in Excel (formula injection).
"""

from __future__ import annotations

import io
import math
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.cell_safety import make_text_cell
from core.rag import RagStyle, rag_style
from reporting.builder import CriterionRow, Report

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


def _text(sheet: Worksheet, row: int, column: int, value: str, **style):
    """A text cell, kept as text whatever it starts with."""
    cell = make_text_cell(sheet.cell(row=row, column=column), value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _rag(sheet: Worksheet, row: int, column: int, style: RagStyle):
    cell = _text(sheet, row, column, style.letter, alignment=CENTRE, border=GRID, font=Font(bold=True))
    cell.fill = PatternFill("solid", fgColor=style.fill_hex)
    cell.font = Font(bold=True, color=style.text_hex)
    return cell


def _height(text: str, width: int) -> float:
    """Approximate row height for wrapped text: Excel does not size rows it did not lay out."""
    lines = sum(max(1, math.ceil(len(paragraph) / max(width - 2, 1))) for paragraph in text.split("\n"))
    return min(EXCEL_MAX_ROW_HEIGHT, max(1, lines) * LINE_HEIGHT)


def _heading_block(sheet: Worksheet, report: Report, heading: str) -> int:
    """Title, period and status at the top of every sheet; returns the next free row."""
    _text(sheet, 1, 1, heading, font=TITLE)
    _text(sheet, 2, 1, f"{report.organisation} · {report.title} · {report.period_title}")
    if report.is_draft:
        _text(sheet, 3, 1, f"DRAFT – {report.status}", font=DRAFT)
    else:
        _text(sheet, 3, 1, "Published")
    return 5


def _header_row(sheet: Worksheet, row: int, headings: list[str]) -> None:
    for column, heading in enumerate(headings, start=1):
        _text(sheet, row, column, heading, font=BOLD, fill=HEADER_FILL, alignment=WRAP, border=GRID)


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _criterion_cells(sheet: Worksheet, row: int, first_column: int, criterion: CriterionRow) -> None:
    for offset, style in enumerate(criterion.rag.styles):
        _rag(sheet, row, first_column + offset, style)


def _summary_sheet(sheet: Worksheet, report: Report) -> None:
    sheet.title = "Summary"
    start = _heading_block(sheet, report, report.full_title)
    headings = [
        "Ref",
        "Outcome",
        "Success criterion",
        *report.columns.as_tuple(),
        "Direction of travel",
        "Carried forward",
    ]
    widths = [7, 34, 70, 14, 14, 14, 16, 11]
    header = start
    _header_row(sheet, header, headings)
    row = header
    for outcome in report.outcomes:
        for criterion in outcome.criteria:
            row += 1
            _text(sheet, row, 1, criterion.reference, alignment=WRAP, border=GRID)
            _text(sheet, row, 2, outcome.heading, alignment=WRAP, border=GRID)
            _text(sheet, row, 3, criterion.text, alignment=WRAP, border=GRID)
            _criterion_cells(sheet, row, 4, criterion)
            travel = criterion.movement
            _text(sheet, row, 7, f"{travel.arrow} {travel.label}", alignment=WRAP, border=GRID)
            _text(sheet, row, 8, "Yes" if criterion.carried_forward else "No", alignment=WRAP, border=GRID)
            sheet.row_dimensions[row].height = max(
                _height(criterion.text, widths[2]), _height(outcome.heading, 34)
            )
    _widths(sheet, widths)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=4)
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(headings))}{max(row, header + 1)}"
    sheet.print_title_rows = f"{header}:{header}"

    row += 2
    _text(sheet, row, 1, "Summary", font=BOLD)
    for sentence in report.facts.sentences:
        row += 1
        _text(sheet, row, 1, sentence)
    row += 2
    _text(sheet, row, 1, "Note on definitions", font=BOLD)
    for definition in report.rag_definitions:
        row += 1
        _rag(sheet, row, 1, definition.style)
        _text(sheet, row, 2, definition.definition)


def _outcome_sheet(sheet: Worksheet, report: Report, outcome) -> None:
    row = _heading_block(sheet, report, outcome.heading)
    widths = [7, 60, 14, 14, 14, 11, 90, 60]
    if outcome.lead:
        _text(sheet, row, 1, f"Lead: {outcome.lead}")
        row += 1
    _text(sheet, row, 1, "Lead Director Summary", font=BOLD)
    row += 1
    summary = outcome.lead_director_summary or "No Lead Director Summary has been written for this period."
    _text(sheet, row, 1, summary, alignment=WRAP)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    sheet.row_dimensions[row].height = _height(summary, sum(widths))
    row += 2
    header = row
    _header_row(
        sheet,
        header,
        [
            "Ref",
            "Success criterion",
            *report.columns.as_tuple(),
            "Carried forward",
            "Assessment of Progress",
            # Beside, not inside, the assessment: the whole cell can be italic, as the council prints it.
            report.quoted_previous_label.rstrip(":"),
        ],
    )
    for criterion in outcome.criteria:
        row += 1
        _text(sheet, row, 1, criterion.reference, alignment=WRAP, border=GRID)
        _text(sheet, row, 2, criterion.text, alignment=WRAP, border=GRID)
        _criterion_cells(sheet, row, 3, criterion)
        _text(sheet, row, 6, "Yes" if criterion.carried_forward else "No", alignment=WRAP, border=GRID)
        assessment = criterion.assessment
        if criterion.carried_forward:
            assessment = f"{report.carried_forward_note}\n\n{assessment}"
        _text(sheet, row, 7, assessment, alignment=WRAP, border=GRID)
        _text(sheet, row, 8, criterion.quoted_previous, alignment=WRAP, border=GRID, font=ITALIC)
        sheet.row_dimensions[row].height = max(
            _height(criterion.text, widths[1]),
            _height(assessment, widths[6]),
            _height(criterion.quoted_previous, widths[7]),
        )
    _widths(sheet, widths)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    sheet.print_title_rows = f"{header}:{header}"


def _changes_sheet(sheet: Worksheet, report: Report) -> None:
    row = _heading_block(sheet, report, f"Changes since last period ({report.columns.previous_period})")
    headings = [
        "Ref",
        "Outcome",
        "Success criterion",
        report.columns.previous,
        report.columns.current,
        "Change",
    ]
    widths = [7, 34, 70, 14, 14, 14]
    header = row
    _header_row(sheet, header, headings)
    for mover in report.facts.changes:
        row += 1
        _text(sheet, row, 1, mover.reference, alignment=WRAP, border=GRID)
        _text(sheet, row, 2, f"{mover.outcome_number}. {mover.outcome_title}", alignment=WRAP, border=GRID)
        _text(sheet, row, 3, mover.text, alignment=WRAP, border=GRID)
        _rag(sheet, row, 4, rag_style(mover.previous))
        _rag(sheet, row, 5, rag_style(mover.current))
        _text(sheet, row, 6, f"{mover.movement.arrow} {mover.movement.label}", alignment=WRAP, border=GRID)
        sheet.row_dimensions[row].height = _height(mover.text, widths[2])
    if not report.facts.changes:
        row += 1
        message = (
            "No criterion's rating changed since last period."
            if report.facts.has_previous
            else "This is the baseline period: there is no earlier rating to compare with."
        )
        _text(sheet, row, 1, message)
    _widths(sheet, widths)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    if report.facts.changes:
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(headings))}{row}"


def _sheet_name(outcome, used: set[str]) -> str:
    name = SHEET_NAME_UNSAFE.sub("", f"Outcome {outcome.number}")[:31]
    while name in used:
        name = name[:28] + f"_{len(used)}"
    used.add(name)
    return name


def render(report: Report) -> bytes:
    workbook = Workbook()
    _summary_sheet(workbook.active, report)
    used = {"Summary", "Changes"}
    for outcome in report.outcomes:
        _outcome_sheet(workbook.create_sheet(_sheet_name(outcome, used)), report, outcome)
    _changes_sheet(workbook.create_sheet("Changes"), report)
    if report.checks is not None:
        from reporting.render.xlsx_checks import write_checks_sheet  # draft reports only

        write_checks_sheet(workbook, report)

    properties = workbook.properties
    properties.title = f"{'DRAFT: ' if report.is_draft else ''}{report.full_title}"
    properties.subject = f"{report.plan_title}: {report.period_title} ({report.period_slug})"
    properties.creator = report.organisation
    properties.keywords = f"{report.period_slug}, {report.period_label}, outcomes, success criteria"
    properties.category = "Draft" if report.is_draft else "Published"
    properties.description = report.status
    properties.language = "en-GB"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
