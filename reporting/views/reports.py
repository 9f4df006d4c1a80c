"""The quarterly outcome report: the list of periods, the HTML page, and its files from storage.

Files are never rendered here: asking for one queues it for the task worker
(`reporting.exports`), the status page says how it is going, and the download serves the
stored file with `ETag` and `Last-Modified`. The page's own heading and body come kept, stored
by the worker, or rendered here when that is quick (`reporting.report_page`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from outcomes.models import PeriodState, ReportingPeriod
from outcomes.selectors import period_get, period_list
from reporting.exports import (
    STORED_FORMATS,
    export_asked,
    export_current,
    export_request,
    exports_current,
)
from reporting.models import ExportRender, RenderStatus
from reporting.permissions import can_download_reports, can_read_period, can_read_reports
from reporting.render import DOWNLOAD_FORMATS, FORMATS
from reporting.report_page import report_page_of
from reporting.views.stored_files import export_item, render_asked_or_current, stored_file_response


def _readable_period(request: HttpRequest, slug: str) -> ReportingPeriod:
    try:
        period = period_get(slug=slug)
    except ReportingPeriod.DoesNotExist:
        raise Http404("No reporting period has that name.") from None
    if not can_read_period(request.user, period):
        raise PermissionDenied(
            f"The report for {period.title} is a draft until it is published; "
            "only the Programme Office, Lead Directors, Commissioners and Democratic Services can read it."
        )
    return period


def _downloadable_period(request: HttpRequest, slug: str, fmt: str) -> ReportingPeriod:
    if fmt not in STORED_FORMATS:
        raise Http404("The report is not available in that format.")
    period = _readable_period(request, slug)
    if not can_download_reports(request.user):
        raise PermissionDenied(
            "Only Democratic Services, Commissioners and the Programme Office can download report files."
        )
    return period


def _render_of(request: HttpRequest, period: ReportingPeriod, fmt: str) -> tuple[ExportRender | None, bool]:
    """The render the person asked for, else the one of the period's current data (a draft's
    file says "Draft as at ..."); and whether the one asked for was replaced."""
    return render_asked_or_current(
        request,
        asked_of=lambda pk: export_asked(period=period, fmt=fmt, pk=pk),
        current=lambda: export_current(period=period, fmt=fmt),
    )


def _files_page(render_row: ExportRender | None, slug: str, fmt: str) -> str:
    url = reverse("reporting:report_export", args=[slug, fmt])
    return f"{url}?render={render_row.pk}" if render_row is not None else url


def _export_item(*, fmt: str, render: ExportRender | None, replaced: bool = False) -> dict:
    """What the page says about one file: ready, being prepared (for how long), failed, or not asked for."""
    return export_item(chosen=FORMATS[fmt], render_row=render, replaced=replaced)


def report_list(request: HttpRequest) -> HttpResponse:
    if not can_read_reports(request.user):
        raise PermissionDenied("You need a role in the improvement plan to read its reports.")
    periods = [period for period in period_list() if can_read_period(request.user, period)]
    return render(
        request,
        "reporting/report_list.html",
        {
            "periods": periods,
            "can_download": can_download_reports(request.user),
            "downloads": [FORMATS[name] for name in DOWNLOAD_FORMATS],
        },
    )


# Where the report's body goes in the page. Spliced in after rendering, because the template
# engine would copy a body of megabytes once per level of template nesting; no user text can
# hold it, since user text in the page is escaped.
REPORT_BODY_MARKER = "<!-- the report's body -->"


def report(request: HttpRequest, slug: str) -> HttpResponse:
    period = _readable_period(request, slug)
    shown = report_page_of(period)
    heading = shown.heading
    # Our own templates' output, escaped where it holds user text.
    report_page = {**heading, "top": mark_safe(heading["top"]), "body": mark_safe(REPORT_BODY_MARKER)}  # noqa: S308
    can_download = can_download_reports(request.user)
    downloads = []
    if can_download:
        renders = exports_current(period=period, formats=DOWNLOAD_FORMATS)
        if period.state == PeriodState.PUBLISHED:
            # Publishing queues every file; a period published before files were stored, or whose
            # data moved since, gets them queued by the first reader.
            for fmt in DOWNLOAD_FORMATS:
                if fmt not in renders:
                    renders[fmt] = export_request(period=period, fmt=fmt)
        downloads = [_export_item(fmt=fmt, render=renders.get(fmt)) for fmt in DOWNLOAD_FORMATS]
    page = render_to_string(
        "reporting/report.html",
        {
            "report_page": report_page,
            "behind": shown.behind,
            "can_download": can_download,
            "downloads": downloads,
        },
        request=request,
    )
    # Bytes: the body is kept and sent as UTF-8, never turned back into text (reporting.report_page).
    head, _marker, tail = page.encode().partition(REPORT_BODY_MARKER.encode())
    return HttpResponse(b"".join((head, shown.body, tail)))


@require_http_methods(["GET", "HEAD", "POST"])
def report_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """One file's progress: POST asks for it (or asks again after a failure); GET says how it is going."""
    period = _downloadable_period(request, slug, fmt)
    if request.method == "POST":
        asked = export_request(period=period, fmt=fmt)
        return redirect(_files_page(asked, period.slug, fmt), permanent=False)
    render_row, replaced = _render_of(request, period, fmt)
    return render(
        request,
        "reporting/report_export.html",
        {
            "period": period,
            "item": _export_item(fmt=fmt, render=render_row, replaced=replaced),
            "is_draft": period.state != PeriodState.PUBLISHED,
            "query": f"?render={render_row.pk}" if render_row is not None else "",
        },
    )


def _served(request: HttpRequest, *, render_row: ExportRender, is_draft: bool) -> HttpResponse:
    return stored_file_response(
        request, render_row=render_row, content_type=FORMATS[render_row.format].content_type, changes=is_draft
    )


@require_safe
def report_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The stored file of the period's current data; if it is not ready yet, the page that says so."""
    period = _downloadable_period(request, slug, fmt)
    render_row, _replaced = _render_of(request, period, fmt)
    if render_row is None or render_row.status != RenderStatus.READY:
        return redirect(_files_page(render_row, period.slug, fmt), permanent=False)
    return _served(request, render_row=render_row, is_draft=period.state != PeriodState.PUBLISHED)
