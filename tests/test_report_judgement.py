"""When the commissioners mark a period's judgement for publication, the quarterly report carries it
as its own section, in every format, beside the council's rating; otherwise no format mentions it."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from outcomes import evaluation_services
from outcomes.models import PeriodState
from outcomes.scale import build_synthetic_plan
from outcomes.selectors import period_get
from reporting.amendments import AMENDMENT_QUERIES
from reporting.builder import report_build
from reporting.render import report_render

pytestmark = pytest.mark.django_db

# As tests/test_report_builder.py counts them: the report (one query its commissioners' judgement,
# whatever the number of outcomes), then its amendments from three history tables.
BUILD_QUERIES = 8 + AMENDMENT_QUERIES

COMMENTARY = "Governance has improved, but the audit backlog is not yet cleared."
HEADING = "Commissioners' judgement"


def _judge(evaluation, commissioner, *, for_publication: bool | None) -> None:
    """Outcome 1 in December: its criteria are Amber and Red (a tie: the council's rating is the worse,
    Red); the commissioners say Amber."""
    evaluation_services.judgement_record(
        outcome=evaluation.outcomes[1],
        period=evaluation.last,
        by=commissioner,
        rag="A",
        commentary=COMMENTARY,
    )
    if for_publication is not None:
        evaluation_services.judgement_publication_decide(
            period=evaluation.last, by=commissioner, for_publication=for_publication
        )


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _texts(report) -> dict[str, str]:
    """What a reader finds in each format, as plain text."""
    pdf = PdfReader(io.BytesIO(report_render(report, format="pdf")))
    document = Document(io.BytesIO(report_render(report, format="docx")))
    workbook = load_workbook(io.BytesIO(report_render(report, format="xlsx")))
    docx_text = [p.text for p in document.paragraphs]
    docx_text += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    xlsx_text = [
        str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value
    ]
    return {
        "html": report_render(report, format="html").decode(),
        "pdf": _squash(" ".join(page.extract_text() for page in pdf.pages)),
        "docx": "\n".join(docx_text),
        "xlsx": "\n".join(xlsx_text) + "\n" + "\n".join(workbook.sheetnames),
        "json": report_render(report, format="json").decode(),
    }


def test_a_judgement_marked_for_publication_is_a_section_of_the_report_in_every_format(
    evaluation, commissioner
):
    _judge(evaluation, commissioner, for_publication=True)

    report = report_build(period=period_get(slug=evaluation.last.slug))

    section = report.commissioners_judgement
    assert section is not None
    (row,) = section.rows
    assert (row.outcome_number, row.council, row.commissioners) == (1, "R", "A")
    assert row.differs
    assert section.differences == "The commissioners' rating differs from the council's for outcome 1."
    for name, text in _texts(report).items():
        if name != "json":  # the data names it by its key
            assert HEADING in text.replace("&#x27;", "'"), name
        assert COMMENTARY in text.replace("&#x27;", "'"), name
    published = json.loads(report_render(report, format="json"))["commissioners_judgement"]
    assert published == [
        {
            "outcome": 1,
            "title": "Good governance",
            "council_rag": "R",
            "commissioners_rag": "A",
            "differs": True,
            "commentary": COMMENTARY,
        }
    ]
    assert HEADING in load_workbook(io.BytesIO(report_render(report, format="xlsx"))).sheetnames


@pytest.mark.parametrize("for_publication", [False, None], ids=["not for publication", "never decided"])
def test_a_judgement_not_for_publication_is_in_no_format(evaluation, commissioner, for_publication):
    _judge(evaluation, commissioner, for_publication=for_publication)

    report = report_build(period=period_get(slug=evaluation.last.slug))

    assert report.commissioners_judgement is None
    for name, text in _texts(report).items():
        assert COMMENTARY not in text, name
        assert "Commissioners" not in text.replace("&#x27;", "'"), name
    assert json.loads(report_render(report, format="json"))["commissioners_judgement"] is None


def test_withdrawing_publication_takes_the_section_out_again(evaluation, commissioner):
    _judge(evaluation, commissioner, for_publication=True)
    evaluation_services.judgement_publication_decide(
        period=evaluation.last, by=commissioner, for_publication=False
    )

    assert report_build(period=period_get(slug=evaluation.last.slug)).commissioners_judgement is None


def test_the_report_page_shows_the_published_judgement_beside_the_councils_rating(
    client, evaluation, commissioner, democratic_services
):
    _judge(evaluation, commissioner, for_publication=True)
    client.force_login(democratic_services)

    page = client.get(reverse("reporting:report", args=[evaluation.last.slug])).content.decode()

    assert 'href="#commissioners-judgement"' in page  # listed in the contents
    section = page[page.index('id="commissioners-judgement"') :]
    assert "Differs from the council&#x27;s rating" in section
    assert COMMENTARY in section


def test_a_commentary_typed_as_markup_shows_as_text_in_the_report(evaluation, commissioner):
    evaluation_services.judgement_record(
        outcome=evaluation.outcomes[2],
        period=evaluation.last,
        by=commissioner,
        rag="G",
        commentary="<script>alert(1)</script> =SUM(A1)",
    )
    evaluation_services.judgement_publication_decide(
        period=evaluation.last, by=commissioner, for_publication=True
    )
    report = report_build(period=period_get(slug=evaluation.last.slug))

    assert "<script>" not in report_render(report, format="html").decode()
    workbook = load_workbook(io.BytesIO(report_render(report, format="xlsx")))
    cells = [cell for row in workbook[HEADING].iter_rows() for cell in row if cell.value]
    commentary = next(cell for cell in cells if "SUM" in str(cell.value) and "script" in str(cell.value))
    assert commentary.data_type == "s"
    assert not report.commissioners_judgement.rows[0].differs  # outcome 2: council Green, commissioners Green


@pytest.mark.slow
def test_building_the_report_with_every_outcome_judged_costs_the_same_queries_at_x1_and_x10(
    commissioner, django_assert_num_queries
):
    for factor in (1, 10):
        plan = build_synthetic_plan(factor=factor, periods=2, slug=f"j{factor}")
        latest = plan.periods.order_by("end").last()
        for outcome in plan.outcomes.all():
            evaluation_services.judgement_record(
                outcome=outcome, period=latest, by=commissioner, rag="G", commentary="Assured."
            )
        evaluation_services.judgement_publication_decide(period=latest, by=commissioner, for_publication=True)
        plan.periods.filter(pk=latest.pk).update(state=PeriodState.PUBLISHED)
        published = period_get(slug=latest.slug)

        with django_assert_num_queries(BUILD_QUERIES):
            report = report_build(period=published)

        assert len(report.commissioners_judgement.rows) == plan.outcomes.count()
