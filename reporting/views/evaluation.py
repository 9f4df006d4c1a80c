"""Pages that read the evaluation framework across the plan: one outcome in one period, the metric
library and each metric's trend. The forms that change it are in outcomes/views/evaluation.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from outcomes.evaluation_selectors import metric_library as library_build
from outcomes.evaluation_selectors import metric_rows, outcome_period, readable_periods
from outcomes.models import Metric, Outcome, PeriodState, ReportingPeriod
from outcomes.permissions import can_manage_metric_values
from reporting.metric_charts import metric_trend_chart
from reporting.permissions import can_read_period, can_read_reports

LIBRARY_PAGE_SIZE = 100
DRAFT_REFUSAL = "This period is still a draft. It can be read once it is published."


@require_safe
def outcome_period_page(request: HttpRequest, outcome_pk: int, period_slug: str) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), slug=period_slug)
    outcome = get_object_or_404(Outcome, pk=outcome_pk, plan_id=period.plan_id)
    if not can_read_period(request.user, period):
        raise PermissionDenied(DRAFT_REFUSAL)
    page = outcome_period(outcome=outcome, period=period, user=request.user)
    charts = {row.metric.pk: metric_trend_chart(metric=row.metric, points=row.points) for row in page.metrics}
    return render(
        request,
        "reporting/outcome_period.html",
        {
            "page": page,
            "period": period,
            "outcome": outcome,
            "metric_items": [(row, charts[row.metric.pk]) for row in page.metrics],
        },
    )


def _chosen_period(request: HttpRequest, periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    slug = request.GET.get("period", "").strip()
    if slug:
        period = next((p for p in periods if p.slug == slug), None)
        if period is None:
            raise Http404("No reporting period you can read has that name.")
        return period
    published = [p for p in periods if p.state == PeriodState.PUBLISHED]
    return (published or periods or [None])[-1]


@require_safe
def metric_library(request: HttpRequest) -> HttpResponse:
    if not can_read_reports(request.user):
        raise PermissionDenied("The metric library is for people with a role in the plan's reporting.")
    periods = readable_periods(user=request.user)
    period = _chosen_period(request, periods)
    context: dict = {"periods": periods, "period": period}
    if period is not None:
        library = library_build(period=period, periods=periods)
        paginator = Paginator(library.rows, LIBRARY_PAGE_SIZE)
        context.update(
            library=library,
            page=paginator.get_page(request.GET.get("page")),
            without_target=library.without_target[:LIBRARY_PAGE_SIZE],
            can_import=can_manage_metric_values(request.user),
        )
    return render(request, "reporting/metric_library.html", context)


@require_safe
def metric_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_read_reports(request.user):
        raise PermissionDenied("The metric library is for people with a role in the plan's reporting.")
    metric = get_object_or_404(Metric.objects.select_related("outcome", "plan"), pk=pk)
    periods = readable_periods(user=request.user, plan_id=metric.plan_id)
    row = None
    if periods:
        row = metric_rows(metrics=[metric], periods=periods, period=periods[-1], with_trend=True)[0]
    return render(
        request,
        "reporting/metric_detail.html",
        {
            "metric": metric,
            "criteria": list(metric.criteria.select_related("outcome").order_by("letter")),
            "row": row,
            "chart": metric_trend_chart(metric=metric, points=row.points if row else ()),
            "can_edit": can_manage_metric_values(request.user),
        },
    )
