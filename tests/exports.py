"""Getting a report's file as a person does: ask for it, let the worker prepare it, download it.

In tests the worker runs in-process as each task is queued after the commit (tests/conftest.py).
"""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse


def file_of(client, slug: str, fmt: str):
    """The download response for the period's report in `fmt`; its bytes are `response.getvalue()`."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = client.post(reverse("reporting:report_export", args=[slug, fmt]))
    if asked.status_code != 302:
        return asked  # refused (403, 404): the caller checks
    return client.get(reverse("reporting:report_download", args=[slug, fmt]))
