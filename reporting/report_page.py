"""The report page's heading and body as a reader sees them: kept, stored by the worker, or rendered here.

At 100 × Thurrock a report takes about 3 s to build and render (17 MB of HTML), too long for a
request. The page's own part (`reporting.render.page`) is therefore one more stored export of
the report, rendered by the task worker per data generation, and a reader gets, in this order:

1. the worker's stored page of the period's current data, if ready: read from storage once,
   then kept in this process. Publishing queues it, so a published period is served this way;
2. for a draft whose newest stored page took the worker longer than
   `REPORT_PAGE_RENDER_IN_REQUEST_MS`: that page, with a notice saying when it is of and that
   saves since then are being added, while the worker is asked for the current one;
3. else the page rendered in the request and kept until the data moves on
   (`core.generation.cached_render`), as a small report always is. The worker is
   asked for the page when there is no stored one to learn from yet, or when this render took
   long, so that the first reader after the next save need not wait.

A published report is the record: it is never shown older than it is, so 2 is for drafts only.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.core.cache import cache

from core.generation import CACHE_SECONDS, cached_render
from outcomes.models import PeriodState, ReportingPeriod
from reporting.builder import report_build
from reporting.exports import (
    REPORT_PAGE,
    export_current,
    export_generation,
    export_read,
    report_page_older,
    report_page_request,
    report_page_too_long_for_a_request,
    report_page_took_long,
)
from reporting.models import ExportRender, RenderStatus
from reporting.render import page
from reporting.report import Report

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportPage:
    heading: dict  # reporting.render.page.heading: the title, "as at" and the part above the downloads
    body: bytes  # UTF-8, as stored and as sent
    behind: bool = False  # an older copy, shown while the worker renders the current data


def _stored(render_row: ExportRender) -> ReportPage:
    """A stored copy, kept in this process by its row, since a stored file never changes.

    Kept as the stored UTF-8 bytes, which is also what is sent: Python holds text with any
    character beyond ASCII at two or four bytes a character, so a 17 MB body kept as text took
    about 45 ms to decode at every read from the cache, and as many again to splice and encode.
    The heading is kept apart so that megabytes are not parsed on every read; both come from
    the same copy, so the "as at" line is always the body's.
    """
    key = f"report-page:stored:{render_row.pk}:{render_row.generation}"
    parts = functools.cache(lambda: page.parts(export_read(render_row)))
    heading = cache.get_or_set(f"{key}:heading", lambda: json.dumps(parts()[0]), CACHE_SECONDS)
    body = cache.get_or_set(f"{key}:body", lambda: parts()[1], CACHE_SECONDS)
    return ReportPage(heading=json.loads(heading), body=body)


def _rendered_here(period: ReportingPeriod, *, generation: int, build: Callable[[], Report]) -> ReportPage:
    """The page rendered in this request, kept until the period's data moves on."""
    built = functools.cache(build)
    key_parts = ("report", period.pk)
    heading = cached_render(
        key_parts=(*key_parts, "heading"),
        generation_value=generation,
        render=lambda: json.dumps(page.heading(built())),
    )
    body = cached_render(
        key_parts=(*key_parts, "body"), generation_value=generation, render=lambda: page.body(built())
    )
    return ReportPage(heading=json.loads(heading), body=body.encode())


def _stored_if_there(render_row: ExportRender) -> ReportPage | None:
    try:
        return _stored(render_row)
    except OSError:
        # Its file went (storage cleared by hand, or a copy pruned as it was read): render here.
        logger.warning("The stored report page %s could not be read", render_row.pk, exc_info=True)
        return None


def report_page_of(period: ReportingPeriod) -> ReportPage:
    generation = export_generation(period)
    current = export_current(period=period, fmt=REPORT_PAGE, generation=generation)
    if current is not None and current.status == RenderStatus.READY:
        if shown := _stored_if_there(current):
            return shown
    is_draft = period.state != PeriodState.PUBLISHED
    older = report_page_older(period=period, generation=generation) if is_draft else None
    if older is not None and report_page_took_long(older):
        if shown := _stored_if_there(older):
            report_page_request(period=period)
            return replace(shown, behind=True)

    built_here = False

    def build() -> Report:
        nonlocal built_here
        built_here = True
        return report_build(period=period)

    begun = time.monotonic()
    shown = _rendered_here(period, generation=generation, build=build)
    took = dt.timedelta(seconds=time.monotonic() - begun)
    took_long = built_here and report_page_too_long_for_a_request(took)
    if current is None and (not is_draft or older is None or took_long):
        report_page_request(period=period)
    return shown
