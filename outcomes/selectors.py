"""Reads of outcomes, criteria, periods and assessments, shaped for pages and reports."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from outcomes.models import PeriodState, ReportingPeriod


def period_list(*, plan=None) -> QuerySet[ReportingPeriod]:
    periods = ReportingPeriod.objects.select_related("plan").order_by("-end")
    return periods.filter(plan=plan) if plan is not None else periods


def period_open(*, plan=None) -> ReportingPeriod | None:
    return period_list(plan=plan).filter(state=PeriodState.OPEN).first()


def period_latest_published(*, plan=None) -> ReportingPeriod | None:
    return period_list(plan=plan).filter(state=PeriodState.PUBLISHED).first()


def periods_before(*, period: ReportingPeriod) -> QuerySet[ReportingPeriod]:
    """The plan's periods that ended before this one, latest first: the first is "last period"."""
    return ReportingPeriod.objects.filter(plan_id=period.plan_id, end__lt=period.end).order_by("-end")


def period_previous(*, period: ReportingPeriod) -> ReportingPeriod | None:
    """The period before this one in the same plan (the report's "last period")."""
    return periods_before(period=period).first()


def period_baseline(*, period: ReportingPeriod) -> ReportingPeriod | None:
    """The plan's baseline period, or the earliest period if none is marked."""
    periods = ReportingPeriod.objects.filter(plan_id=period.plan_id)
    return periods.filter(is_baseline=True).first() or periods.order_by("end").first()


def outcomes_by_number(*, plan) -> dict:
    from outcomes.models import Outcome

    return {outcome.number: outcome for outcome in Outcome.objects.filter(plan=plan)}


# --------------------------------------------------------------------------- the outcome report
# Each of these is one query whatever the size of the plan; reporting/builder.py assembles them.


def period_get(*, slug: str) -> ReportingPeriod:
    """One period by its slug, with its plan; raises ReportingPeriod.DoesNotExist."""
    return ReportingPeriod.objects.select_related("plan").get(slug=slug)


def period_series(*, plan_id: int) -> list[ReportingPeriod]:
    """All of a plan's periods, earliest first: baseline, "last period" and ordinal come from it."""
    return list(ReportingPeriod.objects.filter(plan_id=plan_id).order_by("end"))


def report_outcomes(*, plan_id: int) -> list:
    """The plan's outcomes in order, with their lead directors and criteria (two queries)."""
    from django.db.models import Prefetch

    from outcomes.models import Outcome, SuccessCriterion

    criteria = SuccessCriterion.objects.only("id", "outcome_id", "letter", "text").order_by("letter")
    return list(
        Outcome.objects.filter(plan_id=plan_id)
        .select_related("lead_director")
        .prefetch_related(Prefetch("criteria", queryset=criteria))
        .order_by("number")
    )


def report_assessments(*, period_id: int) -> dict[int, tuple[str, str, bool, str]]:
    """criterion id → (rag, narrative, carried_forward, quoted_text) in one period, in one query.

    `quoted_text` is the earlier text the assessment quotes beneath its own, stored with it.
    """
    from outcomes.models import Assessment

    rows = Assessment.objects.filter(period_id=period_id).values_list(
        "criterion_id", "rag", "narrative", "carried_forward", "quoted_text"
    )
    return {
        criterion_id: (rag, narrative, carried, quoted or "")
        for criterion_id, rag, narrative, carried, quoted in rows
    }


def report_ratings(*, period_ids: list[int]) -> dict[tuple[int, int], str]:
    """(period id, criterion id) → RAG, for the comparison columns (ratings only, no narratives)."""
    from outcomes.models import Assessment

    if not period_ids:
        return {}
    rows = Assessment.objects.filter(period_id__in=period_ids).values_list("period_id", "criterion_id", "rag")
    return {(period_id, criterion_id): rag for period_id, criterion_id, rag in rows}


def report_outcome_summaries(*, period_id: int) -> dict[int, str]:
    """outcome id → Lead Director Summary text in one period."""
    from outcomes.models import OutcomeSummary

    return dict(OutcomeSummary.objects.filter(period_id=period_id).values_list("outcome_id", "text"))


def rag_definition_list(*, plan_id: int) -> dict[str, str]:
    """rating → the plan's definition of it ("Note on definitions")."""
    from outcomes.models import RagDefinition

    return dict(RagDefinition.objects.filter(plan_id=plan_id).values_list("rating", "definition"))


# --------------------------------------------------------------------------- the update cycle
# Pages of the officer / lead director / programme office journeys. Each is a fixed number of
# queries however many criteria the plan has (tests/test_update_query_counts.py).


