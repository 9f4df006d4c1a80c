"""Delivery pages: milestones and their updates, RAID logs, boards, status labels and exception reports.

Every view asks plans.permissions before it reads or writes; writes go through plans.services,
whose refusals become the GOV.UK error summary (409) and whose permission refusals become 403.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from core.forms import MAX_ID
from core.people import display_name
from core.refusals import refusals_forbidden
from plans import permissions, selectors, services
from plans.delivery import STATUS_TAG_CLASS, effective_status, is_overdue, status_label_table
from plans.exceptions import DeliveryError, DeliveryStaleEdit
from plans.models import Board, Milestone, MilestoneStatus, Objective, Plan, RaidEntry, StatusLabel
from reporting.delivery import ALL_BOARDS_SLUG, delivery_report_build
from reporting.delivery_forms import (
    WHOLE_PLAN,
    BoardForm,
    ExceptionReportForm,
    MilestoneEditForm,
    MilestoneForm,
    MilestoneUpdateForm,
    RaidEditForm,
    RaidForm,
    StatusLabelForm,
)
from reporting.exports import (
    ExportKey,
    delivery_export_key,
    delivery_generation,
    export_asked_of,
    export_current_of,
    export_request_of,
    exports_current_of,
)
from reporting.models import ExportRender, RenderStatus
from reporting.render.delivery_formats import DELIVERY_DOWNLOADS, DELIVERY_FORMATS
from reporting.views.stored_files import export_item, render_asked_or_current, stored_file_response

LABELS = dict(MilestoneStatus.choices)


def _plan(slug: str) -> Plan:
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        raise Http404("No plan has that name.")
    return plan


def _require(allowed: bool, sentence: str) -> None:
    if not allowed:
        raise PermissionDenied(sentence)


def _require_programme_office(request: HttpRequest) -> None:
    _require(
        permissions.can_manage_delivery(request.user),
        "Only the Programme Office can change milestones, RAID logs and boards.",
    )


def _milestone(pk: int) -> Milestone:
    if pk > MAX_ID:
        raise Http404("No milestone has that number.")
    milestone = (
        Milestone.objects.select_related(
            "plan", "objective__workstream__priority", "action__workstream__theme", "owner", "updated_by"
        )
        .filter(pk=pk)
        .first()
    )
    if milestone is None:
        raise Http404("No milestone has that number.")
    return milestone


# --------------------------------------------------------------------------- the section's front page


@require_safe
def delivery_home(request: HttpRequest) -> HttpResponse:
    _require(
        permissions.can_open_delivery(request.user),
        "Delivery is for the Programme Office, Commissioners, Democratic Services and board members.",
    )
    member_of = permissions.board_ids_of(request.user)
    boards = [
        board
        for board in selectors.board_list()
        if permissions.can_read_board_report(request.user, board, member_board_ids=member_of)
    ]
    return render(
        request,
        "delivery/home.html",
        {
            "plans": list(Plan.objects.order_by("-version_date")),
            "boards": boards,
            "can_read_all": permissions.can_read_delivery(request.user),
            "can_manage": permissions.can_manage_delivery(request.user),
        },
    )


# --------------------------------------------------------------------------- milestones


@require_safe
def milestone_list(request: HttpRequest, plan_slug: str) -> HttpResponse:
    _require(
        permissions.can_read_delivery(request.user),
        "Milestone lists are for the Programme Office, Commissioners and Democratic Services.",
    )
    plan = _plan(plan_slug)
    table = status_label_table()
    today = timezone.localdate()
    milestones = selectors.milestones_in_scope(plan=plan)
    by_objective: dict[int | None, list] = {}
    rows = []
    for milestone in milestones:
        status = effective_status(status=milestone.status, plan_label=milestone.plan_label, table=table)
        row = {
            "milestone": milestone,
            "status": status,
            "status_label": LABELS[status],
            "tag_class": STATUS_TAG_CLASS[status],
            "overdue": is_overdue(due_date=milestone.due_date, status=status, as_of=today),
        }
        rows.append(row)
        by_objective.setdefault(milestone.objective_id, []).append(row)
    objectives = list(
        Objective.objects.filter(workstream__priority__plan=plan)
        .select_related("workstream__priority")
        .order_by("workstream__priority__number", "workstream__number", "number")
    )
    sections = [
        {"objective": objective, "rows": by_objective.get(objective.pk, [])} for objective in objectives
    ]
    action_rows = [row for row in rows if row["milestone"].action_id]
    plan_rows = [row for row in rows if not row["milestone"].action_id and not row["milestone"].objective_id]
    return render(
        request,
        "delivery/milestone_list.html",
        {
            "plan": plan,
            "sections": sections,
            "action_rows": action_rows,
            "plan_rows": plan_rows,
            "can_manage": permissions.can_manage_delivery(request.user),
        },
    )


def _milestone_values(form) -> dict:
    data = form.cleaned_data
    return {name: data[name] for name in services.MILESTONE_FIELDS}


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def milestone_create(request: HttpRequest, plan_slug: str) -> HttpResponse:
    _require_programme_office(request)
    plan = _plan(plan_slug)
    errors: list = []
    status = 200
    if request.method == "POST":
        form = MilestoneForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                milestone = services.milestone_create(
                    plan=plan,
                    objective=form.cleaned_data["objective"],
                    by=request.user,
                    values=_milestone_values(form),
                )
            except DeliveryError as error:
                errors, status = [str(error)], 409
            else:
                messages.success(request, f"Milestone {milestone.reference} added.")
                return redirect(reverse("delivery:milestone_list", args=[plan.slug]))
        else:
            status = 400
    else:
        objective = Objective.objects.filter(
            pk=request.GET.get("objective") if (request.GET.get("objective") or "").isdigit() else None,
            workstream__priority__plan=plan,
        ).first()
        form = MilestoneForm(plan=plan, initial={"objective": objective})
    return render(
        request,
        "delivery/milestone_form.html",
        {"plan": plan, "form": form, "errors": errors, "milestone": None},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_programme_office(request)
    milestone = _milestone(pk)
    plan = milestone.plan
    errors: list = []
    status = 200
    if request.method == "POST":
        form = MilestoneEditForm(request.POST, plan=plan)
        if form.is_valid():
            values = _milestone_values(form)
            try:
                services.milestone_edit(
                    milestone=milestone,
                    by=request.user,
                    values=values,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except DeliveryError as error:
                errors, status = [str(error)], 409
            else:
                messages.success(request, f"Milestone {values['reference']} changed.")
                return redirect(reverse("delivery:milestone_update", args=[milestone.pk]))
        else:
            status = 400
    else:
        initial = {name: getattr(milestone, name) for name in services.MILESTONE_FIELDS}
        form = MilestoneEditForm(
            plan=plan, initial={**initial, "objective": milestone.objective, "version": milestone.version}
        )
        if milestone.action_id:
            form.fields.pop("objective")
    return render(
        request,
        "delivery/milestone_form.html",
        {"plan": plan, "form": form, "errors": errors, "milestone": milestone},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def milestone_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's update page; for readers, the milestone and its history."""
    milestone = _milestone(pk)
    _require(
        permissions.can_view_milestone(request.user, milestone),
        "Only the milestone's owner, the Programme Office, Commissioners and Democratic Services "
        "can open it.",
    )
    editable = permissions.can_update_milestone(request.user, milestone)
    errors: list = []
    status = 200
    form = None
    if request.method == "POST":
        _require(editable, "You can only update the milestones you own.")
        form = MilestoneUpdateForm(request.POST)
        if form.is_valid():
            try:
                updated = services.milestone_update(
                    milestone=milestone,
                    by=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
            except DeliveryStaleEdit as error:
                errors, status = [str(error)], 409
                milestone = error.current
                form = MilestoneUpdateForm(
                    initial={
                        "status": form.cleaned_data["status"],
                        "note": form.cleaned_data["note"],
                        "version": milestone.version,
                    }
                )
            except DeliveryError as error:
                errors, status = [str(error)], 409
            else:
                messages.success(
                    request,
                    f"Milestone {updated.reference} is now recorded as "
                    f"{updated.get_status_display().lower()}.",
                )
                return redirect(reverse("delivery:milestone_update", args=[updated.pk]))
        else:
            status = 400
    elif editable:
        table = status_label_table()
        current = effective_status(status=milestone.status, plan_label=milestone.plan_label, table=table)
        form = MilestoneUpdateForm(initial={"status": current, "version": milestone.version})
    table = status_label_table()
    current_status = effective_status(status=milestone.status, plan_label=milestone.plan_label, table=table)
    history = list(
        milestone.history.select_related("history_user").order_by("-history_date", "-history_id")[:50]
    )
    return render(
        request,
        "delivery/milestone_update.html",
        {
            "milestone": milestone,
            "form": form,
            "errors": errors,
            "status_label": LABELS[current_status],
            "tag_class": STATUS_TAG_CLASS[current_status],
            "overdue": is_overdue(
                due_date=milestone.due_date, status=current_status, as_of=timezone.localdate()
            ),
            "history": [
                {
                    "when": record.history_date,
                    "who": display_name(record.history_user)
                    if record.history_user
                    else "Loaded from the plan",
                    "status": LABELS.get(record.status, "As the plan's label says"),
                    "why": record.history_change_reason or "",
                }
                for record in history
            ],
            "can_manage": permissions.can_manage_delivery(request.user),
        },
        status=status,
    )


# --------------------------------------------------------------------------- RAID log


@require_safe
def raid_list(request: HttpRequest, plan_slug: str) -> HttpResponse:
    _require(
        permissions.can_read_delivery(request.user),
        "RAID logs are for the Programme Office, Commissioners and Democratic Services.",
    )
    plan = _plan(plan_slug)
    entries = selectors.raid_in_scope(plan=plan)
    return render(
        request,
        "delivery/raid_list.html",
        {"plan": plan, "entries": entries, "can_manage": permissions.can_manage_delivery(request.user)},
    )


def _raid_values(form) -> dict:
    data = form.cleaned_data
    values = {
        name: data[name]
        for name in (
            "reference",
            "kind",
            "description",
            "owner",
            "likelihood",
            "impact",
            "mitigation",
            "status",
            "review_date",
            "escalated_to",
        )
    }
    values.update(form.level_values())
    return values


def _raid_level(entry: RaidEntry) -> str:
    for name in ("theme_workstream", "theme", "workstream", "priority"):
        if getattr(entry, f"{name}_id"):
            return f"{name}:{getattr(entry, f'{name}_id')}"
    return WHOLE_PLAN


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def raid_create(request: HttpRequest, plan_slug: str) -> HttpResponse:
    _require_programme_office(request)
    plan = _plan(plan_slug)
    errors: list = []
    status = 200
    if request.method == "POST":
        form = RaidForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                entry = services.raid_create(plan=plan, by=request.user, values=_raid_values(form))
            except DeliveryError as error:
                errors, status = [str(error)], 409
            else:
                messages.success(request, f"{entry.reference} added to the RAID log.")
                return redirect(reverse("delivery:raid_list", args=[plan.slug]))
        else:
            status = 400
    else:
        form = RaidForm(plan=plan, initial={"kind": "risk", "status": "open", "level": WHOLE_PLAN})
    return render(
        request,
        "delivery/raid_form.html",
        {"plan": plan, "form": form, "errors": errors, "entry": None},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def raid_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_programme_office(request)
    entry = RaidEntry.objects.select_related("plan").filter(pk=pk).first() if pk <= MAX_ID else None
    if entry is None:
        raise Http404("No RAID entry has that number.")
    plan = entry.plan
    errors: list = []
    status = 200
    if request.method == "POST":
        form = RaidEditForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                services.raid_edit(
                    entry=entry,
                    by=request.user,
                    values=_raid_values(form),
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except DeliveryError as error:
                errors, status = [str(error)], 409
            else:
                messages.success(request, f"{form.cleaned_data['reference']} changed.")
                return redirect(reverse("delivery:raid_list", args=[plan.slug]))
        else:
            status = 400
    else:
        initial = {
            name: getattr(entry, name)
            for name in (
                "reference",
                "kind",
                "description",
                "owner",
                "likelihood",
                "impact",
                "mitigation",
                "status",
                "review_date",
                "escalated_to",
                "version",
            )
        }
        form = RaidEditForm(plan=plan, initial={**initial, "level": _raid_level(entry)})
    return render(
        request,
        "delivery/raid_form.html",
        {"plan": plan, "form": form, "errors": errors, "entry": entry},
        status=status,
    )


# --------------------------------------------------------------------------- boards and status labels


@require_safe
def board_list(request: HttpRequest) -> HttpResponse:
    _require(
        permissions.can_read_delivery(request.user),
        "The boards' mapping is for the Programme Office, Commissioners and Democratic Services.",
    )
    boards = list(
        Board.objects.prefetch_related("priorities__plan", "themes__plan", "members").order_by(
            "-sees_everything", "name"
        )
    )
    return render(
        request,
        "delivery/board_list.html",
        {"boards": boards, "can_manage": permissions.can_manage_delivery(request.user)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def board_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _require_programme_office(request)
    board = Board.objects.filter(slug=slug).first()
    if board is None:
        raise Http404("No board has that name.")
    errors: list = []
    status = 200
    if request.method == "POST":
        form = BoardForm(request.POST)
        if form.is_valid():
            try:
                services.board_mapping_save(board=board, by=request.user, **form.cleaned_data)
            except DeliveryError as error:
                errors, status = [str(error)], 409
            else:
                messages.success(request, f"What the {board.name} oversees has been saved.")
                return redirect(reverse("delivery:board_list"))
        else:
            status = 400
    else:
        form = BoardForm(
            initial={
                "sees_everything": board.sees_everything,
                "priorities": list(board.priorities.all()),
                "themes": list(board.themes.all()),
                "members": list(board.members.all()),
            }
        )
    return render(
        request, "delivery/board_form.html", {"board": board, "form": form, "errors": errors}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def status_labels(request: HttpRequest) -> HttpResponse:
    _require(
        permissions.can_read_delivery(request.user),
        "The status labels are for the Programme Office, Commissioners and Democratic Services.",
    )
    can_manage = permissions.can_manage_delivery(request.user)
    errors: list = []
    status = 200
    form = StatusLabelForm() if can_manage else None
    if request.method == "POST":
        _require_programme_office(request)
        form = StatusLabelForm(request.POST)
        if form.is_valid():
            try:
                saved = services.status_label_save(by=request.user, **form.cleaned_data)
            except DeliveryError as error:
                errors, status = [str(error)], 409
            else:
                messages.success(
                    request, f"“{saved.label}” now reads as {saved.get_status_display().lower()}."
                )
                return redirect(reverse("delivery:status_labels"))
        else:
            status = 400
    return render(
        request,
        "delivery/status_labels.html",
        {
            "labels": list(StatusLabel.objects.order_by("label")),
            "form": form,
            "errors": errors,
            "can_manage": can_manage,
        },
        status=status,
    )


# --------------------------------------------------------------------------- the exception report


def _readable_board(request: HttpRequest, slug: str) -> Board | None:
    if slug == ALL_BOARDS_SLUG:
        _require(
            permissions.can_read_delivery(request.user),
            "The whole plan's exception report is for the Programme Office, Commissioners and "
            "Democratic Services; board members read their boards' reports.",
        )
        return None
    board = Board.objects.filter(slug=slug).first()
    if board is None:
        raise Http404("No board has that name.")
    _require(
        permissions.can_read_board_report(request.user, board),
        f"The {board.name}'s exception report is for its members, the Programme Office, "
        "Commissioners and Democratic Services.",
    )
    return board


def _report_dates(request: HttpRequest) -> tuple[ExceptionReportForm, dt.date, dt.date | None]:
    form = ExceptionReportForm(request.GET or None)
    today = timezone.localdate()
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["as_of"] or today, form.cleaned_data["since"]
    return form, today, None


def _dates_query(as_of: dt.date, since: dt.date | None) -> str:
    """The report's dates as they were resolved: "today" stays the day it was asked for."""
    return urlencode({"as_of": as_of.isoformat(), **({"since": since.isoformat()} if since else {})})


def _export_urls(
    *, plan: Plan, board_slug: str, fmt: str, dates: str, render_row: ExportRender | None
) -> dict:
    ask = reverse("delivery:exception_export", args=[plan.slug, board_slug, fmt]) + f"?{dates}"
    asked = f"&render={render_row.pk}" if render_row is not None else ""
    return {
        "ask_url": ask,
        "check_url": ask + asked,
        "download_url": reverse("delivery:exception_download", args=[plan.slug, board_slug, fmt])
        + f"?{dates}{asked}",
    }


def _export_item(
    *,
    plan: Plan,
    board_slug: str,
    fmt: str,
    dates: str,
    render_row: ExportRender | None,
    replaced: bool = False,
) -> dict:
    return export_item(
        chosen=DELIVERY_FORMATS[fmt],
        render_row=render_row,
        replaced=replaced,
        **_export_urls(plan=plan, board_slug=board_slug, fmt=fmt, dates=dates, render_row=render_row),
    )


@require_safe
def exception_report(request: HttpRequest, plan_slug: str, board_slug: str) -> HttpResponse:
    plan = _plan(plan_slug)
    board = _readable_board(request, board_slug)
    form, as_of, since = _report_dates(request)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "delivery/exception_report.html",
            {"plan": plan, "board": board, "form": form, "report": None},
            status=400,
        )
    report = delivery_report_build(plan=plan, board=board, as_of=as_of, since=since)
    downloads = []
    if permissions.can_export_delivery(request.user):
        keys = [
            delivery_export_key(plan_slug=plan.slug, board_slug=board_slug, as_of=as_of, since=since, fmt=fmt)
            for fmt in DELIVERY_DOWNLOADS
        ]
        renders = exports_current_of(keys, generation=delivery_generation())
        dates = _dates_query(as_of, since)
        downloads = [
            _export_item(plan=plan, board_slug=board_slug, fmt=fmt, dates=dates, render_row=renders.get(fmt))
            for fmt in DELIVERY_DOWNLOADS
        ]
    return render(
        request,
        "delivery/exception_report.html",
        {"plan": plan, "board": board, "form": form, "report": report, "downloads": downloads},
    )


class _BadDates(Exception):
    pass


def _exportable(request: HttpRequest, plan_slug: str, board_slug: str, fmt: str):
    """The plan, board, dates and export key of a file the person may have, or a refusal."""
    if fmt not in DELIVERY_DOWNLOADS:
        raise Http404("The exception report is not available in that format.")
    plan = _plan(plan_slug)
    board = _readable_board(request, board_slug)
    _require(
        permissions.can_export_delivery(request.user),
        "Only Democratic Services, Commissioners and the Programme Office can download report files.",
    )
    form, as_of, since = _report_dates(request)
    if form.is_bound and not form.is_valid():
        raise _BadDates
    key = delivery_export_key(plan_slug=plan.slug, board_slug=board_slug, as_of=as_of, since=since, fmt=fmt)
    return plan, board, as_of, since, key


def _bad_dates() -> HttpResponse:
    return HttpResponse(
        "Enter the dates as real dates, like 2025-06-30.", status=400, content_type="text/plain"
    )


def _render_of(request: HttpRequest, key: ExportKey) -> tuple[ExportRender | None, bool]:
    """The render the person asked for, else the one of the current data (the file says when it
    was "Generated"); and whether the one asked for was replaced."""
    return render_asked_or_current(
        request,
        asked_of=lambda pk: export_asked_of(key, pk=pk),
        current=lambda: export_current_of(key, generation=delivery_generation()),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def exception_export(request: HttpRequest, plan_slug: str, board_slug: str, fmt: str) -> HttpResponse:
    """One file's progress: POST asks for it (or asks again after a failure); GET says how it is going."""
    try:
        plan, board, as_of, since, key = _exportable(request, plan_slug, board_slug, fmt)
    except _BadDates:
        return _bad_dates()
    dates = _dates_query(as_of, since)
    if request.method == "POST":
        asked = export_request_of(key, generation=delivery_generation())
        return redirect(
            _export_urls(plan=plan, board_slug=board_slug, fmt=fmt, dates=dates, render_row=asked)[
                "check_url"
            ]
        )
    render_row, replaced = _render_of(request, key)
    item = _export_item(
        plan=plan, board_slug=board_slug, fmt=fmt, dates=dates, render_row=render_row, replaced=replaced
    )
    return render(
        request,
        "delivery/exception_export.html",
        {
            "plan": plan,
            "board": board,
            "as_of": as_of,
            "item": item,
            "report_url": reverse("delivery:exception_report", args=[plan.slug, board_slug]) + f"?{dates}",
        },
    )


@require_safe
def exception_download(request: HttpRequest, plan_slug: str, board_slug: str, fmt: str) -> HttpResponse:
    """The stored file of the report asked for; if it is not ready yet, the page that says so."""
    try:
        plan, _board, as_of, since, key = _exportable(request, plan_slug, board_slug, fmt)
    except _BadDates:
        return _bad_dates()
    render_row, _replaced = _render_of(request, key)
    if render_row is None or render_row.status != RenderStatus.READY:
        urls = _export_urls(
            plan=plan, board_slug=board_slug, fmt=fmt, dates=_dates_query(as_of, since), render_row=render_row
        )
        return redirect(urls["check_url"])
    return stored_file_response(
        request, render_row=render_row, content_type=DELIVERY_FORMATS[fmt].content_type, changes=True
    )
