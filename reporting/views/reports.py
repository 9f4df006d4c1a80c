"""The quarterly outcome report: the list of periods, the HTML page and its downloads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from outcomes.models import ReportingPeriod
from outcomes.selectors import period_get, period_list
from reporting.builder import report_build
from reporting.permissions import can_download_reports, can_read_period, can_read_reports
from reporting.render import DOWNLOAD_FORMATS, FORMATS


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


def report(request: HttpRequest, slug: str) -> HttpResponse:
    period = _readable_period(request, slug)
    built = report_build(period=period)
    can_download = can_download_reports(request.user)
    downloads = [
        {"format": FORMATS[name], "filename": FORMATS[name].filename(built)} for name in DOWNLOAD_FORMATS
    ]
    return render(
        request,
        "reporting/report.html",
        {"report": built, "can_download": can_download, "downloads": downloads if can_download else []},
    )


def report_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404("The report is not available in that format.")
    period = _readable_period(request, slug)
    if not can_download_reports(request.user):
        raise PermissionDenied(
            "Only Democratic Services, Commissioners and the Programme Office can download report files."
        )
    built = report_build(period=period)
    chosen = FORMATS[fmt]
    response = HttpResponse(chosen.render(built), content_type=chosen.content_type)
    response["Content-Disposition"] = f'attachment; filename="{chosen.filename(built)}"'
    # A draft changes as officers update it: never serve a stale copy from a cache.
    response["Cache-Control"] = "private, no-store" if built.is_draft else "private, max-age=0"
    return response
