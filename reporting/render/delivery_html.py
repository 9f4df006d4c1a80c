"""The exception report as one self-contained HTML document (styles inline), also the PDF's source."""

from __future__ import annotations

from functools import lru_cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from reporting.report.delivery import DeliveryReport

# The outcome report's print stylesheet: the board papers look like the council's other reports.
STYLESHEET = "css/report-pdf.css"


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    with open(finders.find(STYLESHEET), encoding="utf-8") as handle:
        return handle.read()


def document(report: DeliveryReport) -> str:
    return render_to_string(
        "delivery/exception_report_document.html", {"report": report, "stylesheet": _stylesheet()}
    )


def render(report: DeliveryReport) -> bytes:
    return document(report).encode("utf-8")
