"""The report as a Word document for agenda systems (modern.gov) and report authors, with python-docx.

Built from the same `Report` as every other format. It uses Word's own styles throughout (Heading 1–4,
List Bullet, Quote, Table Grid), so an author can restyle it to the council's template and Word's
navigation pane follows the document: report → section or outcome → Lead Director Summary | Success
criteria → criterion. python-docx has no call for a repeated table header row, cell shading, page
number fields or a watermark, so those are written as the WordprocessingML they need.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from core.narrative import narrative_blocks
from core.rag import RagStyle
from reporting.report import OutcomeSection, Report

# XML 1.0 refuses these; user text could hold them (pasted from elsewhere).
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RAG_COLUMN_WIDTH = Mm(24)


def _clean(text: str) -> str:
    return NOT_XML.sub("", text or "")


def _narrative(document, text: str, *, quoted: bool = False) -> None:
    """Paragraphs in Normal (or Quote), bulleted lines as real List Bullet items; the words untouched."""
    for block in narrative_blocks(_clean(text)):
        if block.is_list:
            for item in block.items:
                run = document.add_paragraph(style="List Bullet").add_run(item)
                run.italic = quoted or None
            continue
        paragraph = document.add_paragraph(style="Quote" if quoted else None)
        for index, line in enumerate(block.items):
            if index:
                paragraph.add_run().add_break()  # a single line break inside one paragraph
            paragraph.add_run(line)


def _shade(cell, fill_hex: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill_hex}"/>'))


def _repeat_as_header(row) -> None:
    """Mark a table row as a header row, repeated at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _rag_cell(cell, style: RagStyle) -> None:
    """The letter, always, on the rating's fill: never colour alone."""
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(style.letter)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(style.text_hex.upper())
    _shade(cell, style.fill_hex)


