"""The evaluation framework's forms: a measure's evidence, the commissioners' judgement and its
publication, and importing metric values with a preview. Reading pages live in reporting."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from core.refusals import refusals_forbidden
from outcomes import evaluation_services, permissions
from outcomes.evaluation_forms import (
    EvidenceFileForm,
    EvidenceLinkForm,
    EvidenceStatusForm,
    JudgementForm,
    JudgementPublicationForm,
    MetricImportApplyForm,
    MetricImportForm,
)
from outcomes.exceptions import DomainError
from outcomes.metric_import import ImportRefused, metric_values_import
from outcomes.models import (
    CommissionerJudgement,
    EvidenceItem,
    JudgementPublication,
    Measure,
    MeasureEvidence,
    Outcome,
    ReportingPeriod,
)

PREVIEW_ROWS = 50
ERRORS_SHOWN = 100
IMPORT_SALT = "metric-import"
IMPORT_MAX_AGE = 60 * 60


def _period(slug: str) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.select_related("plan"), slug=slug)


def _outcome_in(period: ReportingPeriod, outcome_pk: int) -> Outcome:
    return get_object_or_404(Outcome, pk=outcome_pk, plan_id=period.plan_id)


def _require_read(request: HttpRequest, period: ReportingPeriod) -> None:
    if not permissions.can_read_period(request.user, period):
        raise PermissionDenied("This period is still a draft; it can be read once it is published.")


# --------------------------------------------------------------------------- a measure's evidence


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def evidence_edit(request: HttpRequest, period_slug: str, measure_pk: int) -> HttpResponse:
    period = _period(period_slug)
    measure = get_object_or_404(
        Measure.objects.select_related("outcome"), pk=measure_pk, outcome__plan_id=period.plan_id
    )
    _require_read(request, period)
    if not permissions.can_record_evidence(request.user, measure.outcome):
        raise PermissionDenied(
            "Only the outcome's lead director or the Programme Office can record its evidence."
        )
    evidence = MeasureEvidence.objects.filter(measure=measure, period=period).first()
    status_form = EvidenceStatusForm(
        initial={"status": evidence.status, "note": evidence.note} if evidence else {"status": "not_yet"}
    )
    link_form, file_form = EvidenceLinkForm(), EvidenceFileForm()
    errors: list[str] = []
    failed = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "link":
                failed = link_form = EvidenceLinkForm(request.POST)
                if link_form.is_valid():
                    evaluation_services.evidence_link_add(
                        measure=measure,
                        period=period,
                        by=request.user,
                        title=link_form.cleaned_data["link_title"],
                        url=link_form.cleaned_data["url"],
                    )
                    messages.success(request, "Link added.")
                    return redirect(request.path)
            elif action == "file":
                failed = file_form = EvidenceFileForm(request.POST, request.FILES)
                if file_form.is_valid():
                    evaluation_services.evidence_file_add(
                        measure=measure,
                        period=period,
                        by=request.user,
                        title=file_form.cleaned_data["file_title"],
                        upload=file_form.cleaned_data["file"],
                    )
                    messages.success(request, "File added.")
                    return redirect(request.path)
            else:
                failed = status_form = EvidenceStatusForm(request.POST)
                if status_form.is_valid():
                    evaluation_services.evidence_record(
                        measure=measure,
                        period=period,
                        by=request.user,
                        status=status_form.cleaned_data["status"],
                        note=status_form.cleaned_data["note"],
                    )
                    messages.success(request, "Evidence status saved.")
                    return redirect(request.path)
        except evaluation_services.EvidenceRefused as error:
            if failed is file_form:
                file_form.add_error("file", str(error))
            else:
                link_form.add_error("url", str(error))
        except DomainError as error:
            errors = [str(error)]
    items = list(evidence.items.all()) if evidence else []
    return render(
        request,
        "outcomes/evidence_edit.html",
        {
            "period": period,
            "measure": measure,
            "outcome": measure.outcome,
            "evidence": evidence,
            "items": items,
            "can_remove": not period.is_published,
            "status_form": status_form,
            "link_form": link_form,
            "file_form": file_form,
            "failed": failed if failed is not None and failed.errors else None,
            "errors": errors,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def evidence_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST removes the link or file from the measure's evidence."""
    item = get_object_or_404(
        EvidenceItem.objects.select_related("evidence__period__plan", "evidence__measure__outcome"), pk=pk
    )
    period, measure = item.evidence.period, item.evidence.measure
    _require_read(request, period)
    if not permissions.can_record_evidence(request.user, measure.outcome):
        raise PermissionDenied(
            "Only the outcome's lead director or the Programme Office can remove its evidence."
        )
    back = reverse("outcomes:evidence_edit", args=[period.slug, measure.pk])
    errors: list[str] = []
    if period.is_published:
        errors = ["This period is published, so its evidence can no longer be changed."]
    elif request.method == "POST":
        try:
            evaluation_services.evidence_item_remove(item=item, by=request.user)
        except DomainError as error:
            errors = [str(error)]
        else:
            messages.success(request, f"“{item.title}” removed from the evidence.")
            return redirect(back)
    return render(
        request,
        "outcomes/evaluation/evidence_remove.html",
        {
            "item": item,
            "period": period,
            "measure": measure,
            "outcome": measure.outcome,
            "back": back,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@require_safe
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(EvidenceItem.objects.select_related("evidence__period"), pk=pk)
    _require_read(request, item.evidence.period)
    if not item.file:
        raise Http404("That evidence is a link, not a file.")
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The file is no longer in storage.") from error
    extension = item.file.name.rsplit(".", 1)[-1]
    stem = (item.original_name.rsplit(".", 1)[0] or "evidence")[:100]
    response = FileResponse(
        handle, as_attachment=True, filename=f"{stem}.{extension}", content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------- commissioners' judgement


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def judgement_edit(request: HttpRequest, period_slug: str, outcome_pk: int) -> HttpResponse:
    period = _period(period_slug)
    outcome = _outcome_in(period, outcome_pk)
    if not permissions.can_write_judgement(request.user):
        raise PermissionDenied("Only commissioners can record the commissioners' judgement.")
    judgement = CommissionerJudgement.objects.filter(outcome=outcome, period=period).first()
    form = JudgementForm(
        initial={"rag": judgement.rag, "commentary": judgement.commentary} if judgement else None
    )
    errors: list[str] = []
    if request.method == "POST":
        form = JudgementForm(request.POST)
        if form.is_valid():
            try:
                evaluation_services.judgement_record(
                    outcome=outcome,
                    period=period,
                    by=request.user,
                    rag=form.cleaned_data["rag"],
                    commentary=form.cleaned_data["commentary"],
                )
            except DomainError as error:
                errors = [str(error)]
            else:
                messages.success(request, f"Judgement of outcome {outcome.number} saved.")
                return redirect(request.path)
    return render(
        request,
        "outcomes/judgement_edit.html",
        {"period": period, "outcome": outcome, "judgement": judgement, "form": form, "errors": errors},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def judgement_publication(request: HttpRequest, period_slug: str) -> HttpResponse:
    period = _period(period_slug)
    if not permissions.can_write_judgement(request.user):
        raise PermissionDenied("Only commissioners can decide whether their judgement is published.")
    decision = JudgementPublication.objects.filter(period=period).first()
    form = JudgementPublicationForm(
        initial={"for_publication": "yes" if decision.for_publication else "no"} if decision else None
    )
    if request.method == "POST":
        form = JudgementPublicationForm(request.POST)
        if form.is_valid():
            evaluation_services.judgement_publication_decide(
                period=period, by=request.user, for_publication=form.cleaned_data["for_publication"]
            )
            messages.success(request, "Decision saved.")
            return redirect(request.path)
    return render(
        request,
        "outcomes/judgement_publication.html",
        {"period": period, "decision": decision, "form": form},
        status=422 if request.method == "POST" else 200,
    )


# --------------------------------------------------------------------------- importing metric values


def _stash(upload, *, user, plan) -> str:
    """Keep the checked file until it is applied; the signed token names it, its uploader and plan."""
    name = default_storage.save(f"metric-imports/{uuid.uuid4().hex}.upload", ContentFile(upload.read()))
    return signing.dumps({"name": name, "user": user.pk, "plan": plan.pk}, salt=IMPORT_SALT)


def _unstash(token: str, *, user, plan) -> str | None:
    try:
        data = signing.loads(token, salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("user") != user.pk or data.get("plan") != plan.pk:
        return None
    name = data.get("name")
    if (
        not isinstance(name, str)
        or not name.startswith("metric-imports/")
        or not default_storage.exists(name)
    ):
        return None
    return name


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def metric_import(request: HttpRequest, plan_slug: str) -> HttpResponse:
    from plans.models import Plan

    plan = get_object_or_404(Plan, slug=plan_slug)
    if not permissions.can_manage_metric_values(request.user):
        raise PermissionDenied("Only the Programme Office can import metric values.")
    form = MetricImportForm()
    context: dict = {"plan": plan, "form": form, "errors": [], "result": None}
    status = 200
    if request.method == "POST" and request.POST.get("action") == "apply":
        apply_form = MetricImportApplyForm(request.POST)
        name = (
            _unstash(apply_form.data.get("token", ""), user=request.user, plan=plan)
            if apply_form.is_valid()
            else None
        )
        if name is None:
            context["errors"] = ["The checked file has expired or was not found. Upload it again."]
            return render(request, "outcomes/metric_import.html", context, status=422)
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        try:
            result = metric_values_import(plan=plan, data=data, by=request.user, source="upload page")
        except ImportRefused as refused:
            context["errors"] = [str(error) for error in refused.errors[:ERRORS_SHOWN]]
            return render(request, "outcomes/metric_import.html", context, status=422)
        finally:
            default_storage.delete(name)
        messages.success(
            request,
            f"Imported {len(result.rows):,} rows: {result.created:,} new, {result.replaced:,} replacing a "
            f"stored value, {result.unchanged:,} unchanged.",
        )
        return redirect(reverse("outcomes:metric_import", args=[plan.slug]))
    if request.method == "POST":
        form = context["form"] = MetricImportForm(request.POST, request.FILES)
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                result = metric_values_import(plan=plan, data=data, by=request.user, dry_run=True)
            except ImportRefused as refused:
                context["errors"] = [str(error) for error in refused.errors[:ERRORS_SHOWN]]
                context["more_errors"] = max(0, len(refused.errors) - ERRORS_SHOWN)
                context["refused"] = str(refused)
            else:
                upload.seek(0)
                context.update(
                    result=result,
                    preview=result.rows[:PREVIEW_ROWS],
                    apply_form=MetricImportApplyForm(
                        initial={"token": _stash(upload, user=request.user, plan=plan)}
                    ),
                )
                status = 200
    return render(request, "outcomes/metric_import.html", context, status=status)
