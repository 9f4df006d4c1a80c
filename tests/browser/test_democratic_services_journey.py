"""Democratic Services download December 2024's outcome report for the Cabinet agenda pack, and the
files open: the PDF's text and the workbook's cells carry the real ratings and assessments.
Once with the pointer, once with the keyboard alone."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.roles import Role
from outcomes.models import Assessment
from tests.browser.helpers import (
    accessible_name,
    check_page,
    keyboard_sign_in,
    link,
    page_text,
    press,
    sign_in,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECEMBER = "Quarter to December 2024"
RED_CRITERION = "6c"
PDF_LINK = f"PDF for the agenda pack, {DECEMBER}"
EXCEL_LINK = f"Excel workbook, {DECEMBER}"


@pytest.fixture
def democratic_services(thurrock, make_user):
    return make_user(Role.DEMOCRATIC_SERVICES, username="democratic", first_name="Dev", last_name="Patel")


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def december_6c() -> Assessment:
    return Assessment.objects.select_related("criterion__outcome").get(
        period__slug="2024-25-q3", criterion__outcome__number=6, criterion__letter="c"
    )


def download(page, activate) -> bytes:
    # The PDF renders on request in about 2 s alone; with the other test worker busy beside it
    # that can pass Playwright's 15 s default, which would fail the journey, not the product.
    with page.expect_download(timeout=60_000) as info:
        activate()
    saved = info.value
    assert saved.failure() is None, saved.failure()
    return Path(saved.path()).read_bytes()


def assert_pdf_is_the_december_report(content: bytes) -> None:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    text = words(" ".join(page.extract_text() or "" for page in reader.pages))
    assert DECEMBER in text
    first_sentence = words(december_6c().narrative).split(". ")[0]
    assert first_sentence in text, f"6c's assessment is not in the PDF: {first_sentence!r}"
    # Every rating is printed as its letter, not shown by colour alone.
    for rating in ("Red", "Amber", "Green"):
        assert re.search(rf"\b{rating[0]}\b", text), f"No {rating} letter in the PDF"
    # The summary table prints 6c (as "c." under outcome 6) with its ratings' letters after it.
    assert f"{words(december_6c().criterion.text)} R" in text, "6c's Red rating is not in the PDF"


def assert_workbook_is_the_december_report(content: bytes) -> None:
    workbook = load_workbook(io.BytesIO(content))
    summary = workbook["Summary"]
    rows = {row[0]: row for row in summary.iter_rows(values_only=True) if row and row[0]}
    assert RED_CRITERION in rows, "6c is not on the Summary sheet"
    header = next(row for row in summary.iter_rows(values_only=True) if row and row[0] == "Ref")
    current = next(index for index, heading in enumerate(header) if heading and "this period" in heading)
    assert rows[RED_CRITERION][current] == "R"
    ratings = [row[current] for ref, row in rows.items() if re.fullmatch(r"\d+[a-z]", str(ref))]
    assert len(ratings) == 61
    assert sorted(set(ratings)) == ["A", "G", "R"]
    narrative = december_6c().narrative
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    ]
    assert any(words(narrative) == words(str(cell)) for cell in cells), (
        "6c's assessment is not in the workbook"
    )


def test_democratic_services_download_the_pdf_and_excel_report_and_both_open(
    browser_session, democratic_services
):
    journey = "democratic-services"
    page = browser_session.open("democratic services")
    sign_in(page, username="democratic")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    check_page(page, journey=journey, step="01-reports")
    page.get_by_role("link", name=DECEMBER, exact=True).click()
    check_page(page, journey=journey, step="02-report")
    assert "Quarter to December 2024 (1 October 2024 to 31 December 2024)" in page_text(page)

    pdf = download(page, lambda: page.get_by_role("link", name=accessible_name(PDF_LINK)).click())
    assert_pdf_is_the_december_report(pdf)
    workbook = download(page, lambda: page.get_by_role("link", name=accessible_name(EXCEL_LINK)).click())
    assert_workbook_is_the_december_report(workbook)


def test_the_downloads_with_the_keyboard_alone(browser_session, democratic_services):
    page = browser_session.open("democratic services")
    keyboard_sign_in(page, username="democratic")
    tab_to(page, link("Reports"))
    press(page, "Enter", navigates=True)
    tab_to(page, link(DECEMBER))
    press(page, "Enter", navigates=True)
    tab_to(page, link(PDF_LINK))
    pdf = download(page, lambda: page.keyboard.press("Enter"))
    assert_pdf_is_the_december_report(pdf)
    tab_to(page, link(EXCEL_LINK))
    workbook = download(page, lambda: page.keyboard.press("Enter"))
    assert_workbook_is_the_december_report(workbook)
