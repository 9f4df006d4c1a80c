"""The Excel workbook of the outcome report, read back cell by cell with openpyxl."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from core.rag import RAG_STYLES
from outcomes.models import Assessment, OutcomeSummary, PeriodState
from outcomes.selectors import period_get
from reporting.builder import report_build
from reporting.render import report_render
from tests.seed_sources import second_report_source
from tests.seed_sources.second_report import parse_second_report

SUMMARY_HEADER_ROW = 5


@pytest.fixture
def december(thurrock):
    return period_get(slug="2024-25-q3")


def workbook_of(period):
    return load_workbook(io.BytesIO(report_render(report_build(period=period), format="xlsx")))


def rows_below_header(sheet, header_row: int):
    for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if not row[0]:
            break
        yield row


def test_the_workbook_has_a_summary_a_sheet_per_outcome_and_the_changes(december):
    workbook = workbook_of(december)

    assert workbook.sheetnames == ["Summary", *[f"Outcome {n}" for n in range(1, 13)], "Changes"]
    assert (
        workbook.properties.title
        == "Second Report on Outcomes and Success Criteria: Quarter to December 2024"
    )
    assert "2024-25-q3" in workbook.properties.subject
    assert "Quarter to December 2024" in workbook.properties.subject


def test_the_summary_sheet_mirrors_the_summary_table(december):
    report = report_build(period=december)
    sheet = workbook_of(december)["Summary"]

    header = [cell.value for cell in sheet[SUMMARY_HEADER_ROW]]
    assert header[:7] == [
        "Ref",
        "Outcome",
        "Success criterion",
        "RAG – Baseline (Sept 24)",
        "RAG – last period (Sept 24)",
        "RAG – this period (Dec 24)",
        "Direction of travel",
    ]
    rows = list(rows_below_header(sheet, SUMMARY_HEADER_ROW))
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in rows] == [
        (c.reference, c.text, c.rag.baseline, c.rag.previous, c.rag.current) for c in report.criteria
    ]
    assert len(rows) == 61
    assert {r[0]: r[6] for r in rows}["11d"] == "↓ Declined"


def test_rag_cells_show_the_letter_on_the_councils_fill(december):
    sheet = workbook_of(december)["Summary"]

    for row in sheet.iter_rows(
        min_row=SUMMARY_HEADER_ROW + 1, max_row=SUMMARY_HEADER_ROW + 61, min_col=4, max_col=6
    ):
        for cell in row:
            style = RAG_STYLES[cell.value]
            assert cell.fill.fgColor.rgb == f"00{style.fill_hex}"
            assert cell.font.color.rgb == f"00{style.text_hex}"


def test_the_summary_sheet_is_ready_to_filter_and_print(december):
    sheet = workbook_of(december)["Summary"]

    assert sheet.freeze_panes == f"D{SUMMARY_HEADER_ROW + 1}"
    assert sheet.auto_filter.ref == f"A{SUMMARY_HEADER_ROW}:H{SUMMARY_HEADER_ROW + 61}"
    assert sheet.column_dimensions["C"].width == 70
    assert sheet.cell(row=SUMMARY_HEADER_ROW + 1, column=3).alignment.wrap_text
    assert sheet.print_title_rows == f"${SUMMARY_HEADER_ROW}:${SUMMARY_HEADER_ROW}"


def criterion_rows(sheet) -> dict[str, list[tuple]]:
    """Each criterion's rows on an outcome sheet: its own, then any its long text continues into."""
    rows: dict[str, list[tuple]] = {}
    for row in rows_below_header(sheet, _header_row(sheet)):
        rows.setdefault(row[0], []).append(row)
    return rows


def joined(rows: list[tuple], column: int) -> str:
    return " ".join(" ".join(str(row[column] or "").split()) for row in rows).strip()


def test_each_outcome_sheet_has_the_lead_director_summary_and_every_assessment(december):
    source = parse_second_report(second_report_source())
    workbook = workbook_of(december)

    for outcome in source["outcomes"]:
        sheet = workbook[f"Outcome {outcome['number']}"]
        texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
        assert texts[0] == f"{outcome['number']}. {outcome['title']}"
        assert "Lead Director Summary" in texts
        for paragraph in outcome["lead_director_summary"].split("\n\n"):
            assert paragraph in texts
        assessments = criterion_rows(sheet)
        for criterion in outcome["criteria"]:
            first, *_ = rows = assessments[f"{outcome['number']}{criterion['letter']}"]
            assert (first[2], first[3], first[4]) == (
                criterion["baseline"],
                criterion["previous"],
                criterion["current"],
            )
            assert first[5] == ("Yes" if criterion["carried_forward"] else "No")
            # Word for word, whitespace aside: the officer's text, and the italics it quotes beside it.
            assert joined(rows, 6) == " ".join(criterion["narrative"].split())
            assert joined(rows, 7) == " ".join(criterion["quoted"].split())


