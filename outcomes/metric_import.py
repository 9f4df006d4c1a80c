"""Metric values from a CSV or Excel file: read, check every row, then apply all or nothing.

The header is `metric,period,value,target,note` (target and note may be left out; columns in
any order). The columns `export_metrics` adds (rag, name, outcome, unit, polarity, tolerance)
are ignored, so an export can be edited and imported back; any other column is refused, so a
misspelt "target" is never silently dropped. A metric is named by its code, a period by its slug.
A row for a value already stored replaces it, and the replaced figure stays in history.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone

from core.generation import generation_bump
from outcomes import permissions
from outcomes.exceptions import DomainError, NotAllowed
from outcomes.models import (
    NOTE_MAX_LENGTH,
    VALUE_DECIMALS,
    VALUE_DIGITS,
    Metric,
    MetricValue,
    ReportingPeriod,
)

REQUIRED_COLUMNS = ("metric", "period", "value")
OPTIONAL_COLUMNS = ("target", "note")
EXPORT_ONLY_COLUMNS = ("rag", "name", "outcome", "unit", "polarity", "tolerance")
MAX_ROWS = 100_000
LARGEST = Decimal(10) ** (VALUE_DIGITS - VALUE_DECIMALS)
QUANTUM = Decimal(1).scaleb(-VALUE_DECIMALS)


@dataclass(frozen=True)
class LineError:
    line: int  # 1 is the header; 0 is the file as a whole
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


class ImportRefused(DomainError):
    """The file has bad rows; nothing was changed. `errors` names each line and what is wrong."""

    def __init__(self, errors: list[LineError]):
        self.errors = errors
        count = sum(1 for error in errors if error.line)
        if count:
            message = f"Nothing was imported: {count} row{'s' if count != 1 else ''} must be fixed first."
        else:
            message = f"Nothing was imported: {errors[0]}"
        super().__init__(message)


@dataclass(frozen=True)
class ImportRow:
    line: int
    metric: Metric
    period: ReportingPeriod
    value: Decimal
    target: Decimal | None
    note: str
    replaces: MetricValue | None
    change: str  # "new", "replaces" or "unchanged", decided when the file is read


def _change(stored: MetricValue | None, value: Decimal, target: Decimal | None, note: str) -> str:
    if stored is None:
        return "new"
    if (stored.value, stored.target, stored.note) == (value, target, note):
        return "unchanged"
    return "replaces"


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    applied: bool = False

    def count(self, change: str) -> int:
        return sum(1 for row in self.rows if row.change == change)

    @property
    def created(self) -> int:
        return self.count("new")

    @property
    def replaced(self) -> int:
        return self.count("replaces")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


# --------------------------------------------------------------------------- reading the file


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes) -> list[tuple[int, list[str]]]:
    """(line number, cells) for each row: an Excel workbook's first sheet, or UTF-8 CSV."""
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [LineError(0, "The file must be CSV saved as UTF-8, or an Excel workbook (.xlsx).")]
        ) from error
    if "\x00" in text:
        raise ImportRefused(
            [LineError(0, "The file must be CSV saved as UTF-8, or an Excel workbook (.xlsx).")]
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [cell.strip() for cell in cells]))
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise ImportRefused([LineError(reader.line_num, f"the CSV could not be read ({error}).")]) from error
    return rows


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportRefused([LineError(0, "The Excel workbook could not be read.")]) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_text(cell) for cell in cells]))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


# --------------------------------------------------------------------------- checking the rows


def _number(text: str, what: str) -> tuple[Decimal | None, str | None]:
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None, f"the {what} “{text[:40]}” is not a number."
    if not number.is_finite():
        return None, f"the {what} “{text[:40]}” is not a number."
    if abs(number) >= LARGEST:
        return None, f"the {what} is too large."
    return number.quantize(QUANTUM), None


