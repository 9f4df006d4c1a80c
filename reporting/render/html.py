"""The report as one self-contained HTML document (styles inline), also the source of the PDF.

The browser page (`templates/reporting/report.html`) shows the same `Report` inside the
service's layout; this document is what is saved, printed or turned into a PDF. Django's
autoescaping applies to every narrative: markup a user typed shows as text.
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from core.rag import NOT_RATED, RAG_STYLES, RagStyle
from reporting.report import Report

STYLESHEET = "css/report-pdf.css"
# Borders tell the ratings apart when the page is printed in greyscale; the letter is always there.
GREYSCALE_BORDERS = {
    "red": "1.5pt solid #0b0c0c",
    "amber": "1.5pt dashed #0b0c0c",
    "green": "3pt double #0b0c0c",
}


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    path = finders.find(STYLESHEET)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _rag_rule(style: RagStyle) -> str:
    border = GREYSCALE_BORDERS.get(style.css_modifier, "1pt dotted #484949")
    return (
        f".rag--{style.css_modifier} {{ background-color: #{style.fill_hex}; color: #{style.text_hex}; "
        f"border: {border}; }}"
    )


@lru_cache(maxsize=1)
def rag_stylesheet() -> str:
    """Cell colours from core/rag.py, the one place they are defined."""
    return "\n".join(_rag_rule(style) for style in [*RAG_STYLES.values(), NOT_RATED])


def document(report: Report) -> str:
    return render_to_string(
        "reporting/report_pdf.html",
        {"report": report, "stylesheet": _stylesheet(), "rag_stylesheet": rag_stylesheet()},
    )


def render(report: Report) -> bytes:
    return document(report).encode("utf-8")
