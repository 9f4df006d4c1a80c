"""The Programme Office's pages for the metric library's definitions: add a metric, change one.
Reading the library is in reporting (reporting/views/evaluation.py); figures arrive by import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.refusals import refusals_forbidden
from outcomes import evaluation_services, permissions
from outcomes.evaluation_forms import METRIC_FIELDS, MetricForm
from outcomes.exceptions import DomainError
from outcomes.models import Metric

NOT_ALLOWED = "Only the Programme Office can change the metric library."
# The name of the button that shows the chosen outcome's criteria instead of saving.
SHOW_CRITERIA = "show_criteria"


def _metric_form_page(request: HttpRequest, *, plan, metric: Metric | None) -> HttpResponse:
    if not permissions.can_manage_metric_values(request.user):
        raise PermissionDenied(NOT_ALLOWED)
    form = MetricForm(plan=plan, metric=metric)
    errors: list[str] = []
    if request.method == "POST" and SHOW_CRITERIA in request.POST:
        # The outcome was chosen (or changed) and its criteria are wanted: show them with what
        # was typed kept, save nothing and say nothing is wrong yet (the page works without JS).
        form = MetricForm(plan=plan, metric=metric, initial=_typed_so_far(request))
    elif request.method == "POST":
        form = MetricForm(request.POST, plan=plan, metric=metric)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = evaluation_services.metric_save(
                    plan=plan,
                    metric=metric,
                    by=request.user,
                    fields={name: data[name] for name in METRIC_FIELDS},
                    outcome=data["outcome"],
                    criteria=data["criteria"],
                )
            except DomainError as error:
                errors = [str(error)]
            else:
                messages.success(request, f"Metric {saved.code} {'added' if metric is None else 'saved'}.")
                return redirect(reverse("reporting:metric_detail", args=[saved.pk]))
    return render(
        request,
        "outcomes/evaluation/metric_form.html",
        {"plan": plan, "metric": metric, "form": form, "errors": errors},
        status=422 if request.method == "POST" and form.is_bound else 200,
    )


def _typed_so_far(request: HttpRequest) -> dict:
    typed = {name: request.POST.get(name, "") for name in (*METRIC_FIELDS, "outcome")}
    return typed | {"criteria": request.POST.getlist("criteria")}


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def metric_create(request: HttpRequest, plan_slug: str) -> HttpResponse:
    from plans.models import Plan

    plan = get_object_or_404(Plan, slug=plan_slug)
    return _metric_form_page(request, plan=plan, metric=None)


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def metric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    metric = get_object_or_404(Metric.objects.select_related("plan"), pk=pk)
    return _metric_form_page(request, plan=metric.plan, metric=metric)
