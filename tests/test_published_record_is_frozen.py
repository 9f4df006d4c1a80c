"""Published means frozen: the admin, the ORM and the reports all keep the official record as published.

A correction after publication is re-open with a reason, change, publish again; every report format
then lists it under Amendments.
"""

from __future__ import annotations

import io
import json

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from outcomes import services
from outcomes.admin import DELETION_REFUSED
from outcomes.models import Assessment, OutcomeSummary, PeriodState, ReportingPeriod
from reporting.builder import report_build
from reporting.render import report_render
from tests.scenarios import Cycle


@pytest.fixture
def superuser(make_user):
    return make_user(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def published(thurrock):
    return ReportingPeriod.objects.get(slug="2024-25-q3", state=PeriodState.PUBLISHED)


def _admin_post(assessment: Assessment, **changes) -> dict:
    data = {
        "rag": assessment.rag,
        "narrative": assessment.narrative,
        "status": assessment.status,
        "return_comment": assessment.return_comment,
        "expected_version": assessment.version,
        "change_reason": "Correcting a typing error",
    }
    data.update(changes)
    return data


def test_the_admin_cannot_change_the_rating_narrative_or_status_of_a_published_assessment(
    client, published, superuser
):
    client.force_login(superuser)
    assessment = Assessment.objects.filter(period=published).first()
    before = (assessment.rag, assessment.narrative, assessment.status, assessment.history.count())
    url = reverse("admin:outcomes_assessment_change", args=[assessment.pk])

    page = client.get(url).content.decode()
    response = client.post(url, _admin_post(assessment, rag="G", narrative="Rewritten", status="draft"))

    assert 'name="rag"' not in page and 'name="narrative"' not in page and 'name="status"' not in page
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert (assessment.rag, assessment.narrative, assessment.status, assessment.history.count()) == before


def test_the_admin_cannot_change_a_published_period_nor_its_state(client, published, superuser):
    client.force_login(superuser)
    url = reverse("admin:outcomes_reportingperiod_change", args=[published.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"state": "open", "title": "Changed", "change_reason": "Because"})

    assert 'name="state"' not in page and 'name="title"' not in page
    assert response.status_code == 403
    published.refresh_from_db()
    assert (published.state, published.title) == (PeriodState.PUBLISHED, "Quarter to December 2024")


def test_the_admin_never_offers_a_period_state_even_for_an_open_period(
    client, officer, lead_director, superuser
):
    cycle = Cycle(officer=officer, director=lead_director)
    client.force_login(superuser)

    page = client.get(
        reverse("admin:outcomes_reportingperiod_change", args=[cycle.period.pk])
    ).content.decode()

    assert 'name="title"' in page
    assert 'name="state"' not in page


@pytest.mark.parametrize(
    ("model", "name"),
    [(ReportingPeriod, "Reporting period"), (Assessment, "Assessment"), (OutcomeSummary, "Outcome summary")],
)
def test_the_admin_refuses_to_delete_the_official_record_with_one_sentence(
    client, published, superuser, model, name
):
    client.force_login(superuser)
    row = published if model is ReportingPeriod else model.objects.filter(period=published).first()
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk])

    response = client.post(url, {"post": "yes"}, follow=True)

    assert DELETION_REFUSED.format(name=name) in response.content.decode()
    assert model.objects.filter(pk=row.pk).exists()
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_deleting_a_published_period_through_the_orm_is_refused(published):
    assessments = Assessment.objects.filter(period=published).count()

    with pytest.raises(ProtectedError):
        published.delete()

    assert Assessment.objects.filter(period=published).count() == assessments
    assert ReportingPeriod.objects.filter(pk=published.pk).exists()


def test_deleting_a_criterion_with_assessments_through_the_orm_is_refused(published):
    criterion = Assessment.objects.filter(period=published).first().criterion

    with pytest.raises(ProtectedError):
        criterion.delete()


# ------------------------------------------------------------------ admin saves go through the services


def test_an_admin_correction_in_an_open_period_is_kept_with_its_reason_and_counts_as_a_version(
    client, officer, lead_director, superuser
):
    cycle = Cycle(officer=officer, director=lead_director)
    client.force_login(superuser)
    assessment = cycle.fresh("1a")
    url = reverse("admin:outcomes_assessment_change", args=[assessment.pk])

    response = client.post(url, _admin_post(assessment, rag="A", narrative="Corrected by staff."))

    assert response.status_code == 302, response.content.decode()[:3000]
    saved = cycle.fresh("1a")
    assert (saved.rag, saved.narrative, saved.version) == ("A", "Corrected by staff.", assessment.version + 1)
    latest = saved.history.first()
    assert (latest.history_user, latest.history_change_reason) == (superuser, "Correcting a typing error")


