"""Stored exports: rendered once per subject, parameters, data generation and format, off the request path.

Subjects (`ExportSubject`): a period's quarterly report, keyed on its period; a board's
delivery exception report, keyed on its plan, board and dates; the criteria list's CSV or
Excel file, keyed on its period and filters. Everything below is shared but
`_RENDERERS`, which builds and renders each subject's file.

Asking for a file (`export_request`) finds or creates the one `ExportRender` for the period's
current data and queues it for the task worker after the commit; `export_run` is what the
worker does. Publishing a period queues every format (`exports_request_all`, connected in
`reporting.apps`). Pages and downloads only read the rows and the stored files: nothing here
renders in a request.

Never half a file: the worker writes the whole file into storage under a name nothing points
at, then marks the row ready with that name in one UPDATE. A worker killed mid-write leaves
a partial file no row points at; the retry deletes it before writing again.

Never "running" for ever: while rendering, a thread beats the row's heartbeat. A running row
whose heartbeat is older than `EXPORT_STALE_SECONDS` is queued again by the next request for
it, or by the worker when it takes its next task, until `EXPORT_MAX_ATTEMPTS` is reached.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.collector import full_collections_held_back
from core.generation import generation_of_periods
from outcomes.models import PeriodState, ReportingPeriod
from reporting.models import ExportRender, ExportSubject, RenderStatus
from reporting.render import FORMATS, Format
from reporting.render.page import PAGE_FORMAT

logger = logging.getLogger(__name__)

# The report's files a person may download: the downloads and the HTML document.
STORED_FORMATS = ("pdf", "docx", "xlsx", "json", "html")
# The report page's heading and body (`reporting.report_page`): stored like a file, never downloaded.
REPORT_PAGE = PAGE_FORMAT.name
_REPORT_FORMATS: dict[str, Format] = {**FORMATS, REPORT_PAGE: PAGE_FORMAT}


def export_generation(period: ReportingPeriod) -> int:
    """The period's data generation: it moves when anything this period's report reads changes.

    A report reads its own period and the earlier ones of its plan (previous ratings, quoted
    assessments), so a save in the open quarter leaves the published quarters' number alone.
    """
    read = ReportingPeriod.objects.filter(plan_id=period.plan_id, start__lte=period.start)
    return generation_of_periods(read.values_list("pk", flat=True))


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.EXPORT_STALE_SECONDS)


def _stale(render: ExportRender) -> bool:
    beat = render.heartbeat_at or render.started_at
    return render.status == RenderStatus.RUNNING and (beat is None or beat < _stale_before())


def export_queue(fmt: str) -> str:
    """The task queue a file of `fmt` waits on: PDFs on their own, everything else on the other.

    A PDF takes seconds (minutes at 100 × Thurrock) and most of a worker's memory; a spreadsheet,
    JSON or Word file, or a report page, takes a second or two. With one queue, a spreadsheet
    asked for while a long PDF was rendering waited for the whole PDF first (4.5 s for a file
    that takes 1 s, on deadline day). Each queue has its own worker (README, Deploying), and the
    PDF worker still renders one PDF at a time, so its memory stays bounded.
    """
    return settings.TASK_QUEUE_PDF if fmt == "pdf" else settings.TASK_QUEUE_FILES


def _enqueue_after_commit(render: ExportRender) -> None:
    from reporting.tasks import export_render_task

    queued = export_render_task.using(queue_name=export_queue(render.format))
    render_pk = render.pk
    transaction.on_commit(lambda: queued.enqueue(render_pk))


def _requeue(render: ExportRender, *, reason: str) -> None:
    """Queue a render again, unless it has used its attempts; only the caller who wins the UPDATE queues."""
    rows = ExportRender.objects.filter(pk=render.pk, status=render.status, attempts=render.attempts)
    if render.attempts >= settings.EXPORT_MAX_ATTEMPTS:
        rows.update(status=RenderStatus.FAILED, error=reason, finished_at=timezone.now())
    elif rows.update(status=RenderStatus.QUEUED, heartbeat_at=None, error=reason):
        _enqueue_after_commit(render)
    render.refresh_from_db()


def exports_requeue_stale() -> int:
    """Queue again every render whose worker stopped beating. Returns how many were found."""
    beat = Q(heartbeat_at__lt=_stale_before()) | Q(heartbeat_at__isnull=True, started_at__lt=_stale_before())
    stale = list(ExportRender.objects.filter(beat, status=RenderStatus.RUNNING))
    for render in stale:
        _requeue(render, reason="The worker preparing this file stopped; it was queued again.")
    return len(stale)


@dataclass(frozen=True)
class ExportKey:
    """What decides an export's content, apart from the data generation: one row per key and generation."""

    subject: str
    format: str
    period_id: int | None = None
    parameters: str = ""

    def fields(self) -> dict:
        digest = hashlib.sha256(self.parameters.encode()).hexdigest() if self.parameters else ""
        return {
            "subject": self.subject,
            "period_id": self.period_id,
            "parameters_digest": digest,
            "parameters": self.parameters,
            "format": self.format,
        }

    def rows(self):
        return ExportRender.objects.filter(**self.fields())


