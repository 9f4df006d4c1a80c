"""A lead director or the Programme Office records how far a measure is evidenced, with links and files;
files are checked by their content, kept through Django's storage, and given only to those who may
read the period."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outcomes.models import EvidenceItem, MeasureEvidence, PeriodState

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = _zip("[Content_Types].xml", "word/document.xml")
XLSX = _zip("[Content_Types].xml", "xl/workbook.xml")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _url(evaluation, number=1, period=None):
    return reverse(
        "outcomes:evidence_edit", args=[(period or evaluation.period).slug, evaluation.measures[number].pk]
    )


def _upload(client, evaluation, name: str, content: bytes, **extra):
    return client.post(
        _url(evaluation),
        {"action": "file", "file_title": "Minutes", "file": SimpleUploadedFile(name, content), **extra},
    )


def test_the_lead_director_marks_a_measure_partly_evidenced_with_a_note(client, lead_director, evaluation):
    client.force_login(lead_director)
    response = client.post(
        _url(evaluation), {"action": "status", "status": "partly", "note": "Half the audits."}
    )
    assert response.status_code == 302
    evidence = MeasureEvidence.objects.get(measure=evaluation.measures[1], period=evaluation.period)
    assert (evidence.status, evidence.note) == ("partly", "Half the audits.")
    last = evidence.history.latest()
    assert last.history_user == lead_director


def test_the_programme_office_adds_a_link(client, programme_office, evaluation):
    client.force_login(programme_office)
    response = client.post(
        _url(evaluation),
        {"action": "link", "link_title": "Audit minutes", "url": "https://example.gov.uk/m/1"},
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert (item.title, item.url, item.file.name) == ("Audit minutes", "https://example.gov.uk/m/1", "")


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("minutes.pdf", PDF, "pdf", "application/pdf"),
        ("chart.png", PNG, "png", "image/png"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg", "image/jpeg"),
        (
            "paper.docx",
            DOCX,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("figures.xlsx", XLSX, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("misnamed.txt", PDF, "pdf", "application/pdf"),  # the content decides, not the name
    ],
)
def test_accepted_files_are_stored_with_the_type_their_content_shows(
    client, lead_director, evaluation, name, content, extension, content_type
):
    client.force_login(lead_director)
    assert _upload(client, evaluation, name, content).status_code == 302
    item = EvidenceItem.objects.get()
    assert item.file.name.endswith(f".{extension}") and item.content_type == content_type
    assert item.file.read() == content
    assert item.original_name == name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60),  # a Windows program renamed .pdf
        ("paper.docx", _zip("[Content_Types].xml", "evil.exe")),  # a ZIP without word/document.xml
        ("paper.docx", b"PK\x03\x04 not really a zip"),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("empty.pdf", b""),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_kept(
    client, lead_director, evaluation, name, content
):
    client.force_login(lead_director)
    response = _upload(client, evaluation, name, content)
    assert response.status_code == 422
    body = response.content.decode()
    assert "There is a problem" in body
    assert "must be a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG" in body or "empty" in body
    assert not EvidenceItem.objects.exists()


def test_a_file_over_20_mb_is_refused(client, lead_director, evaluation):
    client.force_login(lead_director)
    response = _upload(client, evaluation, "big.pdf", PDF + b"\x00" * (20 * 1024 * 1024))
    assert response.status_code == 422
    assert "smaller than 20 MB" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_an_officer_cannot_record_evidence(client, officer, evaluation):
    client.force_login(officer)
    assert client.get(_url(evaluation)).status_code == 403
    assert _upload(client, evaluation, "minutes.pdf", PDF).status_code == 403
    assert not EvidenceItem.objects.exists() and not MeasureEvidence.objects.exists()


def test_a_published_periods_evidence_cannot_be_changed(client, lead_director, evaluation):
    client.force_login(lead_director)
    response = client.post(
        _url(evaluation, period=evaluation.last), {"action": "status", "status": "evidenced"}
    )
    assert response.status_code == 422
    assert "published" in response.content.decode()
    assert not MeasureEvidence.objects.exists()


def test_the_file_is_downloaded_as_an_attachment_with_nosniff(
    client, lead_director, commissioner, evaluation
):
    client.force_login(lead_director)
    _upload(client, evaluation, "minutes.pdf", PDF)
    item = EvidenceItem.objects.get()
    client.force_login(commissioner)
    response = client.get(reverse("outcomes:evidence_download", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="minutes.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_role_that_may_not_read_the_period_cannot_download_its_evidence(
    client, lead_director, officer, evaluation
):
    client.force_login(lead_director)
    _upload(client, evaluation, "minutes.pdf", PDF)  # the open (draft) period
    item = EvidenceItem.objects.get()
    client.force_login(officer)  # officers read only published periods
    assert client.get(reverse("outcomes:evidence_download", args=[item.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("outcomes:evidence_download", args=[item.pk]))
    assert (
        response.status_code == 302 and "/sign-in/" in response["Location"] or "login" in response["Location"]
    )
    # Once published, every role may read it.
    evaluation.period.state = PeriodState.PUBLISHED
    evaluation.period.save()
    client.force_login(officer)
    assert client.get(reverse("outcomes:evidence_download", args=[item.pk])).status_code == 200
