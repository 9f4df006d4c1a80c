"""Democratic Services file the December 2024 appendix unchanged: no demo account, no download date."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from outcomes.management.commands.seed_demo_users import DEMO_PEOPLE
from outcomes.models import Outcome
from outcomes.selectors import period_get
from reporting.builder import report_build
from reporting.render import report_render


@pytest.fixture
def december_with_demo_accounts(thurrock, settings):
    settings.DEBUG = True  # seed_demo_users is development-only, as `make run` uses it
    call_command("seed_demo_users", stdout=io.StringIO())
    assert Outcome.objects.filter(lead_director__isnull=False).count() == 12
    return period_get(slug="2024-25-q3")


def texts_of_every_format(period) -> dict[str, str]:
    report = report_build(period=period)
    workbook = load_workbook(io.BytesIO(report_render(report, format="xlsx")))
    document = Document(io.BytesIO(report_render(report, format="docx")))
    pdf = PdfReader(io.BytesIO(report_render(report, format="pdf")))
    return {
        "html": report_render(report, format="html").decode(),
        "json": json.dumps(json.loads(report_render(report, format="json")), ensure_ascii=False),
        "pdf": " ".join(page.extract_text() for page in pdf.pages) + str(pdf.metadata),
        "xlsx": " ".join(
            str(cell.value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value
        )
        + f" {workbook.properties.created} {workbook.properties.modified}",
        "docx": " ".join(p.text for p in document.paragraphs)
        + " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
        + " ".join(p.text for p in document.sections[0].header.paragraphs)
        + f" {document.core_properties.created} {document.core_properties.modified}",
    }


def test_the_december_report_names_no_demo_account_in_any_format(december_with_demo_accounts):
    texts = texts_of_every_format(december_with_demo_accounts)

    for name, text in texts.items():
        for _, first, last, _ in DEMO_PEOPLE:
            assert f"{first} {last}" not in text, name
        assert "Lead:" not in text, name  # the council records no lead's job title for any outcome


def test_the_december_report_carries_its_publication_date_never_the_download_time(
    december_with_demo_accounts,
):
    today = timezone.localdate()
    spellings = (today.isoformat(), f"{today:%-d %B %Y}", f"{today:%d %B %Y}")

    texts = texts_of_every_format(december_with_demo_accounts)

    for name, text in texts.items():
        assert not any(day in text for day in spellings), name
        assert "Produced" not in text and "generated_at" not in text, name
    for name in ("html", "pdf", "docx", "json"):
        assert "Published 19 March 2025" in texts[name], name
    # The narratives' own dates are the council's and stay, e.g. 3c's "end November 2024".
    assert re.search(r"end\s+November\s+2024", texts["pdf"])


def test_a_plan_that_shows_names_prints_the_lead_directors_name(december_with_demo_accounts):
    plan = december_with_demo_accounts.plan
    plan.show_names = True
    plan.save()

    section = report_build(period=period_get(slug="2024-25-q3")).outcomes[0]

    assert section.lead == "Dana Mitchell"
