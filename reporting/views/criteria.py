"""The criteria list: every criterion's rating in a period, filtered, shareable and exportable.

Its CSV and Excel files are prepared by the task worker (`reporting.exports`), once per period,
filters and data: asked for by POST, followed on a progress page, downloaded from storage.

The list itself is kept, like the dashboard, per period, query and the generation of the data
it reads (`core.generation`): at 100 × Thurrock counting, sorting and rendering a page of 6,100
criteria took about 20 ms, and most readers ask for the same pages of a period that is not
changing under them.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from core.generation import cached_render
from reporting.exports import (
    ExportKey,
    criteria_export_key,
    export_asked_of,
    export_current_of,
    export_generation,
    export_request_of,
)
from reporting.filters import CriteriaFilter
from reporting.models import ExportRender, RenderStatus
from reporting.permissions import can_read_reports
from reporting.render.criteria_files import CRITERIA_FORMATS
from reporting.selectors import assessment_list_rows, periods_readable
from reporting.views.stored_files import export_item, render_asked_or_current, stored_file_response

PAGE_SIZE = 50


@require_safe
def criteria(request: HttpRequest) -> HttpResponse:
    if not can_read_reports(request.user):
        raise PermissionDenied("The criteria list is for people with a role in the plan's reporting.")
    periods = periods_readable(user=request.user)
    if not periods:
        return render(request, "reporting/criteria.html", {"no_periods": True})
    filterset = CriteriaFilter(request.GET, periods=periods)
    export = request.GET.get("export", "")
    errors = []
    if export and export not in CRITERIA_FORMATS:
        errors.append("Choose CSV or Excel for the download")
    if errors or not filterset.is_valid():
        return render(
            request,
            "reporting/criteria.html",
            # `form` at the top level lets base.html prefix the title with "Error:".
            {"filterset": filterset, "form": filterset.form, "errors": errors, "page": None, "rows": []},
            status=400,
        )
    if export:
        # Files are prepared by the worker: an old `?export=` address leads to the file, or its progress.
        return redirect(
            reverse("reporting:criteria_download", args=[export]) + f"?{_filters_query(filterset)}"
        )
    kept_content = cached_render(
        key_parts=("criteria", _list_key(request, filterset, periods)),
        generation_value=export_generation(filterset.period),
        render=lambda: render_to_string(
            "reporting/includes/criteria_content.html", _list_context(request, filterset), request=request
        ),
    )
    # Our own template's output, escaped where it holds user text.
    return render(
        request,
        "reporting/criteria.html",
        {"filterset": filterset, "kept_content": mark_safe(kept_content)},  # noqa: S308
    )


def _list_key(request: HttpRequest, filterset: CriteriaFilter, periods) -> str:
    """What decides the list's content besides the data: the period shown, the periods offered in
    its menu (each reader's role offers its own), and the address's query, whole, since the
    pagination links repeat it."""
    material = json.dumps(
        [
            filterset.period.pk,
            [(period.pk, period.title, period.state) for period in periods],
            request.META.get("QUERY_STRING", ""),
        ]
    )
    return hashlib.sha256(material.encode()).hexdigest()


def _list_context(request: HttpRequest, filterset: CriteriaFilter) -> dict:
    """The list's page of rows, its pagination and its files: read only when the list is not kept."""
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "filterset": filterset,
        "errors": [],
        "page": page,
        "rows": assessment_list_rows(page.object_list),
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "active_filters": filterset.active_filters(),
        "files": [
            {
                "format": chosen,
                "url": reverse("reporting:criteria_export", args=[chosen.name])
                + f"?{_filters_query(filterset)}",
            }
            for chosen in CRITERIA_FORMATS.values()
        ],
    }


# --------------------------------------------------------------------------- files, prepared by the worker


class _BadFilters(Exception):
    pass


