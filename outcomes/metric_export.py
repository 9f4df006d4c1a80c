"""The metric library and its figures as plain data, JSON, CSV or Excel (`export_metrics`).

Periods are written as their slugs and columns carry the importer's names, so an export can be
edited and imported back. Every RAG comes from `core.target_rag`.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from openpyxl import Workbook

from core.cell_safety import csv_safe, make_text_cell
from core.target_rag import rag_from_target
from outcomes.models import Metric, MetricValue

FORMATS = ("json", "csv", "xlsx")
COLUMNS = (
    "metric",
    "period",
    "value",
    "target",
    "note",
    "rag",
    "name",
    "outcome",
    "unit",
    "polarity",
    "tolerance",
)


def _number(value: Decimal | None):
    """A JSON number: whole figures as integers, others as the shortest exact decimal."""
    if value is None:
        return None
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def metrics_export_data(*, plan) -> dict:
    """The JSON shape: {"plan", "metrics": [{"code", "name", "outcome", ..., "values": [...]}]}."""
    metrics = list(
        Metric.objects.filter(plan=plan).select_related("outcome").order_by("outcome__number", "code")
    )
    values: dict[int, list[MetricValue]] = {metric.pk: [] for metric in metrics}
    for value in (
        MetricValue.objects.filter(metric__plan=plan).select_related("period").order_by("period__end", "pk")
    ):
        values[value.metric_id].append(value)
    return {
        "plan": plan.slug,
        "metrics": [
            {
                "code": metric.code,
                "name": metric.name,
                "outcome": metric.outcome.number,
                "unit": metric.unit,
                "polarity": metric.polarity,
                "tolerance": _number(metric.tolerance),
                "values": [
                    {
                        "period": value.period.slug,
                        "value": _number(value.value),
                        "target": _number(value.target),
                        "rag": rag_from_target(
                            value=value.value,
                            target=value.target,
                            tolerance=metric.tolerance,
                            higher_is_better=metric.higher_is_better,
                        ),
                        "note": value.note,
                    }
                    for value in values[metric.pk]
                ],
            }
            for metric in metrics
        ],
    }


def _rows(data: dict):
    for metric in data["metrics"]:
        for value in metric["values"]:
            yield metric, value


def _cells(metric: dict, value: dict) -> list:
    return [
        metric["code"],
        value["period"],
        value["value"],
        value["target"],
        value["note"],
        value["rag"],
        metric["name"],
        metric["outcome"],
        metric["unit"],
        metric["polarity"],
        metric["tolerance"],
    ]


def metrics_export(*, plan, fmt: str) -> bytes:
    data = metrics_export_data(plan=plan)
    if fmt == "json":
        # The shape names only period, value, target and rag for a value; note is kept for CSV/Excel.
        for _, value in _rows(data):
            value.pop("note")
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for metric, value in _rows(data):
            cells = _cells(metric, value)
            writer.writerow(
                [
                    "" if cell is None else cell if not isinstance(cell, str) else csv_safe(cell)
                    for cell in cells
                ]
            )
        return out.getvalue().encode("utf-8")
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Metric values"
        sheet.append(COLUMNS)
        for metric, value in _rows(data):
            sheet.append([None] * len(COLUMNS))
            row = sheet.max_row
            for index, cell_value in enumerate(_cells(metric, value), start=1):
                cell = sheet.cell(row=row, column=index)
                if isinstance(cell_value, str):
                    make_text_cell(cell, cell_value)
                else:
                    cell.value = cell_value
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
