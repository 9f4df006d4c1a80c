"""The report as an agenda-pack PDF: WeasyPrint prints the HTML document renderer's output.

PDF/UA-1 makes WeasyPrint tag the structure (headings, tables, lists) and record the title
and language, so the PDF can be read with assistive technology as councils must publish it.
"""

from __future__ import annotations

from reporting.render.html import document
from reporting.render.url_fetcher import static_base_url, static_files_only_fetcher
from reporting.report import Report

PDF_VARIANT = "pdf/ua-1"


def render(report: Report) -> bytes:
    # Imported here: WeasyPrint is slow to import and only this format needs it.
    from weasyprint import HTML

    html = HTML(string=document(report), base_url=static_base_url(), url_fetcher=static_files_only_fetcher())
    return html.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
