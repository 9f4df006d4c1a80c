"""The report as an Excel workbook: a Summary sheet, one sheet per outcome and a Changes sheet.

Every cell holding text is written as a string, never as a formula: narratives are user text,
and a cell that begins with = + - or @ would otherwise run in Excel (formula injection).
"""

from __future__ import annotations

import datetime as dt
import io
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from core.rag import rag_style
from reporting.render.workbook import (
    BOLD,
    GRID,
    ITALIC,
    SHEET_NAME_UNSAFE,
    WRAP,
    header_row,
    heading_block,
    print_setup,
    rag_cell,
    row_chunks,
    row_height,
    set_widths,
    text_cell,
)
from reporting.render.xlsx_amendments import write_amendments_sheet
from reporting.render.xlsx_checks import write_checks_sheet
from reporting.render.xlsx_judgement import write_judgement_sheet
from reporting.report import Report, ReportCriterion


def _criterion_cells(sheet: Worksheet, row: int, first_column: int, criterion: ReportCriterion) -> None:
    for offset, style in enumerate(criterion.rag.styles):
        rag_cell(sheet, row, first_column + offset, style)


def _summary_sheet(sheet: Worksheet, report: Report) -> None:
    sheet.title = "Summary"
    start = heading_block(sheet, report, report.full_title)
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
    header_row(sheet, header, headings)
    row = header
    for outcome in report.outcomes:
        for criterion in outcome.criteria:
            row += 1
            text_cell(sheet, row, 1, criterion.reference, alignment=WRAP, border=GRID)
            text_cell(sheet, row, 2, outcome.heading, alignment=WRAP, border=GRID)
            text_cell(sheet, row, 3, criterion.text, alignment=WRAP, border=GRID)
            _criterion_cells(sheet, row, 4, criterion)
            travel = criterion.movement
            text_cell(sheet, row, 7, f"{travel.arrow} {travel.label}", alignment=WRAP, border=GRID)
            text_cell(
                sheet, row, 8, "Yes" if criterion.carried_forward else "No", alignment=WRAP, border=GRID
            )
            sheet.row_dimensions[row].height = max(
                row_height(criterion.text, widths[2]), row_height(outcome.heading, 34)
            )
    set_widths(sheet, widths)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=4)
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(headings))}{max(row, header + 1)}"
    print_setup(sheet, header_row=header)

    row += 2
    text_cell(sheet, row, 1, "Purpose", font=BOLD)
    row = _prose_rows(
        sheet, row + 1, report.purpose or "No purpose has been written for this period.", widths
    )
    row += 1
    text_cell(sheet, row, 1, "Summary", font=BOLD)
    row = _prose_rows(
        sheet, row + 1, report.summary or "No summary has been written for this period.", widths
    )
    for sentence in report.facts.sentences:
        row += 1
        text_cell(sheet, row, 1, sentence)
    row += 2
    text_cell(sheet, row, 1, "Note on definitions", font=BOLD)
    for definition in report.rag_definitions:
        row += 1
        rag_cell(sheet, row, 1, definition.style)
        text_cell(sheet, row, 2, definition.definition)


def _prose_rows(sheet: Worksheet, row: int, text: str, widths: list[int]) -> int:
    """Paragraphs across the sheet's width, one merged row each (longer ones continue below); returns
    the last row written."""
    pieces = [piece for paragraph in text.split("\n\n") for piece in row_chunks(paragraph, sum(widths))]
    for offset, piece in enumerate(pieces):
        at = row + offset
        text_cell(sheet, at, 1, piece, alignment=WRAP)
        sheet.merge_cells(start_row=at, start_column=1, end_row=at, end_column=len(widths))
        sheet.row_dimensions[at].height = row_height(piece, sum(widths))
    return row + max(len(pieces), 1) - 1