def delivery_generation() -> int:
    """The data generation an exception report reads.

    Milestones, RAID entries, boards, status labels and people belong to no period: a change to
    any of them moves the shared counter, which officers saving assessments leave alone.
    """
    return generation_of_periods(())


def _report_key(period: ReportingPeriod, fmt: str) -> ExportKey:
    return ExportKey(subject=ExportSubject.REPORT, format=fmt, period_id=period.pk)


def delivery_export_key(
    *, plan_slug: str, board_slug: str, as_of: dt.date, since: dt.date | None, fmt: str
) -> ExportKey:
    """The key of an exception report: the same plan, board and dates always make the same string."""
    parameters = urlencode(
        {
            "plan": plan_slug,
            "board": board_slug,
            "as_of": as_of.isoformat(),
            "since": since.isoformat() if since else "",
        }
    )
    return ExportKey(subject=ExportSubject.DELIVERY, format=fmt, parameters=parameters)


def criteria_export_key(*, period: ReportingPeriod, filters: dict[str, str], fmt: str) -> ExportKey:
    """The key of a criteria list file: its period and its filters, set ones only, in name order.

    `filters` names the period before (`previous`) too: which one is "last period" depends on
    the periods the asker may read, and the file must say what they saw.
    """
    parameters = urlencode(sorted((name, value) for name, value in filters.items() if value))
    return ExportKey(subject=ExportSubject.CRITERIA, format=fmt, period_id=period.pk, parameters=parameters)


def _requeue_if_stale(render: ExportRender | None) -> ExportRender | None:
    if render is not None and _stale(render):
        _requeue(render, reason="The worker preparing this file stopped; it was queued again.")
    return render


def export_current_of(key: ExportKey, *, generation: int) -> ExportRender | None:
    """The render of the key's data as of `generation`, if anyone has asked; a stale one is queued again."""
    return _requeue_if_stale(key.rows().filter(generation=generation).first())


def export_asked_of(key: ExportKey, *, pk: int) -> ExportRender | None:
    """A render someone asked for, by its number: the file of the data as it was when they asked."""
    return _requeue_if_stale(key.rows().filter(pk=pk).first())


def exports_current_of(keys: list[ExportKey], *, generation: int) -> dict[str, ExportRender]:
    """Every asked-for render of `keys` (one subject and parameters, some formats) at `generation`."""
    if not keys:
        return {}
    first = keys[0]
    renders = {
        render.format: render
        for render in ExportRender.objects.filter(
            **{name: value for name, value in first.fields().items() if name != "format"},
            generation=generation,
            format__in=[key.format for key in keys],
        )
    }
    for render in renders.values():
        _requeue_if_stale(render)
    return renders


def export_request_of(key: ExportKey, *, generation: int) -> ExportRender:
    """Ask for an export of the data at `generation`: share the render of the same key and data, or queue one.

    A failed render asked for again is tried again (with its attempts counted afresh).
    """
    try:
        with transaction.atomic():
            render, created = ExportRender.objects.get_or_create(
                **key.fields(), generation=generation, defaults={"requested_at": timezone.now()}
            )
    except IntegrityError:
        # Someone asked for the same file at the same moment: share theirs.
        render, created = key.rows().get(generation=generation), False
    if created:
        _enqueue_after_commit(render)
        if not transaction.get_connection().in_atomic_block:
            # Queued at once, outside a transaction: an in-process backend may have rendered it already.
            render.refresh_from_db()
    elif render.status == RenderStatus.FAILED:
        if ExportRender.objects.filter(pk=render.pk, status=RenderStatus.FAILED).update(
            status=RenderStatus.QUEUED, attempts=0, error="", requested_at=timezone.now()
        ):
            _enqueue_after_commit(render)
        render.refresh_from_db()
    elif _stale(render):
        _requeue(render, reason="The worker preparing this file stopped; it was queued again.")
    elif render.status == RenderStatus.QUEUED and render.requested_at < _stale_before():
        # Asked again after a long wait: queue another task in case the first was lost. Harmless
        # if not: the first task to claim the row renders it, the other finds it taken.
        _enqueue_after_commit(render)
    return render


