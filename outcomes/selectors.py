"""Reads of outcomes, criteria, periods and assessments, shaped for pages and reports."""

from __future__ import annotations

from django.db.models import QuerySet

from outcomes.models import PeriodState, ReportingPeriod


def period_list(*, plan=None) -> QuerySet[ReportingPeriod]:
    periods = ReportingPeriod.objects.select_related("plan").order_by("-end")
    return periods.filter(plan=plan) if plan is not None else periods


def period_open(*, plan=None) -> ReportingPeriod | None:
    return period_list(plan=plan).filter(state=PeriodState.OPEN).first()


def period_latest_published(*, plan=None) -> ReportingPeriod | None:
    return period_list(plan=plan).filter(state=PeriodState.PUBLISHED).first()


def period_previous(*, period: ReportingPeriod) -> ReportingPeriod | None:
    """The period before this one in the same plan (the report's "last period")."""
    return ReportingPeriod.objects.filter(plan_id=period.plan_id, end__lt=period.end).order_by("-end").first()


def period_baseline(*, period: ReportingPeriod) -> ReportingPeriod | None:
    """The plan's baseline period, or the earliest period if none is marked."""
    periods = ReportingPeriod.objects.filter(plan_id=period.plan_id)
    return periods.filter(is_baseline=True).first() or periods.order_by("end").first()


def outcomes_by_number(*, plan) -> dict:
    from outcomes.models import Outcome

    return {outcome.number: outcome for outcome in Outcome.objects.filter(plan=plan)}

