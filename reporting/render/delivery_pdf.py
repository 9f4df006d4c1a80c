"""The exception report as a PDF for the board's papers: WeasyPrint prints the HTML document.

Tagged PDF/UA-1, like the outcome report, so it can be read with assistive technology.
"""

from __future__ import annotations

from reporting.render.delivery_html import document
from reporting.report.delivery import DeliveryReport

PDF_VARIANT = "pdf/ua-1"


def render(report: DeliveryReport) -> bytes:
    from weasyprint import HTML  # slow to import; only this format needs it

    return HTML(string=document(report), base_url=None).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