def assessments_before(*, criterion_id, plan_id, end) -> QuerySet:
    """A criterion's assessments in the plan's periods that ended before `end`, latest first.

    The first is "last period's assessment". The arguments may be `OuterRef`s, so the same rule
    serves one assessment (`assessment_previous`) and a whole page's rows (`_previous_in_plan`).
    """
    from outcomes.models import Assessment

    return Assessment.objects.filter(
        criterion_id=criterion_id, period__plan_id=plan_id, period__end__lt=end
    ).order_by("-period__end")


def _previous_in_plan(field_name: str):
    """Subquery: this criterion's `field_name` in the plan's period before the outer row's period."""
    from django.db.models import OuterRef, Subquery

    earlier = assessments_before(
        criterion_id=OuterRef("criterion_id"),
        plan_id=OuterRef("period__plan_id"),
        end=OuterRef("period__end"),
    )
    return Subquery(earlier.values(field_name)[:1])


def my_update_rows(*, user) -> list:
    """The assessments a person owns in open periods, with last period's RAG (one query)."""
    from outcomes.models import Assessment

    return list(
        Assessment.objects.filter(criterion__owner=user, period__state=PeriodState.OPEN)
        .select_related("period", "criterion__outcome")
        .annotate(previous_rag=_previous_in_plan("rag"))
        .order_by("period__end", "criterion__outcome__number", "criterion__letter")
    )


def assessment_for_update(*, pk: int):
    """One assessment with everything its update page shows; raises Assessment.DoesNotExist."""
    from outcomes.models import Assessment

    return Assessment.objects.select_related(
        "period__plan", "criterion__outcome__lead_director", "criterion__owner", "updated_by"
    ).get(pk=pk)


def assessment_next_for_owner(*, assessment, user):
    """The officer's next criterion after this one in the same period, in plan order; None at the end."""
    from outcomes.models import Assessment

    criterion = assessment.criterion
    return (
        Assessment.objects.filter(period_id=assessment.period_id, criterion__owner=user)
        .filter(
            Q(criterion__outcome__number__gt=criterion.outcome.number)
            | Q(criterion__outcome__number=criterion.outcome.number, criterion__letter__gt=criterion.letter)
        )
        .order_by("criterion__outcome__number", "criterion__letter")
        .first()
    )


def assessment_previous(*, assessment):
    """The same criterion's assessment in the plan's period before this one, or None."""
    return (
        assessments_before(
            criterion_id=assessment.criterion_id,
            plan_id=assessment.period.plan_id,
            end=assessment.period.end,
        )
        .select_related("period")
        .first()
    )


def periods_unpublished(*, plan_ids=None) -> list[ReportingPeriod]:
    """Open and closed periods: the ones still being updated or signed off."""
    periods = (
        ReportingPeriod.objects.exclude(state=PeriodState.PUBLISHED).select_related("plan").order_by("end")
    )
    if plan_ids is not None:
        periods = periods.filter(plan_id__in=plan_ids)
    return list(periods)


def _status_counts(period_id: int) -> dict:
    """An outcome's criteria counted by their assessment's status in the period.

    The join to assessments is limited to the period in its ON clause, so it reads one
    assessment per criterion by the (period, criterion) index instead of every period's.
    """
    from django.db.models import Count, FilteredRelation, Q

    from outcomes.models import AssessmentStatus

    counts = {
        "in_period": FilteredRelation(
            "criteria__assessments", condition=Q(criteria__assessments__period_id=period_id)
        ),
    }
    counts["total"] = Count("in_period__pk")
    for status in AssessmentStatus.values:
        counts[f"count_{status}"] = Count("in_period__pk", filter=Q(in_period__status=status))
    return counts


def signoff_outcomes(*, user, period: ReportingPeriod) -> list:
    """Outcomes `user` leads in the period's plan, with counts of their criteria by status (one query)."""
    from django.db.models import Exists, OuterRef

    from outcomes.models import Outcome, OutcomeSummary

    summary_written = OutcomeSummary.objects.filter(period_id=period.pk, outcome_id=OuterRef("pk")).exclude(
        text=""
    )
    return list(
        Outcome.objects.filter(plan_id=period.plan_id, lead_director=user)
        .annotate(**_status_counts(period.pk), has_summary=Exists(summary_written))
        .order_by("number")
    )


def signoff_rows(*, period: ReportingPeriod, outcome) -> list:
    """An outcome's assessments this period beside last period's rating and narrative (one query)."""
    from outcomes.models import Assessment

    return list(
        Assessment.objects.filter(period=period, criterion__outcome=outcome)
        .select_related("criterion__outcome", "criterion__owner", "updated_by")
        .annotate(
            previous_rag=_previous_in_plan("rag"),
            previous_narrative=_previous_in_plan("narrative"),
            previous_carried_forward=_previous_in_plan("carried_forward"),
        )
        .order_by("criterion__letter")
    )


def outcome_summary_get(*, period: ReportingPeriod, outcome):
    """The outcome's Lead Director Summary row in the period, created empty if the period predates it."""
    from outcomes.models import OutcomeSummary

    summary, _ = OutcomeSummary.objects.get_or_create(period=period, outcome=outcome)
    return summary


