"""The Word appendix Democratic Services file in modern.gov, read back with python-docx (and LibreOffice)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from outcomes.models import PeriodState
from outcomes.selectors import period_get
from reporting.builder import report_build
from reporting.render import report_render
from tests.exports import file_of
from tests.seed_sources import running_in_ci, second_report_source
from tests.seed_sources.second_report import parse_second_report


@pytest.fixture
def december(thurrock):
    return period_get(slug="2024-25-q3")


def docx_bytes(period) -> bytes:
    return report_render(report_build(period=period), format="docx")


def document_of(period):
    return Document(io.BytesIO(docx_bytes(period)))


def squash(text: str) -> str:
    return " ".join(text.split())


def test_the_word_file_has_every_outcome_title_and_assessment_under_real_heading_styles(december):
    source = parse_second_report(second_report_source())
    document = document_of(december)
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    body = squash(" ".join(p.text for p in document.paragraphs))

    assert headings[0] == ("Heading 1", "Second Report on Outcomes and Success Criteria")
    for outcome in source["outcomes"]:
        assert ("Heading 2", f"{outcome['number']}. {outcome['title']}") in headings
        for criterion in outcome["criteria"]:
            assert ("Heading 4", f"{criterion['letter']}. {criterion['text']}") in headings
            # Word for word (whitespace aside): the officer's text, then the italics it quotes.
            whole = " ".join(p.removeprefix("- ") for p in criterion["paragraphs"])
            assert squash(whole) in body, f"{outcome['number']}{criterion['letter']}"
    levels = {name for name, _ in headings}
    assert levels == {"Heading 1", "Heading 2", "Heading 3", "Heading 4"}
    assert [text for name, text in headings if name == "Heading 3"].count("Success criteria") == 12


def test_bulleted_lines_are_word_list_items_and_quotations_use_the_quote_style(december):
    document = document_of(december)
    items = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]

    assert any(
        item.startswith("The right of access to information pursuant to section 100A") for item in items
    )
    assert not any(p.text.startswith("- ") for p in document.paragraphs)
    assert any(
        p.style.name == "Quote" and p.text.startswith("Please see comments above")
        for p in document.paragraphs
    )


def test_each_outcome_has_its_own_table_with_lettered_shaded_ratings_and_a_repeated_header(december):
    report = report_build(period=december)
    document = document_of(december)

    assert len(document.tables) == 12
    for table, outcome in zip(document.tables, report.outcomes, strict=True):
        assert table.style.name == "Table Grid"
        header = table.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert [c.text for c in header.cells] == [outcome.heading, *report.columns.as_tuple()]
        for row, criterion in zip(table.rows[1:], outcome.criteria, strict=True):
            for cell, style in zip(row.cells[1:], criterion.rag.styles, strict=True):
                assert cell.text.startswith(style.letter)
                assert cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == style.fill_hex


def test_the_word_file_is_a4_with_page_numbers_and_dated_by_its_publication(december):
    document = document_of(december)
    section = document.sections[0]

    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "Published 19 March 2025" in [p.text for p in document.paragraphs]
    assert document.core_properties.created.date().isoformat() == "2025-03-19"
    assert "DRAFT" not in section.header._element.xml


def test_a_draft_word_file_has_a_draft_header_and_watermark(december):
    december.state = PeriodState.CLOSED
    december.save()

    document = document_of(period_get(slug="2024-25-q3"))

    header = document.sections[0].header
    assert any(p.text.startswith("DRAFT – not published · Draft as at ") for p in header.paragraphs)
    assert 'string="DRAFT"' in header._element.xml  # the watermark's text path
    assert document.core_properties.title.startswith("DRAFT: ")


def test_democratic_services_download_the_word_file(client, democratic_services, december):
    client.force_login(democratic_services)

    response = file_of(client, december.slug, "docx")
    page = client.get(f"/reports/{december.slug}/").content.decode()

    assert "Word document for agenda systems" in page
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
    assert response.getvalue()[:2] == b"PK"


def test_libreoffice_converts_the_word_file_to_pdf(december, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if running_in_ci():
            pytest.fail("LibreOffice (soffice) is missing: make system-deps installs libreoffice-writer.")
        pytest.skip("LibreOffice is not installed (make system-deps installs it)")
    source = tmp_path / "appendix.docx"
    source.write_bytes(docx_bytes(december))

    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )

    reader = PdfReader(tmp_path / "appendix.pdf")
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    assert len(reader.pages) > 10
    assert "12. Improvement in corporate capability" in text
    assert "Page 1 of" in text
