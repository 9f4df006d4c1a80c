"""A spreadsheet never waits behind a long PDF: PDFs are queued for a worker of their own.

On deadline day Democratic Services asked for the open quarter's criteria list as Excel (a 1 s
render) while the draft report's PDF was rendering: with one queue the Excel came after the whole
PDF, 4.5 s. PDFs now wait on their own queue, every other file on the other, and each queue has
its worker (README, Deploying; `make run` starts both).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django_tasks import default_task_backend

from reporting.models import ExportRender
from tests.exports import report_files_page
from tests.scenarios import Cycle


@pytest.fixture
def cycle(officer, lead_director):
    return Cycle(officer=officer, director=lead_director)


def queued() -> dict[int, str]:
    """Each queued render's row → the queue its task waits on."""
    return {result.args[0]: result.task.queue_name for result in default_task_backend.results}


def test_the_draft_pdf_and_the_criteria_spreadsheet_asked_for_together_wait_on_different_queues(
    client, cycle, democratic_services, queued_only, django_capture_on_commit_callbacks
):
    client.force_login(democratic_services)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_files_page(cycle.period.slug, "pdf"))
        client.post(reverse("reporting:criteria_export", args=["xlsx"]) + f"?period={cycle.period.slug}")
        client.post(report_files_page(cycle.period.slug, "docx"))

    by_format = {render.format: render.pk for render in ExportRender.objects.all()}
    assert set(by_format) == {"pdf", "xlsx", "docx"}
    assert queued() == {
        by_format["pdf"]: settings.TASK_QUEUE_PDF,
        by_format["xlsx"]: settings.TASK_QUEUE_FILES,
        by_format["docx"]: settings.TASK_QUEUE_FILES,
    }
    assert settings.TASK_QUEUE_PDF != settings.TASK_QUEUE_FILES


def test_publishing_queues_the_pdf_apart_from_the_other_formats(
    cycle, programme_office, queued_only, monkeypatch, django_capture_on_commit_callbacks
):
    from outcomes import services

    monkeypatch.setattr(services, "_publication_blockers", lambda period: [])
    services.period_close(period=cycle.period, by=programme_office)
    with django_capture_on_commit_callbacks(execute=True):
        services.period_publish(period=cycle.period, by=programme_office)

    queues = {ExportRender.objects.get(pk=pk).format: queue for pk, queue in queued().items()}
    assert queues.pop("pdf") == settings.TASK_QUEUE_PDF
    assert set(queues) == {"xlsx", "docx", "json", "html", "page"}
    assert set(queues.values()) == {settings.TASK_QUEUE_FILES}


def test_make_run_and_the_deployment_guide_start_a_worker_for_every_queue_looking_as_often_as_set():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    makefile, readme = (root / "Makefile").read_text(), (root / "README.md").read_text()
    poll = f"--interval {settings.TASK_WORKER_POLL_SECONDS}"
    for queue in settings.TASK_QUEUES:
        assert f"db_worker --no-reload {poll} --queue-name {queue} &" in makefile
        assert f"irp-worker@{queue}" in readme
    # Every worker looks for queued files as often as the settings say (db_worker's default is 1 s).
    assert f"db_worker --no-reload {poll} --queue-name %i" in readme
