"""The agenda-pack PDF: read back with pypdf, as a member or a screen reader would meet it."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from outcomes.models import Assessment, OutcomeSummary, PeriodState
from outcomes.selectors import period_get
from reporting.builder import report_build
from reporting.render import report_render
from tests.seed_sources import second_report_source
from tests.seed_sources.second_report import parse_second_report

A4_POINTS = (595, 842)


@pytest.fixture
def december(thurrock):
    return period_get(slug="2024-25-q3")


def pdf_of(period) -> PdfReader:
    return PdfReader(io.BytesIO(report_render(report_build(period=period), format="pdf")))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def body_text(reader: PdfReader, report) -> str:
    """Every page's text without the running header and footer, so paragraphs read on across pages.

    A list's bullets are drawn after the page's text, so pypdf reads them at the page's end, where
    they would split a paragraph that runs on to the next page; they are left out too (the tags
    keep each bullet with its item for a screen reader).
    """
    header = f"{report.organisation} · {report.title}"
    running = re.compile(rf"^(?:{re.escape(report.period_title)} )?Page \d+ of \d+$|^DRAFT$|^•$")
    lines = [
        line
        for page in reader.pages
        for line in page.extract_text().splitlines()
        if line.strip() != header and not running.match(line.strip())
    ]
    # A line broken after a word's hyphen ("co-" / "design") is one word again.
    return squash(re.sub(r"(?<=\w-)\n", "", "\n".join(lines)))


@pytest.fixture
def december_pdf(december):
    return pdf_of(december)


def test_the_pdf_carries_every_narrative_of_the_councils_per_outcome_sections(december, december_pdf):
    source = parse_second_report(second_report_source())
    text = body_text(december_pdf, report_build(period=december))

    for paragraph in [*source["purpose"].split("\n\n"), *source["summary"].split("\n\n")]:
        assert squash(paragraph) in text
    for outcome in source["outcomes"]:
        assert f"{outcome['number']}. {outcome['title']}" in text
        for paragraph in outcome["lead_director_summary"].split("\n\n"):
            assert squash(paragraph) in text, f"Lead Director Summary {outcome['number']}"
        for criterion in outcome["criteria"]:
            for paragraph in criterion["paragraphs"]:
                # A "- " list item prints as a real list item, without the dash.
                assert squash(paragraph.removeprefix("- ")) in text, (
                    f"{outcome['number']}{criterion['letter']}"
                )


def test_the_december_pdf_quotes_septembers_text_straight_after_the_councils_sentence(december, december_pdf):
    source = parse_second_report(second_report_source())
    report = report_build(period=december)
    text = body_text(december_pdf, report)

    quoting = [
        (f"{o['number']}{c['letter']}", c) for o in source["outcomes"] for c in o["criteria"] if c["quoted"]
    ]
    assert len(quoting) == 9
    assert "From the last report" not in text and "same as last period" not in text
    rows = {row.reference: row for row in report.criteria}
    for reference, criterion in quoting:
        # The officer's text, then at once the italics it introduces: no second introduction between.
        row = rows[reference]
        heading = text.rindex(f"{row.letter}. {squash(row.text)}")  # the criterion's own heading
        last_new = squash(criterion["narrative"].split("\n\n")[-1])
        start = text.index(last_new, heading) + len(last_new)
        first_quoted = squash(criterion["quoted"].split("\n\n")[0])
        assert text[start:].lstrip().startswith(first_quoted), reference


def test_the_pdf_carries_every_criterions_three_ratings_in_both_tables(december, december_pdf):
    report = report_build(period=december)
    text = body_text(december_pdf, report)

    for row in report.criteria:
        ratings = f"{row.letter}. {squash(row.text)} {row.rag.baseline} {row.rag.previous} {row.rag.current}"
        # Once in the summary table, once in the outcome's own table.
        assert text.count(ratings) == 2, row.reference
    assert text.count("RAG – Baseline (Sept 24) RAG – last period (Sept 24) RAG – this period (Dec 24)") >= 13


def test_the_pdf_summary_follows_a_changed_rating(december):
    Assessment.objects.filter(period=december, criterion__outcome__number=6, criterion__letter="c").update(
        rag="A"
    )

    report = report_build(period=december)
    text = body_text(pdf_of(december), report)

    assert "This period 61 success criteria are rated: 0 Red, 34 Amber, 27 Green." in text
    assert "Since last period (Sept 24), 7 criteria moved up and 1 moved down." in text
    assert "6c (Red to Amber)" in text


def test_the_pdf_is_an_a4_agenda_pack_with_cover_contents_and_page_numbers(december_pdf, december, thurrock):
    pages = december_pdf.pages
    cover = squash(pages[0].extract_text())
    contents = squash(pages[1].extract_text())

    for page in pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS
    assert thurrock.organisation in cover
    assert "Second Report on Outcomes and Success Criteria" in cover
    assert "Quarter to December 2024" in cover and "Status: Published" in cover
    assert contents.startswith("Contents")
    assert re.search(r"12\. Improvement in corporate capability \.+ \d+", contents)
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()
    assert (
        f"{thurrock.organisation} · Second Report on Outcomes and Success Criteria" in pages[5].extract_text()
    )


def test_the_pdf_repeats_table_headings_on_every_page_a_table_runs_onto(december_pdf):
    pages = [squash(page.extract_text()) for page in december_pdf.pages]
    first = next(i for i, text in enumerate(pages) if "Summary of ratings All outcomes" in text)
    last = next(i for i in range(first, len(pages)) if "Note on definitions" in pages[i])
    heading = (
        "Outcome and success criterion RAG – Baseline (Sept 24) RAG – last period (Sept 24) RAG – this period"
    )

    assert last - first >= 2  # the summary table runs over several pages
    for text in pages[first:last]:
        assert heading in text


def test_the_pdf_has_a_title_a_language_and_tags_for_assistive_technology(december_pdf):
    root = december_pdf.trailer["/Root"]

    title = "Second Report on Outcomes and Success Criteria: Quarter to December 2024"
    assert december_pdf.metadata.title == f"{title} – {december_pdf.metadata.author}"
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_user_text_shows_as_text_in_the_pdf(december):
    OutcomeSummary.objects.filter(period=december, outcome__number=1).update(
        text="<b>Not bold</b> & <i>fine</i>"
    )

    report = report_build(period=december)
    text = body_text(pdf_of(december), report)

    assert "<b>Not bold</b> & <i>fine</i>" in text


def test_a_draft_says_draft_on_the_cover_and_on_every_page(december):
    december.state = PeriodState.CLOSED
    december.save()

    reader = pdf_of(december)

    assert "Status: DRAFT – not published (closed)" in squash(reader.pages[0].extract_text())
    for page in reader.pages:
        assert "DRAFT" in page.extract_text()
    assert reader.metadata.title.startswith("DRAFT: ")


def test_the_first_reports_text_quoted_in_italics_is_in_the_september_pdf(thurrock):
    # The council's December report quotes September's assessments in italics. Where December's
    # is carried forward (3a, 4a, 7d, 7h, 9i, 11e) it is that text, checked above; the quotes under
    # 3b, 3e and 11c, whose December text is new, are September's record and print in its report.
    source = parse_second_report(second_report_source())
    september = period_get(slug="2024-25-q2")
    text = body_text(pdf_of(september), report_build(period=september))

    quoted = [
        (f"{outcome['number']}{criterion['letter']}", paragraph)
        for outcome in source["outcomes"]
        for criterion in outcome["criteria"]
        if criterion["previous_assessment"]
        for paragraph in criterion["previous_assessment"].replace("\n\n- ", "\n\n").split("\n\n")
    ]
    assert {reference for reference, _ in quoted} == {"3a", "3b", "3e", "4a", "7d", "7h", "9i", "11c", "11e"}
    for reference, paragraph in quoted:
        assert squash(paragraph) in text, reference


def test_bulleted_lines_print_as_bulleted_list_items(december_pdf):
    # The PDF renders with a leaner copy of WeasyPrint's own stylesheet (reporting/render/pdf.py),
    # which keeps list markers for list items only: the council's bulleted lines keep their bullets.
    bullets = sum(
        line.strip() == "•" for page in december_pdf.pages for line in page.extract_text().splitlines()
    )

    assert bullets >= 10