def lead_owned_waiting(*, period: ReportingPeriod) -> list:
    """Submitted updates of the period owned by their own outcome's Lead Director (one query).

    Their lead may not approve them, so they wait for the Programme Office (or another Lead
    Director), who approve them from the period's page.
    """
    from django.db.models import F

    from outcomes.models import Assessment, AssessmentStatus

    return list(
        Assessment.objects.filter(
            period=period,
            status=AssessmentStatus.SUBMITTED,
            criterion__owner_id=F("criterion__outcome__lead_director_id"),
        )
        .select_related("criterion__outcome", "criterion__owner")
        .order_by("criterion__outcome__number", "criterion__letter")
    )


def completion_by_outcome(*, period: ReportingPeriod) -> list:
    """Every outcome of the period's plan with counts of its criteria by status (one query)."""
    from outcomes.models import Outcome

    return list(
        Outcome.objects.filter(plan_id=period.plan_id)
        .select_related("lead_director")
        .annotate(**_status_counts(period.pk))
        .order_by("number")
    )


def completion_counts_by_outcome(*, period: ReportingPeriod) -> list:
    """As `completion_by_outcome`, but only each outcome's counts: plain rows, not model objects.

    For totals over every outcome (the dashboard), where building 1,200 outcomes and their
    lead directors cost more than the query.
    """
    from types import SimpleNamespace

    from outcomes.models import AssessmentStatus, Outcome

    names = ["total", *(f"count_{status}" for status in AssessmentStatus.values)]
    counted = (
        Outcome.objects.filter(plan_id=period.plan_id)
        .annotate(**_status_counts(period.pk))
        .order_by("number")
        .values_list(*names)
    )
    return [SimpleNamespace(**dict(zip(names, row, strict=True))) for row in counted]


def outcome_is_signed_off(outcome) -> bool:
    """An outcome from `completion_by_outcome` is signed off once every criterion's update is approved."""
    return bool(outcome.total) and outcome.count_approved == outcome.total


def outstanding_assessments(*, period: ReportingPeriod) -> list:
    """Assessments not yet submitted or approved, with their owners (one query)."""
    from outcomes.models import HANDED_IN_STATUSES, Assessment

    return list(
        Assessment.objects.filter(period=period)
        .exclude(status__in=HANDED_IN_STATUSES)
        .select_related("criterion__owner", "criterion__outcome")
        .order_by(
            "criterion__owner__last_name",
            "criterion__owner__first_name",
            "criterion__outcome__number",
            "criterion__letter",
        )
    )


def period_state_history(*, period: ReportingPeriod) -> list:
    """The period's own history (opened, closed, published, re-opened with reasons), newest first."""
    return list(period.history.select_related("history_user").order_by("-history_date", "-history_id"))


def period_next_defaults(*, plan, today=None) -> dict:
    """Sensible values for opening the next period: the calendar quarter after the plan's latest.

    Slugs follow the UK financial year (April to June is Q1), e.g. "2025-26-q1".
    """
    import datetime as dt

    from django.utils import timezone

    def quarter_start(day: dt.date) -> dt.date:
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)

    def months_later(day: dt.date, months: int) -> dt.date:
        index = day.year * 12 + day.month - 1 + months
        return dt.date(index // 12, index % 12 + 1, 1)

    latest = ReportingPeriod.objects.filter(plan=plan).order_by("-end").first()
    if latest is not None:
        start = quarter_start(latest.end + dt.timedelta(days=1))
        if start <= latest.end:
            start = months_later(start, 3)
    else:
        start = quarter_start(today or timezone.localdate())
    end = months_later(start, 3) - dt.timedelta(days=1)
    first_year = start.year if start.month >= 4 else start.year - 1
    quarter = (start.month - 4) % 12 // 3 + 1
    month = "Sept" if end.month == 9 else f"{end:%b}"
    return {
        "title": f"Quarter to {end:%B %Y}",
        "slug": f"{first_year}-{(first_year + 1) % 100:02d}-q{quarter}",
        "short_label": f"{month} {end:%y}",
        "start": start,
        "end": end,
        # Three weeks after the quarter ends, but never a day already past: opening refuses one.
        "deadline": max(end + dt.timedelta(days=21), today or timezone.localdate()),
    }


def signoff_waiting_count(*, user) -> int:
    """Updates submitted to the outcomes this person leads and not yet signed off (one query).

    A lead's own update is left out: another Lead Director or the Programme Office approves it.
    """
    from outcomes.models import Assessment, AssessmentStatus

    return (
        Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, criterion__outcome__lead_director=user)
        .exclude(period__state=PeriodState.PUBLISHED)
        .exclude(criterion__owner=user)
        .count()
    )