def _ratings_table(document, report: Report, outcome: OutcomeSection) -> None:
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, heading in zip(header.cells, (outcome.heading, *report.columns.as_tuple()), strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(_clean(heading)).bold = True
        _shade(cell, "DDDDDD")
    for criterion in outcome.criteria:
        cells = table.add_row().cells
        cells[0].text = _clean(f"{criterion.letter}. {criterion.text}")
        for cell, style in zip(cells[1:], criterion.rag.styles, strict=True):
            _rag_cell(cell, style)
        if criterion.moved:
            cells[3].paragraphs[0].add_run(f" {criterion.movement.arrow}")
    for row in table.rows:
        for cell in row.cells[1:]:
            cell.width = RAG_COLUMN_WIDTH


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the word processor fills in when it lays out the page."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, shown, end):
        run._r.append(element)


WATERMARK = """
<w:pict {ns} xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
  <v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
      path="m@7,l@8,m@5,21600l@6,21600e">
    <v:path textpathok="t" o:connecttype="custom"/>
    <v:textpath on="t" fitshape="t"/>
  </v:shapetype>
  <v:shape id="PowerPlusWaterMarkObject" o:spid="_x0000_s2049" type="#_x0000_t136"
      style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;rotation:315;
             z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;
             mso-position-vertical:center;mso-position-vertical-relative:margin"
      o:allowincell="f" fillcolor="#d9d9d9" stroked="f">
    <v:fill opacity=".5"/>
    <v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="DRAFT"/>
  </v:shape>
</w:pict>
"""


def _header_and_footer(document, report: Report) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = _clean(f"{report.organisation} · {report.full_title}")
    if report.is_draft:
        draft = section.header.add_paragraph()
        draft.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        mark = draft.add_run(f"DRAFT – not published · {report.dated}")
        mark.bold = True
        mark.font.color.rgb = RGBColor(0xB1, 0x0E, 0x1E)
        # The watermark is a shape anchored in the header, so it sits behind every page's text.
        draft.add_run()._r.append(parse_xml(WATERMARK.format(ns=nsdecls("w"))))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(_clean(f"{report.period_title} · Page "))
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _a4(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin = section.bottom_margin = Mm(20)


def _properties(document, report: Report) -> None:
    properties = document.core_properties
    properties.title = _clean(f"{'DRAFT: ' if report.is_draft else ''}{report.full_title}")
    properties.subject = _clean(f"{report.plan_title}: {report.period_title} ({report.period_slug})")
    properties.author = properties.last_modified_by = _clean(report.organisation)
    properties.keywords = f"{report.period_slug}, {report.period_label}, outcomes, success criteria"
    properties.category = "Draft" if report.is_draft else "Published"
    properties.language = "en-GB"
    # Dated by the report, never by the download; a draft by the moment this copy was made.
    if report.is_draft:
        dated = report.generated_at.replace(tzinfo=None)
    elif report.report_date is not None:
        dated = dt.datetime.combine(report.report_date, dt.time())
    else:
        dated = dt.datetime(2000, 1, 1)  # python-docx stamps "now" when none is given
    properties.created = properties.modified = dated
    properties.revision = 1


def _cover(document, report: Report) -> None:
    document.add_paragraph(_clean(report.organisation))
    document.add_paragraph(_clean(report.plan_title))
    document.add_heading(_clean(report.title), level=1)
    document.add_paragraph(_clean(report.period_title))
    document.add_paragraph(f"{report.period_start:%-d %B %Y} to {report.period_end:%-d %B %Y}")
    status = document.add_paragraph()
    status.add_run(report.status if report.is_draft else "Status: Published").bold = report.is_draft
    document.add_paragraph(report.dated)


def _outcome(document, report: Report, outcome: OutcomeSection) -> None:
    document.add_heading(_clean(outcome.heading), level=2)
    _ratings_table(document, report, outcome)
    document.add_heading("Lead Director Summary", level=3)
    if outcome.lead:
        document.add_paragraph(_clean(f"Lead: {outcome.lead}"))
    _narrative(
        document,
        outcome.lead_director_summary or "No Lead Director Summary has been written for this period.",
    )
    document.add_heading("Success criteria", level=3)
    for criterion in outcome.criteria:
        document.add_heading(_clean(f"{criterion.letter}. {criterion.text}"), level=4)
        label = document.add_paragraph()
        label.add_run("Assessment of Progress").bold = True
        if criterion.assessment:
            _narrative(document, criterion.assessment)
        elif criterion.carried_forward_marker:
            _narrative(document, criterion.carried_forward_marker)
        elif not criterion.quoted_previous:
            document.add_paragraph("No assessment of progress has been recorded for this period.")
        if criterion.quoted_previous:
            if criterion.quotation_label:
                document.add_paragraph(_clean(criterion.quotation_label)).runs[0].bold = True
            _narrative(document, criterion.quoted_previous, quoted=True)


def _commissioners_judgement(document, report: Report) -> None:
    """Only when the commissioners marked the period's judgement for publication."""
    judgement = report.commissioners_judgement
    if judgement is None:
        return
    document.add_heading("Commissioners' judgement", level=2)
    document.add_paragraph(judgement.introduction)
    document.add_paragraph(judgement.differences)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_as_header(header)
    headings = ("Outcome", "Council", "Commissioners", "Difference")
    for cell, heading in zip(header.cells, headings, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
        _shade(cell, "DDDDDD")
    for row in judgement.rows:
        cells = table.add_row().cells
        cells[0].text = _clean(row.heading)
        _rag_cell(cells[1], row.council_style)
        _rag_cell(cells[2], row.commissioners_style)
        cells[3].text = row.difference
    for row in judgement.rows:
        document.add_heading(_clean(f"Commissioners' commentary: {row.heading}"), level=3)
        _narrative(document, row.commentary)


def render(report: Report) -> bytes:
    document = Document()
    _a4(document)
    _properties(document, report)
    _header_and_footer(document, report)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)

    _cover(document, report)
    document.add_heading("Purpose", level=2)
    _narrative(document, report.purpose or "No purpose has been written for this period.")
    document.add_heading("Summary", level=2)
    _narrative(document, report.summary or "No summary has been written for this period.")
    document.add_heading("Ratings this period", level=3)
    for sentence in report.facts.sentences:
        document.add_paragraph(sentence)
    document.add_heading("Note on definitions", level=2)
    for definition in report.rag_definitions:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{definition.style.letter} ({definition.style.label}): ").bold = True
        paragraph.add_run(_clean(definition.definition))
    for outcome in report.outcomes:
        _outcome(document, report, outcome)
    _commissioners_judgement(document, report)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
