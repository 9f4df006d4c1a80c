"""The report page's heading and body as a reader sees them: kept, stored by the worker, or rendered here.

At 100 × Thurrock a report takes about 3 s to build and render (17 MB of HTML), too long for a
request. The page's own part (`reporting.render.page`) is therefore one more stored export of
the report, rendered by the task worker per data generation, and a reader gets, in this order:

1. the worker's stored page of the period's current data, if ready: read from storage once,
   then kept in this process (`core.generation.cached_render`). Publishing queues it, so a
   published period is served this way;
2. for a draft whose newest stored page took the worker longer than
   `REPORT_PAGE_RENDER_IN_REQUEST_MS`: that page, with a notice saying when it is of and that
   saves since then are being added, while the worker is asked for the current one;
3. else the page rendered in the request and kept, as a small report always is. The worker is
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

from core.generation import cached_render
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

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportPage:
    heading: dict  # reporting.render.page.heading: the title, "as at" and the part above the downloads
    body: str
    behind: bool = False  # an older copy, shown while the worker renders the current data


def _kept(
    period: ReportingPeriod, *, source: str, generation: int, render: Callable[[], tuple[dict, str]]
) -> ReportPage:
    """One copy of the page, kept per source (a stored render, or a render here) and data generation.

    The heading is kept apart from the body so that megabytes are not parsed on every read;
    both come from the same copy, so the "as at" line is always the body's.
    """
    parts = functools.cache(render)
    key_parts = ("report", period.pk, source)
    heading = cached_render(
        key_parts=(*key_parts, "heading"), generation_value=generation, render=lambda: json.dumps(parts()[0])
    )
    body = cached_render(
        key_parts=(*key_parts, "body"), generation_value=generation, render=lambda: parts()[1]
    )
    return ReportPage(heading=json.loads(heading), body=body)


def _stored(period: ReportingPeriod, render_row: ExportRender) -> ReportPage:
    return _kept(
        period,
        source=f"stored-{render_row.pk}",
        generation=render_row.generation,
        render=lambda: page.parts(export_read(render_row)),
    )


def _stored_if_there(period: ReportingPeriod, render_row: ExportRender) -> ReportPage | None:
    try:
        return _stored(period, render_row)
    except OSError:
        # Its file went (storage cleared by hand, or a copy pruned as it was read): render here.
        logger.warning("The stored report page %s could not be read", render_row.pk, exc_info=True)
        return None


def report_page_of(period: ReportingPeriod) -> ReportPage:
    generation = export_generation(period)
    current = export_current(period=period, fmt=REPORT_PAGE, generation=generation)
    if current is not None and current.status == RenderStatus.READY:
        if shown := _stored_if_there(period, current):
            return shown
    is_draft = period.state != PeriodState.PUBLISHED
    older = report_page_older(period=period, generation=generation) if is_draft else None
    if older is not None and report_page_took_long(older):
        if shown := _stored_if_there(period, older):
            report_page_request(period=period)
            return replace(shown, behind=True)

    took: list[float] = []

    def render_here() -> tuple[dict, str]:
        begun = time.monotonic()
        built = report_build(period=period)
        parts = (page.heading(built), page.body(built))
        took.append(time.monotonic() - begun)
        return parts

    shown = _kept(period, source="here", generation=generation, render=render_here)
    took_long = bool(took) and report_page_too_long_for_a_request(dt.timedelta(seconds=took[0]))
    if current is None and (not is_draft or older is None or took_long):
        report_page_request(period=period)
    return shown