# The quarterly report's names for the same steps, keyed on its period.


def export_current(
    *, period: ReportingPeriod, fmt: str, generation: int | None = None
) -> ExportRender | None:
    generation = export_generation(period) if generation is None else generation
    return export_current_of(_report_key(period, fmt), generation=generation)


def export_asked(*, period: ReportingPeriod, fmt: str, pk: int) -> ExportRender | None:
    return export_asked_of(_report_key(period, fmt), pk=pk)


def exports_current(*, period: ReportingPeriod, formats: tuple[str, ...]) -> dict[str, ExportRender]:
    return exports_current_of(
        [_report_key(period, fmt) for fmt in formats], generation=export_generation(period)
    )


def export_request(*, period: ReportingPeriod, fmt: str) -> ExportRender:
    return export_request_of(_report_key(period, fmt), generation=export_generation(period))


def exports_request_all(*, period_pk: int) -> None:
    """Queue every stored format of a published period and its page (on publishing, and publishing again)."""
    period = ReportingPeriod.objects.filter(pk=period_pk, state=PeriodState.PUBLISHED).first()
    if period is not None:
        for fmt in (*STORED_FORMATS, REPORT_PAGE):
            export_request(period=period, fmt=fmt)


# The report page's stored copies (`reporting.report_page` decides which one a reader sees).


def report_page_too_long_for_a_request(took: dt.timedelta) -> bool:
    """Whether a page that took this long to build and render is more than a reader should wait for."""
    return took > dt.timedelta(milliseconds=settings.REPORT_PAGE_RENDER_IN_REQUEST_MS)


def report_page_took_long(render: ExportRender) -> bool:
    """Whether the worker took longer over this stored page than a reader should wait for in a request."""
    if render.started_at is None or render.finished_at is None:
        return False
    return report_page_too_long_for_a_request(render.finished_at - render.started_at)


def report_page_older(*, period: ReportingPeriod, generation: int) -> ExportRender | None:
    """The newest stored page of the period's data before `generation`, if any is ready."""
    return (
        _report_key(period, REPORT_PAGE)
        .rows()
        .filter(status=RenderStatus.READY, generation__lt=generation)
        .order_by("-generation")
        .first()
    )


def report_page_request(*, period: ReportingPeriod) -> None:
    """Ask for the page of the period's current data, unless the worker has one of this period in hand.

    While officers save, each save makes a new generation; a worker asked for every one of them
    would fall behind and keep the PDFs waiting. One page per period at a time: the next reader
    after it is ready asks for the data as it is then. A render whose worker stopped does not hold
    the place: it is not in hand.
    """
    in_hand = (
        _report_key(period, REPORT_PAGE)
        .rows()
        .filter(
            Q(status=RenderStatus.QUEUED, requested_at__gte=_stale_before())
            | Q(status=RenderStatus.RUNNING, heartbeat_at__gte=_stale_before())
        )
    )
    if not in_hand.exists():
        export_request(period=period, fmt=REPORT_PAGE)


def export_read(render: ExportRender) -> bytes:
    """A ready render's stored file, whole."""
    with default_storage.open(render.file_name, "rb") as stored:
        return stored.read()


# --------------------------------------------------------------------------- the worker's side