def test_an_admin_saving_a_stale_assessment_is_told_so_and_never_overwrites_the_officers_newer_save(
    client, officer, lead_director, superuser
):
    cycle = Cycle(officer=officer, director=lead_director)
    client.force_login(superuser)
    loaded = cycle.fresh("1a")  # the admin opens the change page
    services.assessment_save_draft(
        assessment=loaded,
        by=officer,
        rag="G",
        narrative="The officer's newer text.",
        expected_version=loaded.version,
    )

    response = client.post(
        reverse("admin:outcomes_assessment_change", args=[loaded.pk]),
        _admin_post(loaded, rag="R", narrative="The admin's older page."),
    )

    assert response.status_code == 200
    assert "saved a change while you were editing" in response.content.decode()
    saved = cycle.fresh("1a")
    assert (saved.rag, saved.narrative) == ("G", "The officer's newer text.")


def test_an_admin_saving_a_stale_summary_is_told_so(client, officer, lead_director, superuser):
    cycle = Cycle(officer=officer, director=lead_director)
    client.force_login(superuser)
    loaded = cycle.summary(1)
    services.outcome_summary_save(
        summary=loaded, by=lead_director, text="Director's text.", expected_version=1
    )

    response = client.post(
        reverse("admin:outcomes_outcomesummary_change", args=[loaded.pk]),
        {"text": "Admin's text.", "expected_version": loaded.version, "change_reason": "Tidying"},
    )

    assert response.status_code == 200
    assert "saved a change while you were editing" in response.content.decode()
    assert cycle.summary(1).text == "Director's text."


# --------------------------------------------------------------------------- amendments in every format


@pytest.fixture
def amended(officer, lead_director, programme_office, monkeypatch):
    """December 2024 published, re-opened with a reason, 1a corrected, closed and published again."""
    monkeypatch.setattr(services, "_publication_blockers", lambda period: [])
    cycle = Cycle(officer=officer, director=lead_director, state=PeriodState.CLOSED)
    services.period_reopen(
        period=cycle.last, by=programme_office, reason="The audit committee date was wrong."
    )
    assessment = Assessment.objects.get(period=cycle.last, criterion=cycle.criteria["1a"])
    services.assessment_submit(
        assessment=assessment,
        by=officer,
        rag="G",
        narrative="The audit committee agreed the statement in October.",
        expected_version=assessment.version,
        reason="Correct the month",
    )
    services.period_close(period=cycle.last, by=programme_office)
    services.period_publish(period=cycle.last, by=programme_office)
    return report_build(period=ReportingPeriod.objects.select_related("plan").get(pk=cycle.last.pk))


def test_an_amendment_made_by_reopening_is_listed_with_what_changed_and_why(amended):
    rating, narrative = amended.amendments
    assert (rating.subject, rating.what, rating.before, rating.after) == (
        "1a",
        "RAG rating",
        "Amber",
        "Green",
    )
    assert narrative.what == "Assessment of progress"
    assert narrative.after == "The audit committee agreed the statement in October."
    assert {rating.reason, narrative.reason} == {"The audit committee date was wrong."}


def test_an_amended_report_is_dated_by_its_publication_and_its_latest_amendment(amended):
    latest = max(amendment.date for amendment in amended.amendments)

    assert amended.dated.endswith(f"; amended {latest:%-d %B %Y}")
    assert amended.dated.startswith("Published")
    assert amended.dated in report_render(amended, format="html").decode()


def test_an_amendment_shows_in_the_html_pdf_excel_and_json_reports(amended):
    html = report_render(amended, format="html").decode()
    pdf = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(report_render(amended, format="pdf"))).pages
    )
    workbook = load_workbook(io.BytesIO(report_render(amended, format="xlsx")))
    data = json.loads(report_render(amended, format="json"))

    assert "Amendments" in html and "The audit committee date was wrong." in html
    pdf = " ".join(pdf.split())  # the PDF wraps text inside table cells
    assert "Amendments" in pdf and "The audit committee date was wrong." in pdf
    sheet_text = [cell for row in workbook["Amendments"].iter_rows(values_only=True) for cell in row]
    assert "The audit committee date was wrong." in sheet_text and "Green" in sheet_text
    assert data["amendments"][0] | {"date": None} == {
        "date": None,
        "subject": "1a",
        "what": "RAG rating",
        "from": "Amber",
        "to": "Green",
        "reason": "The audit committee date was wrong.",
    }


def test_a_report_never_reopened_has_no_amendments(published):
    report = report_build(period=published)

    assert report.amendments == ()
    assert json.loads(report_render(report, format="json"))["amendments"] == []
    assert "Amendments" not in load_workbook(io.BytesIO(report_render(report, format="xlsx"))).sheetnames
