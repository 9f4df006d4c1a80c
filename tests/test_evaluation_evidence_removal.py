"""Whoever may record a measure's evidence may take a link or file out of it again, after confirming,
while the period is not published. The removal is kept in history; a stored file is deleted from
storage only once the removal has committed."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from outcomes import evaluation_services
from outcomes.exceptions import PeriodClosed
from outcomes.models import EvidenceItem, MeasureEvidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _link(evaluation, by) -> EvidenceItem:
    return evaluation_services.evidence_link_add(
        measure=evaluation.measures[1],
        period=evaluation.period,
        by=by,
        title="Audit committee minutes",
        url="https://example.org/minutes",
    )


def _file(evaluation, by) -> EvidenceItem:
    return evaluation_services.evidence_file_add(
        measure=evaluation.measures[1],
        period=evaluation.period,
        by=by,
        title="Action plan",
        upload=SimpleUploadedFile("plan.pdf", PDF),
    )


def _remove_url(item: EvidenceItem) -> str:
    return reverse("outcomes:evidence_item_remove", args=[item.pk])


def test_the_lead_director_confirms_then_removes_a_link_and_history_keeps_it(
    client, lead_director, evaluation
):
    item = _link(evaluation, lead_director)
    client.force_login(lead_director)
    evidence_page = reverse(
        "outcomes:evidence_edit", args=[evaluation.period.slug, evaluation.measures[1].pk]
    )
    assert _remove_url(item) in client.get(evidence_page).content.decode()

    confirmation = client.get(_remove_url(item))

    assert confirmation.status_code == 200
    body = confirmation.content.decode()
    assert "Remove this evidence?" in body and "https://example.org/minutes" in body
    assert EvidenceItem.objects.filter(pk=item.pk).exists()  # asking changes nothing

    response = client.post(_remove_url(item))

    assert response.status_code == 302 and response.url == evidence_page
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    removal = EvidenceItem.history.filter(id=item.pk).latest("history_date")
    assert (removal.history_type, removal.history_user, removal.history_change_reason) == (
        "-",
        lead_director,
        "Link removed",
    )
    assert removal.url == "https://example.org/minutes"


def test_the_programme_office_removes_a_file_and_it_leaves_storage_only_after_commit(
    client, programme_office, evaluation, django_capture_on_commit_callbacks
):
    item = _file(evaluation, programme_office)
    stored = item.file.name
    assert default_storage.exists(stored)
    client.force_login(programme_office)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(_remove_url(item)).status_code == 302
        assert not EvidenceItem.objects.filter(pk=item.pk).exists()
        assert default_storage.exists(stored)  # not yet committed: the file is still there

    for callback in callbacks:
        callback()
    assert not default_storage.exists(stored)
    assert (
        EvidenceItem.history.filter(id=item.pk).latest("history_date").history_change_reason == "File removed"
    )


@pytest.mark.parametrize("who", ["officer", "commissioner", "democratic_services", "other_director"])
def test_nobody_else_can_remove_evidence(client, request, lead_director, evaluation, who):
    item = _link(evaluation, lead_director)
    user = evaluation.other_director if who == "other_director" else request.getfixturevalue(who)
    client.force_login(user)

    assert client.get(_remove_url(item)).status_code == 403
    assert client.post(_remove_url(item)).status_code == 403
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


def test_evidence_of_a_published_period_cannot_be_removed(client, lead_director, evaluation):
    evidence = MeasureEvidence.objects.create(measure=evaluation.measures[1], period=evaluation.last)
    item = EvidenceItem.objects.create(
        evidence=evidence, title="December minutes", url="https://example.org/dec"
    )
    client.force_login(lead_director)

    confirmation = client.get(_remove_url(item))
    response = client.post(_remove_url(item))

    assert "Remove evidence</button>" not in confirmation.content.decode()
    assert response.status_code == 422
    assert "This period is published" in response.content.decode()
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
    evidence_page = reverse("outcomes:evidence_edit", args=[evaluation.last.slug, evaluation.measures[1].pk])
    assert _remove_url(item) not in client.get(evidence_page).content.decode()


def test_the_service_refuses_a_published_period_too(lead_director, evaluation):
    evidence = MeasureEvidence.objects.create(measure=evaluation.measures[1], period=evaluation.last)
    item = EvidenceItem.objects.create(
        evidence=evidence, title="December minutes", url="https://example.org/dec"
    )

    with pytest.raises(PeriodClosed):
        evaluation_services.evidence_item_remove(item=item, by=lead_director)
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


def test_removing_twice_is_harmless(client, lead_director, evaluation):
    item = _link(evaluation, lead_director)
    client.force_login(lead_director)
    assert client.post(_remove_url(item)).status_code == 302
    assert client.post(_remove_url(item)).status_code == 404


def test_a_removal_that_is_rolled_back_keeps_the_item_and_its_file(
    programme_office, evaluation, django_capture_on_commit_callbacks
):
    item = _file(evaluation, programme_office)
    stored = item.file.name

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            evaluation_services.evidence_item_remove(item=item, by=programme_office)
            raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
    assert default_storage.exists(stored)
