"""The criteria list: every criterion's rating in a period, filtered, shareable and exportable."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from core.cell_safety import csv_safe, make_text_cell
from reporting.filters import CriteriaFilter
from reporting.permissions import can_read_reports
from reporting.selectors import AssessmentListRow, assessment_list_rows, periods_readable

PAGE_SIZE = 50
EXPORT_FORMATS = {"csv": "CSV", "xlsx": "Excel"}
# A spreadsheet treats text starting with these as a formula (CSV/DDE injection).

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


@require_safe
def criteria(request: HttpRequest) -> HttpResponse:
    if not can_read_reports(request.user):
        raise PermissionDenied("The criteria list is for people with a role in the plan's reporting.")
    periods = periods_readable(user=request.user)
    if not periods:
        return render(request, "reporting/criteria.html", {"no_periods": True})
    filterset = CriteriaFilter(request.GET, periods=periods)
    export = request.GET.get("export", "")
    errors = []
    if export and export not in EXPORT_FORMATS:
        errors.append("Choose CSV or Excel for the download")
    if errors or not filterset.is_valid():
        return render(
            request,
            "reporting/criteria.html",
            # `form` at the top level lets base.html prefix the title with "Error:".
            {"filterset": filterset, "form": filterset.form, "errors": errors, "page": None, "rows": []},
            status=400,
        )
    if export:
        rows = assessment_list_rows(filterset.qs.iterator(chunk_size=2000))
        filename = f"criteria-{filterset.period.slug}.{export}"
        return (_csv if export == "csv" else _xlsx)(
            rows, period_title=filterset.period.title, filename=filename
        )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/criteria.html",
        {
            "filterset": filterset,
            "errors": [],
            "page": page,
            "rows": assessment_list_rows(page.object_list),
            "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "active_filters": filterset.active_filters(),
        },
    )


# --------------------------------------------------------------------------- exports


def _export_values(row: AssessmentListRow, *, period_title: str) -> list:
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


def _csv(rows: list[AssessmentListRow], *, period_title: str, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so Excel opens the file as UTF-8
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in EXPORT_COLUMNS])
    for row in rows:
        writer.writerow([csv_safe(value) for value in _export_values(row, period_title=period_title)])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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


def _xlsx(rows: list[AssessmentListRow], *, period_title: str, filename: str) -> HttpResponse:
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
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
