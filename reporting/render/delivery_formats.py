"""The exception report's formats. Each renderer takes a built `DeliveryReport` and never queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reporting.report.delivery import DeliveryReport


class UnknownDeliveryFormat(ValueError):
    def __init__(self, name: str):
        super().__init__(f'Unknown format "{name}": choose one of {", ".join(DELIVERY_FORMATS)}.')


@dataclass(frozen=True)
class DeliveryFormat:
    name: str
    label: str
    content_type: str
    render: Callable[[DeliveryReport], bytes]

    def filename(self, report: DeliveryReport) -> str:
        return f"{report.filename_stem}.{self.name}"


def _html(report: DeliveryReport) -> bytes:
    from reporting.render.delivery_html import render

    return render(report)


def _pdf(report: DeliveryReport) -> bytes:
    from reporting.render.delivery_pdf import render

    return render(report)


def _xlsx(report: DeliveryReport) -> bytes:
    from reporting.render.delivery_xlsx import render

    return render(report)


def _json(report: DeliveryReport) -> bytes:
    from reporting.render.delivery_json import render

    return render(report)


DELIVERY_FORMATS: dict[str, DeliveryFormat] = {
    "html": DeliveryFormat("html", "HTML document", "text/html; charset=utf-8", _html),
    "pdf": DeliveryFormat("pdf", "PDF for the board papers", "application/pdf", _pdf),
    "xlsx": DeliveryFormat(
        "xlsx", "Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx
    ),
    "json": DeliveryFormat("json", "JSON", "application/json", _json),
}
DELIVERY_DOWNLOADS = ("pdf", "xlsx", "json")


def delivery_format(name: str) -> DeliveryFormat:
    try:
        return DELIVERY_FORMATS[name]
    except KeyError:
        raise UnknownDeliveryFormat(name) from None