class _Heartbeat(threading.Thread):
    """Beats the row's heartbeat while the renderer (one long call) works, on its own connection."""

    def __init__(self, render_pk: int, attempt: int):
        super().__init__(daemon=True, name=f"export-heartbeat-{render_pk}")
        self.render_pk, self.attempt = render_pk, attempt
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.EXPORT_HEARTBEAT_SECONDS):
                try:
                    ExportRender.objects.filter(
                        pk=self.render_pk, status=RenderStatus.RUNNING, attempts=self.attempt
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    # A busy database misses a beat; the stale timeout allows for several.
                    logger.warning("Missed a heartbeat for export %s", self.render_pk)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def _claim(render_pk: int) -> ExportRender | None:
    """Take a queued render for this worker (one UPDATE decides between workers), or None."""
    now = timezone.now()
    taken = ExportRender.objects.filter(pk=render_pk, status=RenderStatus.QUEUED).update(
        status=RenderStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1, error=""
    )
    if not taken:
        return None
    return ExportRender.objects.select_related("period__plan").get(pk=render_pk)


def _folder(render: ExportRender) -> str:
    if render.subject == ExportSubject.REPORT:
        return f"exports/{render.period.plan.slug}/{render.period.slug}/{render.generation}"
    if render.subject == ExportSubject.CRITERIA:
        # Filters are free text (a search): a digest names the folder, never the words.
        digest = hashlib.sha256(render.parameters.encode()).hexdigest()[:20]
        return f"exports/criteria/{render.period.plan.slug}/{render.period.slug}/{digest}/{render.generation}"
    asked = _parameters(render)
    dates = f"{asked['as_of']}-since-{asked['since'] or 'default'}"
    return f"exports/{render.subject}/{asked['plan']}/{asked['board']}/{dates}/{render.generation}"


def _remove_leftovers(folder: str, fmt: str) -> None:
    """Delete what a killed attempt left half-written: no row points at it."""
    try:
        _directories, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        if name.startswith("report") and name.endswith(f".{fmt}"):
            default_storage.delete(f"{folder}/{name}")


class _PausingContent(ContentFile):
    """Test-only: writes half the file, then waits, so a test can kill the worker mid-write.

    Used only when the environment sets EXPORT_TEST_PAUSE_MID_WRITE (tests/test_export_worker.py).
    """

    pause_seconds = 0.0

    def chunks(self, chunk_size=None):
        data = self.read()
        half = len(data) // 2
        yield data[:half]
        time.sleep(self.pause_seconds)
        yield data[half:]


def _content(data: bytes) -> ContentFile:
    pause = float(os.environ.get("EXPORT_TEST_PAUSE_MID_WRITE", "0") or 0)
    if pause <= 0:
        return ContentFile(data)
    content = _PausingContent(data)
    content.pause_seconds = pause
    return content


@dataclass(frozen=True)
class _Rendered:
    data: bytes
    download_name: str


def _parameters(render: ExportRender) -> dict[str, str]:
    return {name: values[-1] for name, values in parse_qs(render.parameters, keep_blank_values=True).items()}


def _render_report(render: ExportRender) -> _Rendered:
    from reporting.builder import report_build

    chosen: Format = _REPORT_FORMATS[render.format]
    built = report_build(period=render.period)
    return _Rendered(chosen.render(built), chosen.filename(built))


def _render_delivery(render: ExportRender) -> _Rendered:
    from plans.models import Board, Plan
    from reporting.delivery import ALL_BOARDS_SLUG, delivery_report_build
    from reporting.render.delivery_formats import delivery_format

    asked = _parameters(render)
    plan = Plan.objects.get(slug=asked["plan"])
    board = None if asked["board"] == ALL_BOARDS_SLUG else Board.objects.get(slug=asked["board"])
    since = dt.date.fromisoformat(asked["since"]) if asked["since"] else None
    built = delivery_report_build(
        plan=plan, board=board, as_of=dt.date.fromisoformat(asked["as_of"]), since=since
    )
    chosen = delivery_format(render.format)
    return _Rendered(chosen.render(built), chosen.filename(built))


def _render_criteria(render: ExportRender) -> _Rendered:
    from django.http import QueryDict

    from reporting.filters import CriteriaFilter
    from reporting.render.criteria_files import CRITERIA_FORMATS
    from reporting.selectors import assessment_list_rows

    filters = QueryDict(render.parameters, mutable=True)
    previous = ReportingPeriod.objects.filter(slug=filters.pop("previous", [""])[-1]).first()
    periods = [period for period in (previous, render.period) if period is not None]
    filterset = CriteriaFilter(filters, periods=periods)
    if not filterset.is_valid():  # a filter's choice went away since it was asked for
        raise ValueError(f"The filters no longer apply: {filterset.form.errors.as_text()}")
    rows = assessment_list_rows(filterset.qs, chunk_size=2000)
    chosen = CRITERIA_FORMATS[render.format]
    data = chosen.render(rows, period_title=render.period.title)
    return _Rendered(data, f"criteria-{render.period.slug}.{render.format}")


# The only part that differs between subjects: what builds and renders the file.
_RENDERERS = {
    ExportSubject.REPORT: _render_report,
    ExportSubject.DELIVERY: _render_delivery,
    ExportSubject.CRITERIA: _render_criteria,
}


def _render(render: ExportRender) -> _Rendered:
    return _RENDERERS[render.subject](render)


def export_run(*, render_pk: int) -> None:
    """The worker's task: render one export into storage and mark it ready, or failed with the reason."""
    try:
        with full_collections_held_back():
            _export_run(render_pk)
    finally:
        # A render leaves its objects in reference cycles (prefetched querysets pointing back at
        # their rows; WeasyPrint's boxes): at 100 × Thurrock a report page leaves 45,000, a PDF
        # far more. Python frees cycles only in its occasional full collection, so they stayed
        # in the worker's memory until then, and the collection that came walked them all
        # (60-130 ms). Collected here, between renders, where nobody waits on it.
        gc.collect()


def _export_run(render_pk: int) -> None:
    exports_requeue_stale()
    render = _claim(render_pk)
    if render is None:
        return  # ready, or taken by another worker already
    heartbeat = _Heartbeat(render.pk, render.attempts)
    heartbeat.start()
    saved = ""
    try:
        rendered = _render(render)
        folder = _folder(render)
        _remove_leftovers(folder, render.format)
        saved = default_storage.save(f"{folder}/report.{render.format}", _content(rendered.data))
    except Exception as error:
        heartbeat.stop()
        logger.exception("Export %s failed", render.pk)
        ExportRender.objects.filter(
            pk=render.pk, status=RenderStatus.RUNNING, attempts=render.attempts
        ).update(
            status=RenderStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        if saved:
            default_storage.delete(saved)
        return
    heartbeat.stop()
    finished = timezone.now()
    # The one step that makes the file visible: only if this attempt still owns the row.
    marked = ExportRender.objects.filter(
        pk=render.pk, status=RenderStatus.RUNNING, attempts=render.attempts
    ).update(
        status=RenderStatus.READY,
        file_name=saved,
        download_name=rendered.download_name,
        size=len(rendered.data),
        finished_at=finished,
    )
    if not marked:
        default_storage.delete(saved)
        return
    # Whether a file was slow to come because it waited behind another or because it rendered
    # slowly: the row that says so is pruned once a newer file of the same export is ready.
    logger.info(
        "Export %s ready: %s %s of %s, data generation %s, attempt %s; "
        "waited %.2f s for a worker, rendered in %.2f s",
        render.pk,
        render.subject,
        render.format,
        render.period.slug if render.period_id else "-",
        render.generation,
        render.attempts,
        (render.started_at - render.requested_at).total_seconds(),
        (finished - render.started_at).total_seconds(),
    )
    exports_prune_superseded(render)


def exports_prune_superseded(render: ExportRender) -> int:
    """Delete the files of the same export's older data, now that `render` is ready. Returns how many.

    Every save of a draft makes a new generation, so without this a busy quarter would leave one
    stored file per export asked for per change. Kept: `render`, and the ready render it has just
    replaced, which someone may be downloading at this moment or may have just been offered;
    that one goes when the next is ready. A row goes with its file, so nothing offers a file
    that is gone: a link to it (`?render=`) then leads to the current file, or to the page
    offering to prepare it. A failure here is logged, never the render's failure.
    """
    older = list(
        ExportRender.objects.filter(
            subject=render.subject,
            period_id=render.period_id,
            parameters_digest=render.parameters_digest,
            format=render.format,
            status=RenderStatus.READY,
            generation__lt=render.generation,
        ).order_by("-generation")[1:]
    )
    pruned = 0
    for superseded in older:
        try:
            # The row first: once it is gone nothing offers the file, then the file goes.
            if ExportRender.objects.filter(pk=superseded.pk, status=RenderStatus.READY).delete()[0]:
                default_storage.delete(superseded.file_name)
                pruned += 1
        except (DatabaseError, OSError):
            logger.exception("Could not delete the superseded export %s", superseded.pk)
    return pruned