def test_septembers_quoted_text_sits_in_italics_beside_the_councils_sentence(december):
    source = parse_second_report(second_report_source())
    workbook = workbook_of(december)

    found = {}
    for outcome in source["outcomes"]:
        sheet = workbook[f"Outcome {outcome['number']}"]
        header = _header_row(sheet)
        assert sheet.cell(row=header, column=8).value == "Quoted from the last report (italics)"
        for cells in sheet.iter_rows(min_row=header + 1):
            if not cells[0].value:
                break
            if cells[7].value:
                assert cells[7].font.i, cells[0].value
                found[cells[0].value] = True
    assert set(found) == {"3a", "3b", "3e", "4a", "7d", "7h", "9i", "11c", "11e"}


def test_a_long_quotation_continues_in_the_rows_below_instead_of_being_cut_off(december):
    sheet = workbook_of(december)["Outcome 3"]

    rows = criterion_rows(sheet)["3e"]

    assert len(rows) > 1
    assert [row[1] for row in rows[1:]] == ["3e continued"] * (len(rows) - 1)
    for number in range(1, sheet.max_row + 1):
        assert (sheet.row_dimensions[number].height or 0) < 409


def test_every_sheet_prints_on_a4_landscape_fitted_to_width_with_its_headings_repeated(december):
    workbook = workbook_of(december)

    for sheet in workbook.worksheets:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4, sheet.title
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows, sheet.title


def test_the_summary_sheet_carries_the_purpose_and_the_summary(december):
    report = report_build(period=december)
    texts = [c.value for c in workbook_of(december)["Summary"]["A"] if isinstance(c.value, str)]

    assert "Purpose" in texts
    for paragraph in (*report.purpose.split("\n\n"), *report.summary.split("\n\n")):
        assert paragraph in texts


def test_the_status_is_said_once_and_a_published_workbook_is_dated_by_its_publication(december):
    workbook = workbook_of(december)

    assert workbook["Summary"]["A3"].value == "Published 19 March 2025"
    assert workbook.properties.created.date() == dt.date(2025, 3, 19)
    december.state = PeriodState.CLOSED
    december.save()
    status = workbook_of(period_get(slug="2024-25-q3"))["Summary"]["A3"].value
    assert status.startswith("DRAFT – not published (closed) · Draft as at ")
    assert status.count("DRAFT") == 1


def _header_row(sheet) -> int:
    return next(cell.row for cell in sheet["A"] if cell.value == "Ref")


def test_the_changes_sheet_lists_the_criteria_whose_rating_moved(december):
    sheet = workbook_of(december)["Changes"]

    header = _header_row(sheet)
    assert [cell.value for cell in sheet[header]][3:] == [
        "RAG – last period (Sept 24)",
        "RAG – this period (Dec 24)",
        "Change",
    ]
    rows = [(r[0], r[3], r[4], r[5]) for r in rows_below_header(sheet, header)]
    assert rows == [
        ("6e", "A", "G", "↑ Improved"),
        ("9f", "A", "G", "↑ Improved"),
        ("9h", "A", "G", "↑ Improved"),
        ("11b", "A", "G", "↑ Improved"),
        ("11d", "G", "A", "↓ Declined"),
        ("12a", "A", "G", "↑ Improved"),
        ("12b", "A", "G", "↑ Improved"),
    ]


def test_changing_one_rating_changes_the_summary_and_the_changes_sheet(december):
    Assessment.objects.filter(period=december, criterion__outcome__number=3, criterion__letter="c").update(
        rag="R"
    )

    workbook = workbook_of(december)

    changes = [r[0] for r in rows_below_header(workbook["Changes"], _header_row(workbook["Changes"]))]
    assert changes[0] == "3c"
    summary = {r[0]: r for r in rows_below_header(workbook["Summary"], SUMMARY_HEADER_ROW)}
    assert summary["3c"][5] == "R" and summary["3c"][6] == "↓ Declined"
    sentences = [c.value for c in workbook["Summary"]["A"] if isinstance(c.value, str)]
    assert "This period 61 success criteria are rated: 2 Red, 33 Amber, 26 Green." in sentences


@pytest.mark.parametrize(
    "narrative", ['=HYPERLINK("http://evil.example","Click")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1+1"]
)
def test_text_that_looks_like_a_formula_is_written_as_text(december, narrative):
    Assessment.objects.filter(period=december, criterion__outcome__number=1, criterion__letter="a").update(
        narrative=narrative
    )
    OutcomeSummary.objects.filter(period=december, outcome__number=1).update(text=narrative)

    workbook = workbook_of(december)

    cells = [
        cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None
    ]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell.value for cell in cells if cell.parent.title == "Outcome 1"]
    assert texts.count(narrative) == 2  # the Lead Director Summary and 1a's assessment, verbatim
    assert all(cell.quotePrefix for cell in cells if cell.value == narrative)


def test_a_draft_workbook_says_draft_on_every_sheet(december):
    december.state = PeriodState.CLOSED
    december.save()

    workbook = workbook_of(december)

    for sheet in workbook:
        assert sheet["A3"].value.startswith("DRAFT"), sheet.title
    assert workbook.properties.title.startswith("DRAFT: ")
