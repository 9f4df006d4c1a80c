"""Serving a stored export: the file the task worker wrote, with `ETag` and `Last-Modified`.

Shared by every page that offers stored files (the quarterly report, the exception report):
none of them renders in the request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from reporting.models import ExportRender


def seconds_so_far(render: ExportRender) -> int:
    """How long since the file was asked for: what the progress page says."""
    return max(0, int((timezone.now() - render.requested_at).total_seconds()))


def render_asked_or_current(
    request: HttpRequest,
    *,
    asked_of: Callable[[int], ExportRender | None],
    current: Callable[[], ExportRender | None],
) -> tuple[ExportRender | None, bool]:
    """The render the person asked for (`?render=`), else the one of the current data; and
    whether the one asked for has gone.

    The data of a draft or a delivery report moves on as people save: the person who asked gets
    the file of the data as it was when they asked, which the file itself dates. Once a newer
    file of the same export is ready the older ones are deleted (`reporting.exports`), so a link
    kept from before leads to the current file, and the page says why.
    """
    asked = request.GET.get("render", "")
    if asked.isdigit() and len(asked) < 19:
        render_row = asked_of(int(asked))
        if render_row is not None:
            return render_row, False
        return current(), True
    return current(), False


def export_item(*, chosen, render_row: ExportRender | None, replaced: bool = False, **urls: str) -> dict:
    """What a page says about one file: ready, being prepared (for how long), failed, or not asked for.

    `chosen` is the format (its `name` and `label`); `replaced`: the file the person asked for has
    gone, replaced by a file of newer data; `urls` are `ask_url`, `check_url` and `download_url`
    where the page does not build them itself (includes/export_status.html).
    """
    return {
        "format": chosen,
        "render": render_row,
        "state": render_row.status if render_row is not None else "",
        "seconds": seconds_so_far(render_row) if render_row is not None else 0,
        "replaced": replaced,
        **urls,
    }


def stored_file_response(
    request: HttpRequest, *, render_row: ExportRender, content_type: str, changes: bool
) -> HttpResponse:
    """The ready file of `render_row`, or 304 when the person's copy is the same one.

    `changes`: the data behind it moves on (a draft, a delivery report), so no cache keeps it.
    """
    etag = quote_etag(
        f"{render_row.subject}-{render_row.period_id or ''}-{render_row.pk}-"
        f"{render_row.generation}-{render_row.format}-{render_row.attempts}"
    )
    last_modified = render_row.finished_at.timestamp()
    response = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if response is None:
        response = FileResponse(
            default_storage.open(render_row.file_name, "rb"),
            as_attachment=True,
            filename=render_row.download_name,
            content_type=content_type,
        )
    elif not isinstance(response, HttpResponseNotModified):
        return response
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Changing data is never kept by a cache (the ETag still saves a second download).
    response["Cache-Control"] = "private, no-store" if changes else "private, max-age=0"
    return response
