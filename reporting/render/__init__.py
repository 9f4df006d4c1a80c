"""The outcome report's formats. Each renderer takes a built `Report` and never queries the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reporting.report import Report


class UnknownFormat(ValueError):
    def __init__(self, name: str):
        super().__init__(f'Unknown format "{name}": choose one of {", ".join(FORMATS)}.')


@dataclass(frozen=True)
class Format:
    name: str
    label: str  # for download links
    content_type: str
    render: Callable[[Report], bytes]

    def filename(self, report: Report) -> str:
        return f"{report.filename_stem}.{self.name}"


def _html(report: Report) -> bytes:
    from reporting.render.html import render

    return render(report)


def _pdf(report: Report) -> bytes:
    from reporting.render.pdf import render

    return render(report)


def _xlsx(report: Report) -> bytes:
    from reporting.render.xlsx import render

    return render(report)


def _docx(report: Report) -> bytes:
    from reporting.render.docx import render

    return render(report)


def _json(report: Report) -> bytes:
    from reporting.render.json import render

    return render(report)


# Imported lazily: WeasyPrint takes a while to import and only the PDF needs it.
FORMATS: dict[str, Format] = {
    "html": Format("html", "HTML document", "text/html; charset=utf-8", _html),
    "pdf": Format("pdf", "PDF for the agenda pack", "application/pdf", _pdf),
    "xlsx": Format(
        "xlsx",
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _xlsx,
    ),
    "docx": Format(
        "docx",
        "Word document for agenda systems",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _docx,
    ),
    "json": Format("json", "JSON (open data)", "application/json", _json),
}
# What the browser offers as downloads; the HTML is the page itself.
DOWNLOAD_FORMATS = ("pdf", "docx", "xlsx", "json")


def report_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(name) from None


def report_render(report: Report, *, format: str) -> bytes:
    return report_format(format).render(report)