def _filters_of(filterset: CriteriaFilter) -> dict[str, str]:
    """The filters that decide the file's rows, normalised: the same list always gives the same file."""
    chosen = {
        name: str(value) for name, value in filterset.form.cleaned_data.items() if value not in (None, "")
    }
    if filterset.sort_key:
        chosen["sort"] = f"-{filterset.sort_key}" if filterset.sort_descending else filterset.sort_key
    return chosen


def _filters_query(filterset: CriteriaFilter) -> str:
    return urlencode(sorted(_filters_of(filterset).items()))


def _export_key(request: HttpRequest, fmt: str) -> tuple[CriteriaFilter, ExportKey]:
    """The filtered list's file the person asked about, or a refusal: only periods they may read."""
    if fmt not in CRITERIA_FORMATS:
        raise Http404("The criteria list is available as CSV or Excel.")
    if not can_read_reports(request.user):
        raise PermissionDenied("The criteria list is for people with a role in the plan's reporting.")
    periods = periods_readable(user=request.user)
    filterset = CriteriaFilter(request.GET, periods=periods)
    if not periods or not filterset.is_valid():
        raise _BadFilters
    filters = {**_filters_of(filterset), "previous": filterset.previous.slug if filterset.previous else ""}
    return filterset, criteria_export_key(period=filterset.period, filters=filters, fmt=fmt)


def _bad_filters() -> HttpResponse:
    return HttpResponse(
        "Those filters cannot be applied: go back to the criteria list and choose again.",
        status=400,
        content_type="text/plain",
    )


def _export_urls(*, filterset: CriteriaFilter, fmt: str, render_row: ExportRender | None) -> dict:
    query = _filters_query(filterset)
    asked = f"&render={render_row.pk}" if render_row is not None else ""
    ask = reverse("reporting:criteria_export", args=[fmt]) + f"?{query}"
    return {
        "ask_url": ask,
        "check_url": ask + asked,
        "download_url": reverse("reporting:criteria_download", args=[fmt]) + f"?{query}{asked}",
    }


def _render_of(request: HttpRequest, key: ExportKey, period) -> tuple[ExportRender | None, bool]:
    """The render the person asked for, else the one of the period's current data; and whether
    the one asked for was replaced."""
    return render_asked_or_current(
        request,
        asked_of=lambda pk: export_asked_of(key, pk=pk),
        current=lambda: export_current_of(key, generation=export_generation(period)),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def criteria_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """One file's progress: POST asks for it (or asks again after a failure); GET says how it is going."""
    try:
        filterset, key = _export_key(request, fmt)
    except _BadFilters:
        return _bad_filters()
    if request.method == "POST":
        asked = export_request_of(key, generation=export_generation(filterset.period))
        return redirect(_export_urls(filterset=filterset, fmt=fmt, render_row=asked)["check_url"])
    render_row, replaced = _render_of(request, key, filterset.period)
    item = export_item(
        chosen=CRITERIA_FORMATS[fmt],
        render_row=render_row,
        replaced=replaced,
        **_export_urls(filterset=filterset, fmt=fmt, render_row=render_row),
    )
    return render(
        request,
        "reporting/criteria_export.html",
        {
            "period": filterset.period,
            "item": item,
            "active_filters": filterset.active_filters(),
            "list_url": reverse("reporting:criteria") + f"?{_filters_query(filterset)}",
            "is_draft": not filterset.period.is_published,
        },
    )


@require_safe
def criteria_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The stored file of the filtered list; if it is not ready yet, the page that says so."""
    try:
        filterset, key = _export_key(request, fmt)
    except _BadFilters:
        return _bad_filters()
    render_row, _replaced = _render_of(request, key, filterset.period)
    if render_row is None or render_row.status != RenderStatus.READY:
        return redirect(_export_urls(filterset=filterset, fmt=fmt, render_row=render_row)["check_url"])
    return stored_file_response(
        request,
        render_row=render_row,
        content_type=CRITERIA_FORMATS[fmt].content_type,
        changes=not filterset.period.is_published,
    )
