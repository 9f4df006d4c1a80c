"""Getting a report's file as a person does: ask for it, let the worker prepare it, download it.

`queued_only` holds tasks back, as a busy worker does, until `run_queued_tasks`.

In tests the worker runs in-process as each task is queued after the commit (tests/conftest.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.test import TestCase
from django.urls import reverse
from django_tasks import default_task_backend

from reporting.tasks import export_render_task


def tasks_setting(backend: str) -> dict:
    """The TASKS setting with `backend` in place of the database's, on the same queues."""
    from django.conf import settings

    return {"default": {"BACKEND": backend, "QUEUES": settings.TASK_QUEUES}}


def run_queued_tasks() -> int:
    """The worker takes every queued task, one at a time."""
    results = list(default_task_backend.results)
    default_task_backend.clear()
    for result in results:
        export_render_task.call(*result.args, **result.kwargs)
    return len(results)


def report_files_page(slug: str, fmt: str) -> str:
    """The page of one file of a period's report: asking for it, and how it is coming on."""
    return reverse("reporting:report_export", args=[slug, fmt])


def report_download(slug: str, fmt: str) -> str:
    """Where one file of a period's report is downloaded."""
    return reverse("reporting:report_download", args=[slug, fmt])


def file_of(client, slug: str, fmt: str):
    """The download response for the period's report in `fmt`; its bytes are `response.getvalue()`."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = client.post(report_files_page(slug, fmt))
    if asked.status_code != 302:
        return asked  # refused (403, 404): the caller checks
    return client.get(report_download(slug, fmt))


def delivery_file_of(client, plan_slug: str, board_slug: str, fmt: str, dates: dict | None = None):
    """The download response for an exception report in `fmt`, asked for and prepared as a person does."""
    query = f"?{urlencode(dates)}" if dates else ""
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = client.post(reverse("delivery:exception_export", args=[plan_slug, board_slug, fmt]) + query)
    if asked.status_code != 302:
        return asked  # refused (400, 403, 404): the caller checks
    return client.get(asked["Location"].replace("/export.", "/download."))


def criteria_file_of(client, fmt: str, filters: dict | None = None):
    """The download response for the criteria list's file with `filters`, asked for as a person does."""
    query = f"?{urlencode(filters, doseq=True)}" if filters else ""
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = client.post(reverse("reporting:criteria_export", args=[fmt]) + query)
    if asked.status_code != 302:
        return asked  # refused (400, 403, 404): the caller checks
    return client.get(asked["Location"].replace("/export.", "/download."))
