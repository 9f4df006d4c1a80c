"""The criteria list's files (CSV and Excel): the filtered rows, as the list shows them.

Renderers take the rows the worker selected for one set of filters (`AssessmentListRow`s from
`reporting.selectors`, which this layer may not import, so they are typed by use) and never query.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from core.cell_safety import csv_safe, make_text_cell

EXPORT_COLUMNS = (
    ("Period", 18),
    ("Reference", 10),
    ("Outcome", 40),
    ("Success criterion", 60),
    ("Owner", 24),
    ("Last period", 12),
    ("This period", 12),
    ("Direction of travel", 16),
    ("Update status", 14),
    ("Carried forward", 10),
    ("Assessment of progress", 100),
)


def _export_values(row, *, period_title: str) -> list:
    return [
        period_title,
        row.reference,
        f"{row.outcome_number}. {row.outcome_title}",
        row.text,
        row.owner_name,
        row.previous_style.label if row.previous_rag else "",
        row.rag_style.label if row.rag else "Not rated",
        row.movement.label,
        row.status_label,
        "Yes" if row.carried_forward else "No",
        row.narrative,
    ]


def criteria_csv(rows: Iterable[object], *, period_title: str) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so Excel opens the file as UTF-8
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in EXPORT_COLUMNS])
    for row in rows:
        writer.writerow([csv_safe(value) for value in _export_values(row, period_title=period_title)])
    return buffer.getvalue().encode("utf-8")


def xlsx_cell(sheet, value, **style) -> WriteOnlyCell:
    """A cell whose text is always text: openpyxl would otherwise store "=…" as a formula."""
    cell = WriteOnlyCell(sheet)
    if isinstance(value, str):
        make_text_cell(cell, value)
    else:
        cell.value = value
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _rating_cell(sheet, row_rag: str | None, style, label: str) -> WriteOnlyCell:
    if not row_rag:
        return xlsx_cell(sheet, label)
    return xlsx_cell(
        sheet,
        label,
        fill=PatternFill("solid", fgColor=style.fill_hex),
        font=Font(color=style.text_hex, bold=True),
    )


def criteria_xlsx(rows: Iterable[object], *, period_title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Criteria")
    for index, (_, width) in enumerate(EXPORT_COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "C2"
    bold = Font(bold=True)
    sheet.append([xlsx_cell(sheet, name, font=bold) for name, _ in EXPORT_COLUMNS])
    for row in rows:
        values = _export_values(row, period_title=period_title)
        cells = [xlsx_cell(sheet, value) for value in values]
        cells[5] = _rating_cell(sheet, row.previous_rag, row.previous_style, values[5])
        cells[6] = _rating_cell(sheet, row.rag, row.rag_style, values[6])
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class CriteriaFormat:
    name: str
    label: str
    content_type: str
    render: Callable[..., bytes]


CRITERIA_FORMATS: dict[str, CriteriaFormat] = {
    "csv": CriteriaFormat("csv", "CSV", "text/csv; charset=utf-8", criteria_csv),
    "xlsx": CriteriaFormat(
        "xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", criteria_xlsx
    ),
}
