"""Report files are prepared once, by the task worker, and served from storage.

Publishing queues every file; a draft's file is prepared when someone asks; everyone asking for
the same data shares one render; a save in the open quarter leaves the published quarter's
files valid; downloads carry ETag and Last-Modified and answer 304 when nothing changed; a
render whose worker died is queued again, never left "running". (A real worker killed mid-write:
tests/test_faults.py.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from outcomes import services
from outcomes.models import PeriodState
from reporting.exports import export_generation
from reporting.models import ExportRender, RenderStatus
from tests.exports import report_download, report_files_page, run_queued_tasks
from tests.scenarios import Cycle, post_update


@pytest.fixture
def cycle(officer, lead_director):
    return Cycle(officer=officer, director=lead_director)




def test_publishing_queues_every_file_after_the_commit_and_renders_none_in_the_request(
    client, cycle, programme_office, queued_only, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "_publication_blockers", lambda period: [])
    services.period_close(period=cycle.period, by=programme_office)
    client.force_login(programme_office)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outcomes:period_publish", args=[cycle.period.slug]))

    assert response.status_code == 302
    renders = ExportRender.objects.filter(period=cycle.period)
    # Every file, and the report page's own heading and body (served to readers, never downloaded).
    assert sorted(renders.values_list("format", "status")) == [
        (fmt, RenderStatus.QUEUED) for fmt in ("docx", "html", "json", "page", "pdf", "xlsx")
    ]
    assert run_queued_tasks() == 6
    assert set(renders.values_list("status", flat=True)) == {RenderStatus.READY}
    page = client.get(reverse("reporting:report", args=[cycle.period.slug])).content.decode()
    assert f'href="{report_download(cycle.period.slug, "pdf")}"' in page
    assert "Preparing" not in page


def test_a_draft_file_is_prepared_when_asked_and_the_page_says_how_long_it_has_taken(
    client, cycle, commissioner, queued_only, django_capture_on_commit_callbacks
):
    client.force_login(commissioner)
    slug = cycle.period.slug
    page = client.get(reverse("reporting:report", args=[slug])).content.decode()
    assert "Prepare the PDF" in page
    # Nothing rendered yet: the download leads to the file's page.
    assert client.get(report_download(slug, "pdf"))["Location"] == report_files_page(slug, "pdf")

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(report_files_page(slug, "pdf"))
    ExportRender.objects.update(requested_at=timezone.now() - dt.timedelta(seconds=12))

    pdf = ExportRender.objects.get(format="pdf")
    assert asked["Location"] == report_files_page(slug, "pdf") + f"?render={pdf.pk}"
    waiting = client.get(report_files_page(slug, "pdf")).content.decode()
    assert "Preparing the PDF… 12 s so far." in waiting
    assert f'href="{asked["Location"]}"' in waiting and "Check again" in waiting
    assert 'http-equiv="refresh"' not in waiting  # the person chooses when to check (WCAG 2.2.1)
    run_queued_tasks()
    ready = client.get(report_files_page(slug, "pdf")).content.decode()
    assert "The PDF is ready." in ready
    assert f'href="{report_download(slug, "pdf")}?render=' in ready
    assert client.get(report_download(slug, "pdf")).getvalue().startswith(b"%PDF-")


def test_whoever_asked_for_a_draft_gets_the_file_of_the_data_they_asked_about_while_officers_save_on(
    client, cycle, officer, commissioner, queued_only, django_capture_on_commit_callbacks
):
    slug = cycle.period.slug
    client.force_login(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(report_files_page(slug, "pdf"))["Location"]
    client.force_login(officer)
    post_update(client, cycle, "1a", rag="G", narrative="Saved while the PDF was being prepared.")
    run_queued_tasks()
    client.force_login(commissioner)

    page = client.get(asked).content.decode()
    mine = client.get(report_download(slug, "pdf") + asked[asked.index("?") :])

    assert "The PDF is ready." in page
    assert mine.status_code == 200 and mine.getvalue().startswith(b"%PDF-")
    # The current data has moved on: the file without the asking is not prepared yet.
    assert client.get(report_download(slug, "pdf")).status_code == 302


def test_everyone_asking_for_the_same_file_shares_one_render(
    client, cycle, commissioner, democratic_services, queued_only, django_capture_on_commit_callbacks
):
    for person in (commissioner, democratic_services, commissioner):
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(report_files_page(cycle.period.slug, "xlsx"))

    assert ExportRender.objects.count() == 1
    assert run_queued_tasks() == 1


def test_a_save_in_the_open_quarter_leaves_the_published_quarters_files_valid(
    client, cycle, officer, commissioner, django_capture_on_commit_callbacks
):
    client.force_login(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_files_page(cycle.last.slug, "json"))
        client.post(report_files_page(cycle.period.slug, "json"))
    published_before, draft_before = export_generation(cycle.last), export_generation(cycle.period)

    client.force_login(officer)
    assert post_update(client, cycle, "1a", rag="G", narrative="Agreed by the committee.").status_code == 302

    assert export_generation(cycle.last) == published_before
    assert export_generation(cycle.period) > draft_before
    client.force_login(commissioner)
    assert client.get(report_download(cycle.last.slug, "json")).status_code == 200  # still the stored file
    assert client.get(report_download(cycle.period.slug, "json"))["Location"] == report_files_page(
        cycle.period.slug, "json"
    )


def test_a_download_carries_etag_and_last_modified_and_an_unchanged_file_is_not_sent_again(
    client, cycle, democratic_services, django_capture_on_commit_callbacks
):
    client.force_login(democratic_services)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_files_page(cycle.last.slug, "json"))

    first = client.get(report_download(cycle.last.slug, "json"))
    by_etag = client.get(report_download(cycle.last.slug, "json"), headers={"if-none-match": first["ETag"]})
    by_date = client.get(
        report_download(cycle.last.slug, "json"), headers={"if-modified-since": first["Last-Modified"]}
    )
    other = client.get(
        report_download(cycle.last.slug, "json"), headers={"if-none-match": '"something-else"'}
    )

    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "private, max-age=0"
    assert by_etag.status_code == 304 and by_etag["ETag"] == first["ETag"]
    assert by_date.status_code == 304
    assert other.status_code == 200 and other.getvalue() == first.getvalue()


def test_a_render_whose_worker_died_is_queued_again_by_the_next_request_and_then_finished(
    client, cycle, democratic_services, queued_only, settings, django_capture_on_commit_callbacks
):
    client.force_login(democratic_services)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_files_page(cycle.last.slug, "pdf"))
    default_task_backend.clear()  # the worker took the task ...
    long_ago = timezone.now() - dt.timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    ExportRender.objects.update(
        status=RenderStatus.RUNNING, attempts=1, started_at=long_ago, heartbeat_at=long_ago
    )
    # ... and died: no heartbeat since.

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(report_files_page(cycle.last.slug, "pdf")).content.decode()

    assert "Preparing the PDF" in page
    assert ExportRender.objects.get().status == RenderStatus.QUEUED
    assert run_queued_tasks() == 1
    render = ExportRender.objects.get()
    assert (render.status, render.attempts) == (RenderStatus.READY, 2)


def test_a_render_that_keeps_dying_is_shown_as_failed_and_can_be_tried_again(
    client, cycle, democratic_services, queued_only, settings, django_capture_on_commit_callbacks
):
    client.force_login(democratic_services)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_files_page(cycle.last.slug, "docx"))
    long_ago = timezone.now() - dt.timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    ExportRender.objects.update(
        status=RenderStatus.RUNNING,
        attempts=settings.EXPORT_MAX_ATTEMPTS,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )

    page = client.get(report_files_page(cycle.last.slug, "docx")).content.decode()

    assert "could not be prepared" in page and "Try again" in page
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_files_page(cycle.last.slug, "docx"))
    assert run_queued_tasks() == 1
    assert ExportRender.objects.get().status == RenderStatus.READY


def test_republishing_after_an_amendment_queues_files_of_the_amended_record(
    client, cycle, programme_office, officer, queued_only, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "_publication_blockers", lambda period: [])
    services.period_close(period=cycle.period, by=programme_office)
    with django_capture_on_commit_callbacks(execute=True):
        services.period_publish(period=cycle.period, by=programme_office)
    run_queued_tasks()
    first_generation = export_generation(cycle.period)

    services.period_reopen(period=cycle.period, by=programme_office, reason="A rating was wrong.")
    client.force_login(officer)
    post_update(client, cycle, "1a", rag="R", narrative="Corrected after publication.")
    services.period_close(period=cycle.period, by=programme_office)
    with django_capture_on_commit_callbacks(execute=True):
        services.period_publish(period=cycle.period, by=programme_office)

    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.PUBLISHED
    assert export_generation(cycle.period) > first_generation
    fresh = ExportRender.objects.filter(period=cycle.period, generation=export_generation(cycle.period))
    assert fresh.count() == 6  # the five files and the page
    assert run_queued_tasks() == 6


def test_officers_cannot_ask_for_files(client, cycle, officer):
    client.force_login(officer)

    assert client.post(report_files_page(cycle.last.slug, "pdf")).status_code == 403
    assert client.get(report_files_page(cycle.last.slug, "pdf")).status_code == 403
    assert client.post(report_files_page(cycle.last.slug, "odt")).status_code == 404
    assert not ExportRender.objects.exists()


def test_signing_in_leaves_every_cached_page_and_stored_file_valid(client, cycle, commissioner):
    from core.generation import generation

    commissioner.set_password("a-long-enough-password-1")
    commissioner.save()
    before = (generation(), export_generation(cycle.last), export_generation(cycle.period))

    assert client.login(username=commissioner.username, password="a-long-enough-password-1")

    assert (generation(), export_generation(cycle.last), export_generation(cycle.period)) == before