def parse(*, plan, data: bytes) -> list[ImportRow]:
    """Every row checked against the plan's metrics and periods; refuses the file if any is bad."""
    table = [(line, cells) for line, cells in read_table(data) if any(cells)]
    if not table:
        raise ImportRefused(
            [
                LineError(
                    0, "The file is empty. Its first row must be the header metric,period,value,target,note."
                )
            ]
        )
    header_line, header = table[0]
    names = [cell.strip().lower() for cell in header]
    problems = [
        name for name in names if name not in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, *EXPORT_ONLY_COLUMNS)
    ]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if problems or missing or len(set(names)) != len(names):
        detail = []
        if missing:
            detail.append("no " + ", ".join(missing) + " column")
        if problems:
            detail.append("unknown column " + ", ".join(f"“{name[:40]}”" for name in problems[:5]))
        if len(set(names)) != len(names):
            detail.append("a column named twice")
        raise ImportRefused(
            [
                LineError(
                    header_line,
                    "the header must be metric,period,value,target,note (" + "; ".join(detail) + ").",
                )
            ]
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportRefused([LineError(0, f"The file has more than {MAX_ROWS:,} rows; split it.")])
    column = {name: index for index, name in enumerate(names)}

    metrics = {metric.code: metric for metric in Metric.objects.filter(plan=plan)}
    periods = {period.slug: period for period in ReportingPeriod.objects.filter(plan=plan)}
    existing = {
        (value.metric_id, value.period_id): value for value in MetricValue.objects.filter(metric__plan=plan)
    }

    def cell(cells: list[str], name: str) -> str:
        index = column.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    errors: list[LineError] = []
    rows: list[ImportRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in table[1:]:
        problems = []
        code, slug = cell(cells, "metric"), cell(cells, "period")
        metric = metrics.get(code)
        period = periods.get(slug)
        if not code:
            problems.append("the metric is missing.")
        elif metric is None:
            problems.append(f"there is no metric with the code “{code[:40]}” in this plan.")
        if not slug:
            problems.append("the period is missing.")
        elif period is None:
            problems.append(f"there is no period “{slug[:40]}” in this plan.")
        elif period.is_published:
            # The published record changes only by re-opening with a reason (the Programme Office's
            # period pages), so a file cannot rewrite a figure the council has already reported.
            problems.append(
                f"“{slug[:40]}” is published: re-open it with a reason before changing its figures."
            )
        value_text = cell(cells, "value")
        value = None
        if not value_text:
            problems.append("the value is missing.")
        else:
            value, problem = _number(value_text, "value")
            if problem:
                problems.append(problem)
        target_text = cell(cells, "target")
        target = None
        if target_text:
            target, problem = _number(target_text, "target")
            if problem:
                problems.append(problem)
        note = cell(cells, "note").replace("\r\n", "\n").replace("\r", "\n")
        if len(note) > NOTE_MAX_LENGTH:
            problems.append(f"the note must be {NOTE_MAX_LENGTH:,} characters or fewer.")
        if code and slug:
            first = seen.setdefault((code, slug), line)
            if first != line:
                problems.append(f"the same metric and period as line {first}.")
        if problems:
            errors.append(LineError(line, " ".join(problems)))
            continue
        stored = existing.get((metric.pk, period.pk))
        rows.append(
            ImportRow(
                line=line,
                metric=metric,
                period=period,
                value=value,
                target=target,
                note=note,
                replaces=stored,
                change=_change(stored, value, target, note),
            )
        )
    if errors:
        raise ImportRefused(errors)
    return rows


# --------------------------------------------------------------------------- applying them
# A file of 10,000 rows must import in under 5 s. Django's bulk_update builds a CASE expression
# per field and row in Python (17 s for 10,000 rows) and simple-history's bulk helpers go through
# bulk_create's per-value compilation (another 2.5 s), so both writes are one prepared statement
# run for every row; each history row carries the same fields, user, reason and type
# ("+" created, "~" changed) that simple-history writes, in the same transaction.


def _history_in_bulk(values: list[MetricValue], *, history_type: str, by, reason: str, when) -> None:
    historical = MetricValue.history.model
    fields = [field for field in historical._meta.concrete_fields if field.attname != "history_id"]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(historical._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    stamp = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": by.pk if by is not None else None,
    }
    params = [
        tuple(
            field.get_db_prep_save(
                stamp[field.attname] if field.attname in stamp else getattr(row, field.attname), connection
            )
            for field in fields
        )
        for row in values
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _insert_in_bulk(values: list[MetricValue], *, plan) -> None:
    """Insert the new rows, then read back their ids (which history rows need) in one query."""
    fields = [field for field in MetricValue._meta.concrete_fields if field.attname != "id"]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(MetricValue._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    params = [
        tuple(field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields)
        for row in values
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    ids = {
        (metric_id, period_id): pk
        for pk, metric_id, period_id in MetricValue.objects.filter(
            metric__plan=plan, period_id__in={row.period_id for row in values}
        ).values_list("pk", "metric_id", "period_id")
    }
    for row in values:
        row.pk = ids[(row.metric_id, row.period_id)]
        row._state.adding = False


def _update_in_bulk(values: list[MetricValue]) -> None:
    ops = connection.ops
    table = MetricValue._meta.db_table

    def decimal(value):
        return ops.adapt_decimalfield_value(value, VALUE_DIGITS, VALUE_DECIMALS)

    sql = (
        # The table name is the model's own; every value is a parameter.
        f"UPDATE {ops.quote_name(table)} SET value = %s, target = %s, note = %s, "  # noqa: S608
        "updated_by_id = %s, updated_at = %s WHERE id = %s"
    )
    params = [
        (
            decimal(row.value),
            decimal(row.target) if row.target is not None else None,
            row.note,
            row.updated_by_id,
            ops.adapt_datetimefield_value(row.updated_at),
            row.pk,
        )
        for row in values
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def metric_values_import(*, plan, data: bytes, by, dry_run: bool = False, source: str = "") -> ImportResult:
    """Check the whole file, then (unless a dry run) apply every row in one transaction.

    `by` is the person importing through the upload page (who must be allowed to), or None for
    the management command, whose operator already holds the server.
    """
    if by is not None and not permissions.can_manage_metric_values(by):
        raise NotAllowed("Only the Programme Office can import metric values.")
    with transaction.atomic():
        rows = parse(plan=plan, data=data)
        result = ImportResult(rows=rows)
        if dry_run:
            return result
        reason = f"Imported from {source}"[:100] if source else "Imported"
        now = timezone.now()
        new, changed = [], []
        for row in rows:
            if row.change == "new":
                new.append(
                    MetricValue(
                        metric=row.metric,
                        period=row.period,
                        value=row.value,
                        target=row.target,
                        note=row.note,
                        updated_by=by,
                        updated_at=now,
                    )
                )
            elif row.change == "replaces":
                stored = row.replaces
                stored.value, stored.target, stored.note = row.value, row.target, row.note
                stored.updated_by, stored.updated_at = by, now
                changed.append(stored)
        if new:
            _insert_in_bulk(new, plan=plan)
            _history_in_bulk(new, history_type="+", by=by, reason=reason, when=now)
        if changed:
            _update_in_bulk(changed)
            _history_in_bulk(changed, history_type="~", by=by, reason=reason, when=now)
        if new or changed:
            # Bulk writes send no signals: cached pages must still see the new figures.
            generation_bump()
        result.applied = True
    return result