def _outcome_sheet(sheet: Worksheet, report: Report, outcome) -> None:
    row = heading_block(sheet, report, outcome.heading)
    widths = [7, 60, 14, 14, 14, 11, 90, 60]
    if outcome.lead:
        text_cell(sheet, row, 1, f"Lead: {outcome.lead}")
        row += 1
    text_cell(sheet, row, 1, "Lead Director Summary", font=BOLD)
    row += 1
    summary = outcome.lead_director_summary or "No Lead Director Summary has been written for this period."
    row = _prose_rows(sheet, row, summary, widths)
    row += 2
    header = row
    header_row(
        sheet,
        header,
        [
            "Ref",
            "Success criterion",
            *report.columns.as_tuple(),
            "Carried forward",
            "Assessment of Progress",
            # Beside, not inside, the assessment: the whole cell can be italic, as the council prints it.
            "Quoted from the last report (italics)",
        ],
    )
    for criterion in outcome.criteria:
        # The officer's text exactly as written; the plan's marker only where they wrote none.
        assessment = criterion.assessment or criterion.carried_forward_marker
        quoted = criterion.quoted_previous
        if quoted and criterion.quotation_label:
            quoted = f"{criterion.quotation_label}\n\n{quoted}"
        # Text too long for one row continues in the rows below it, never cut off at 409 points.
        assessments, quotations = row_chunks(assessment, widths[6]), row_chunks(quoted, widths[7])
        for index in range(max(len(assessments), len(quotations), 1)):
            row += 1
            piece = assessments[index] if index < len(assessments) else ""
            quoted_piece = quotations[index] if index < len(quotations) else ""
            text_cell(sheet, row, 1, criterion.reference, alignment=WRAP, border=GRID)
            if index == 0:
                text_cell(sheet, row, 2, criterion.text, alignment=WRAP, border=GRID)
                _criterion_cells(sheet, row, 3, criterion)
                carried = "Yes" if criterion.carried_forward else "No"
                text_cell(sheet, row, 6, carried, alignment=WRAP, border=GRID)
            else:
                text_cell(sheet, row, 2, f"{criterion.reference} continued", alignment=WRAP, border=GRID)
            text_cell(sheet, row, 7, piece, alignment=WRAP, border=GRID)
            text_cell(sheet, row, 8, quoted_piece, alignment=WRAP, border=GRID, font=ITALIC)
            sheet.row_dimensions[row].height = max(
                row_height(criterion.text if index == 0 else "", widths[1]),
                row_height(piece, widths[6]),
                row_height(quoted_piece, widths[7]),
            )
    set_widths(sheet, widths)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    print_setup(sheet, header_row=header)


def _changes_sheet(sheet: Worksheet, report: Report) -> None:
    row = heading_block(sheet, report, f"Changes since last period ({report.columns.previous_period})")
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
    header_row(sheet, header, headings)
    for mover in report.facts.changes:
        row += 1
        text_cell(sheet, row, 1, mover.reference, alignment=WRAP, border=GRID)
        text_cell(
            sheet, row, 2, f"{mover.outcome_number}. {mover.outcome_title}", alignment=WRAP, border=GRID
        )
        text_cell(sheet, row, 3, mover.text, alignment=WRAP, border=GRID)
        rag_cell(sheet, row, 4, rag_style(mover.previous))
        rag_cell(sheet, row, 5, rag_style(mover.current))
        text_cell(
            sheet, row, 6, f"{mover.movement.arrow} {mover.movement.label}", alignment=WRAP, border=GRID
        )
        sheet.row_dimensions[row].height = row_height(mover.text, widths[2])
    if not report.facts.changes:
        row += 1
        message = (
            "No criterion's rating changed since last period."
            if report.facts.has_previous
            else "This is the baseline period: there is no earlier rating to compare with."
        )
        text_cell(sheet, row, 1, message)
    set_widths(sheet, widths)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    print_setup(sheet, header_row=header)
    if report.facts.changes:
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(headings))}{row}"


def _sheet_name(outcome, used: set[str]) -> str:
    name = SHEET_NAME_UNSAFE.sub("", f"Outcome {outcome.number}")[:31]
    while name in used:
        name = name[:28] + f"_{len(used)}"
    used.add(name)
    return name


def _report_datetime(report: Report) -> dt.datetime | None:
    if report.report_date is None:
        return None
    return dt.datetime.combine(report.report_date, dt.time())


def render(report: Report) -> bytes:
    workbook = Workbook()
    _summary_sheet(workbook.active, report)
    used = {"Summary", "Changes"}
    for outcome in report.outcomes:
        _outcome_sheet(workbook.create_sheet(_sheet_name(outcome, used)), report, outcome)
    _changes_sheet(workbook.create_sheet("Changes"), report)
    write_judgement_sheet(workbook, report)
    if report.checks is not None:  # draft reports only
        write_checks_sheet(workbook, report)
    write_amendments_sheet(workbook, report)

    properties = workbook.properties
    properties.title = f"{'DRAFT: ' if report.is_draft else ''}{report.full_title}"
    properties.subject = f"{report.plan_title}: {report.period_title} ({report.period_slug})"
    properties.creator = report.organisation
    properties.keywords = f"{report.period_slug}, {report.period_label}, outcomes, success criteria"
    properties.category = "Draft" if report.is_draft else "Published"
    properties.description = report.status
    properties.language = "en-GB"
    # Dated by the report, not by the download (openpyxl would stamp the moment it saves).
    dated = report.generated_at if report.is_draft else _report_datetime(report)
    if dated is not None:
        properties.created = properties.modified = dated

    buffer = io.BytesIO()
    # ExcelWriter, not workbook.save(): save() stamps "modified" with the moment of the download.
    ExcelWriter(workbook, ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()
