"""A board's exception report files go the quarterly report's way: asked for, prepared once, kept.

Democratic Services ask for the finance board's PDF for the board papers; the worker prepares it
off the request; whoever asks for the same report of the same data shares that file; the
download comes from storage with ETag and Last-Modified; a milestone update means a new file;
a board member cannot take files, and no one can ask for a board they cannot read.
"""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse
from django.utils import timezone

from plans import services
from reporting.models import ExportRender, ExportSubject, RenderStatus
from tests.exports import delivery_file_of, run_queued_tasks

AS_OF = {"as_of": "2025-06-30"}
QUERY = "?as_of=2025-06-30"


def files_page(world, fmt: str, board: str = "financial-recovery-board") -> str:
    return reverse("delivery:exception_export", args=[world.plan.slug, board, fmt]) + QUERY


def download(world, fmt: str, board: str = "financial-recovery-board") -> str:
    return reverse("delivery:exception_download", args=[world.plan.slug, board, fmt]) + QUERY


def report_page(world, board: str = "financial-recovery-board") -> str:
    return reverse("delivery:exception_report", args=[world.plan.slug, board]) + QUERY


def test_democratic_services_ask_for_the_boards_pdf_and_the_worker_prepares_it_off_the_request(
    client, world, queued_only, django_capture_on_commit_callbacks
):
    client.force_login(world.democratic_services)
    page = client.get(report_page(world)).content.decode()
    assert "Prepare the PDF" in page and f'action="{files_page(world, "pdf")}"' in page
    assert client.get(download(world, "pdf"))["Location"] == files_page(world, "pdf")  # nothing rendered

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(files_page(world, "pdf"))
    render = ExportRender.objects.get()
    assert (render.subject, render.period, render.status) == (
        ExportSubject.DELIVERY,
        None,
        RenderStatus.QUEUED,
    )
    ExportRender.objects.update(requested_at=timezone.now() - dt.timedelta(seconds=7))

    assert asked["Location"] == files_page(world, "pdf") + f"&render={render.pk}"
    waiting = client.get(asked["Location"]).content.decode()
    assert "Preparing the PDF… 7 s so far." in waiting and "Check again" in waiting
    assert 'http-equiv="refresh"' not in waiting  # the person chooses when to check (WCAG 2.2.1)
    assert "Financial Recovery Board, as of 30 June 2025" in waiting

    assert run_queued_tasks() == 1
    ready = client.get(asked["Location"]).content.decode()
    assert "The PDF is ready." in ready
    assert client.get(download(world, "pdf")).getvalue().startswith(b"%PDF-")
    offered = client.get(report_page(world)).content.decode()
    assert "Prepare the PDF" not in offered
    assert f'href="{download(world, "pdf")}&amp;render={render.pk}"' in offered


def test_a_second_identical_ask_shares_the_first_render(
    client, world, queued_only, django_capture_on_commit_callbacks
):
    for person in (world.democratic_services, world.commissioner, world.programme_office):
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(files_page(world, "xlsx"))

    assert ExportRender.objects.count() == 1
    assert run_queued_tasks() == 1
    # Another board, or another date, is another report.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(files_page(world, "xlsx", board="governance-recovery-board"))
        client.post(files_page(world, "xlsx").replace("2025-06-30", "2025-06-29"))
    assert ExportRender.objects.count() == 3


def test_the_file_carries_the_reports_content_etag_and_last_modified_and_is_not_sent_twice(client, world):
    client.force_login(world.democratic_services)
    first = delivery_file_of(client, world.plan.slug, world.finance_board.slug, "json", AS_OF)

    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "private, no-store"  # milestones move on: no cache keeps it
    assert json.loads(first.getvalue())["exceptions"] == ["M1", "M2"]  # M1 overdue, M2 has no due date
    again = client.get(download(world, "json"), headers={"if-none-match": first["ETag"]})
    by_date = client.get(download(world, "json"), headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    assert by_date.status_code == 304


def test_a_milestone_update_means_a_new_file_and_the_old_one_stays_for_whoever_asked_for_it(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.democratic_services)
    first = delivery_file_of(client, world.plan.slug, world.finance_board.slug, "json", AS_OF)
    world.m1.refresh_from_db()

    services.milestone_update(
        milestone=world.m1,
        by=world.officer,
        status="off_track",
        note="Savings slipped.",
        expected_version=world.m1.version,
    )

    assert client.get(download(world, "json"))["Location"] == files_page(world, "json")
    second = delivery_file_of(client, world.plan.slug, world.finance_board.slug, "json", AS_OF)
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert ExportRender.objects.filter(status=RenderStatus.READY).count() == 2


def test_a_board_member_reads_the_report_but_cannot_take_files_and_no_one_asks_for_a_board_they_cannot_read(
    client, world
):
    client.force_login(world.board_member)
    page = client.get(report_page(world)).content.decode()
    assert "Savings plan agreed" in page and "Prepare the PDF" not in page
    assert client.post(files_page(world, "pdf")).status_code == 403
    assert client.get(download(world, "pdf")).status_code == 403

    client.force_login(world.other_board_member)
    assert client.post(files_page(world, "pdf")).status_code == 403
    assert ExportRender.objects.count() == 0


def test_a_render_that_keeps_failing_says_so_and_can_be_tried_again(
    client, world, settings, queued_only, monkeypatch, django_capture_on_commit_callbacks
):
    from reporting.render import delivery_pdf

    client.force_login(world.commissioner)
    monkeypatch.setattr(delivery_pdf, "render", lambda report: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(files_page(world, "pdf"))
    run_queued_tasks()
    failed = client.get(files_page(world, "pdf")).content.decode()
    assert "The PDF could not be prepared" in failed and "Try again" in failed

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(files_page(world, "pdf"))
    run_queued_tasks()
    assert "The PDF is ready." in client.get(files_page(world, "pdf")).content.decode()


def test_a_render_whose_worker_died_is_queued_again_by_the_next_look(
    client, world, settings, queued_only, django_capture_on_commit_callbacks
):
    client.force_login(world.commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(files_page(world, "xlsx"))
    run_queued_tasks()
    long_ago = timezone.now() - dt.timedelta(seconds=settings.EXPORT_STALE_SECONDS + 5)
    ExportRender.objects.update(status=RenderStatus.RUNNING, heartbeat_at=long_ago, file_name="", attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(files_page(world, "xlsx")).content.decode()
    assert "Preparing the XLSX" in page
    assert run_queued_tasks() == 1
    assert ExportRender.objects.get().status == RenderStatus.READY


def test_a_date_that_does_not_exist_asks_for_nothing(client, world):
    client.force_login(world.democratic_services)
    url = reverse("delivery:exception_export", args=[world.plan.slug, "all", "pdf"])

    response = client.post(url + "?as_of=2025-02-30")

    assert response.status_code == 400 and "real dates" in response.content.decode()
    assert ExportRender.objects.count() == 0
