"""The commissioners' dashboard: where the plan stands in a period, at a glance, with drill-downs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.validators import slug_re
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from accounts.roles import DRAFT_READERS, has_role
from core.generation import cached_render, generations_of_periods
from outcomes.evaluation_selectors import judgement_panel
from outcomes.models import PeriodState, ReportingPeriod
from plans.permissions import can_open_delivery
from plans.selectors import plan_current
from reporting.charts import outcome_bars_chart, trend_chart
from reporting.delivery import delivery_panel_build
from reporting.filters import NOT_RATED_CHOICE
from reporting.permissions import can_read_reports
from reporting.selectors import dashboard_build, period_completion, period_default, periods_readable


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    if not can_read_reports(request.user):
        raise PermissionDenied("The dashboard is for people with a role in the plan's reporting.")
    periods = periods_readable(user=request.user)
    slug = request.GET.get("period", "").strip()
    if slug:
        period = next((p for p in periods if p.slug == slug), None)
        if period is None:
            # A value that is not a slug names no period; PostgreSQL cannot even compare one
            # holding a NUL byte (a 500), so it is not sent to the database.
            if slug_re.match(slug) and ReportingPeriod.objects.filter(slug=slug).exists():
                raise PermissionDenied(
                    "This period is still a draft. Its dashboard is shown once it is published."
                )
            raise Http404("No reporting period has that name.")
    else:
        period = period_default(periods=periods)
    all_outcomes = request.GET.get("outcomes") == "all"
    open_period = next(
        (p for p in periods if period and p.plan_id == period.plan_id and p.state == PeriodState.OPEN), None
    )
    # Three parts kept apart, each until its own data moves on: the ratings read this period and
    # the earlier ones of its plan, so officers saving in the open quarter leave a published
    # period's kept; the open quarter's completion moves with every save there; the delivery
    # panel reads no period, so no save of an update rebuilds it. One query reads all three.
    ratings_generation, completion_generation, delivery_generation = generations_of_periods(
        [p.pk for p in _periods_read(period=period, periods=periods)],
        [open_period.pk] if open_period else [],
        [],
    )
    body = cached_render(
        key_parts=(
            "dashboard",
            period.pk if period else None,
            all_outcomes,
            # Unpublished commissioners' judgements are for draft readers only.
            has_role(request.user, *DRAFT_READERS),
            *(p.pk for p in periods),
        ),
        generation_value=ratings_generation,
        render=lambda: render_to_string(
            "reporting/includes/dashboard_body.html",
            _dashboard_context(period=period, periods=periods, all_outcomes=all_outcomes, user=request.user),
        ),
    )
    # The parts are our own templates' output, escaped where they hold user text.
    return render(
        request,
        "reporting/dashboard.html",
        {
            "period": period,
            "periods": periods,
            "completion_panel": _completion_panel(open_period, generation_value=completion_generation),
            "body": mark_safe(body),  # noqa: S308
            "delivery_panel": _delivery_panel(generation_value=delivery_generation),
            "delivery_link": can_open_delivery(request.user),
        },
    )


def _completion_panel(open_period: ReportingPeriod | None, *, generation_value: int) -> str:
    """The open quarter's completion: counted again only when that quarter's data moves on."""
    if open_period is None:
        return ""
    panel = cached_render(
        # Its deadline tag counts days to the deadline, so it is kept for a day at most.
        key_parts=("dashboard-completion", open_period.pk, timezone.localdate()),
        generation_value=generation_value,
        render=lambda: render_to_string(
            "reporting/includes/dashboard_completion.html",
            {
                "completion": period_completion(period=open_period),
                "criteria_url": reverse("reporting:criteria"),
            },
        ),
    )
    return mark_safe(panel)  # noqa: S308 (our own template's output, escaped where it holds user text)


def _delivery_panel(*, generation_value: int) -> str:
    """The plan in force's milestones and top risks: counted again only when shared data moves on."""

    def render_panel() -> str:
        delivery = delivery_panel_build(plan=plan_current(), today=timezone.localdate())
        if delivery is None:
            return ""
        return render_to_string("delivery/includes/dashboard_panel.html", {"delivery": delivery})

    # It counts what is overdue today, so it is kept for a day at most.
    panel = cached_render(
        key_parts=("dashboard-delivery", timezone.localdate()),
        generation_value=generation_value,
        render=render_panel,
    )
    return mark_safe(panel)  # noqa: S308 (our own template's output, escaped where it holds user text)


def _periods_read(*, period, periods) -> list:
    if period is None:
        return []
    return [p for p in periods if p.plan_id == period.plan_id and p.end <= period.end]


def _dashboard_context(*, period, periods, all_outcomes: bool, user) -> dict:
    criteria_url = reverse("reporting:criteria")
    context = {
        "periods": periods,
        "period": period,
        "criteria_url": criteria_url,
        "not_rated_choice": NOT_RATED_CHOICE,
    }
    if period is not None:
        data = dashboard_build(period=period, periods=periods)
        # A plan with hundreds of outcomes would make a page of megabytes: show the first
        # ones unless all are asked for; the totals above the chart always count every one.
        bars = data.outcome_bars if all_outcomes else data.outcome_bars[: data.list_limit]
        context.update(
            dashboard=data,
            trend=trend_chart(points=data.trend),
            outcome_chart=outcome_bars_chart(
                bars=bars,
                period_label=period.short_label,
                href_for=lambda bar: f"{criteria_url}?period={period.slug}&outcome={bar.outcome_id}",
            ),
            outcomes_shown=len(bars),
            outcomes_total=len(data.outcome_bars),
            judgements=judgement_panel(
                period=period,
                counts_by_outcome={bar.outcome_id: bar.counts for bar in data.outcome_bars},
                titles={bar.outcome_id: (bar.number, bar.title) for bar in data.outcome_bars},
                user=user,
            ),
        )
    return context
