"""The report as an agenda-pack PDF: WeasyPrint prints the HTML document renderer's output.

PDF/UA-1 makes WeasyPrint tag the structure (headings, tables, lists) and record the title
and language, so the PDF can be read with assistive technology as councils must publish it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reporting.render.html import document
from reporting.render.url_fetcher import static_base_url, static_files_only_fetcher
from reporting.report import Report

PDF_VARIANT = "pdf/ua-1"


def _keep_page_references() -> None:
    """Make pydyf list the pages' references once per page added, not once per tagged element.

    pydyf's `PDF.page_references` builds a tuple of every page's reference each time it is read,
    and WeasyPrint's PDF/UA tagging reads it for every tagged element: pages × elements, which
    grows with the square of the report (about 5 s of a 610-criterion, 300-page PDF's 23, and
    most of a 6,100-criterion one's). Pages are only ever appended to `Kids`, so its length
    says when the kept tuple is out of date. Left alone if pydyf stops being shaped this way.
    """
    import pydyf

    listed = getattr(pydyf.PDF, "page_references", None)
    if not isinstance(listed, property) or getattr(listed.fget, "kept", False):
        return

    def page_references(pdf):
        kids = pdf.pages["Kids"]
        kept = pdf.__dict__.get("_kept_page_references")
        if kept is None or kept[0] != len(kids):
            kept = (len(kids), listed.fget(pdf))
            pdf.__dict__["_kept_page_references"] = kept
        return kept[1]

    page_references.kept = True
    pydyf.PDF.page_references = property(page_references)


# WeasyPrint's user-agent stylesheet styles pseudo-elements of every element: `::marker` and the
# five footnote and note pseudo-elements. WeasyPrint computes each such style afresh, without the
# cache it shares between like elements, so a report of 18,000 elements computed 100,000 styles
# and kept them all. The report has markers only on list items, and no footnotes or notes.
_EVERY_ELEMENTS_PSEUDO_RULES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}$", re.MULTILINE)


@lru_cache(maxsize=1)
def _report_html_class():
    """WeasyPrint's `HTML`, with its user-agent stylesheet less the rules above.

    Only those rules go: headings' bookmark levels, anchors and links still come from it. Plain
    `HTML` if WeasyPrint's stylesheet or its hook for it (`_ua_stylesheets`) changes shape.
    """
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    lean = _EVERY_ELEMENTS_PSEUDO_RULES.sub("", UA.replace("\n::marker {", "\nli::marker {"))
    if lean == UA or not hasattr(HTML, "_ua_stylesheets"):
        return HTML
    # Its counter styles are parsed into a spare set: WeasyPrint lays out with its own, which
    # already holds them (parsing them into that again warns that "decimal" is taken).
    stylesheet = CSS(string=lean, counter_style=CounterStyle())

    class ReportHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [stylesheet] if not forms else super()._ua_stylesheets(forms)

    return ReportHTML


def render(report: Report) -> bytes:
    # WeasyPrint is imported on first use: it is slow to import and only this format needs it.
    html_class = _report_html_class()
    _keep_page_references()
    html = html_class(
        string=document(report), base_url=static_base_url(), url_fetcher=static_files_only_fetcher()
    )
    return html.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
