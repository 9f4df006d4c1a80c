"""The Programme Office's journey: open, close, publish and re-open periods; acknowledge checks' warnings."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.text import has_line_break_or_control
from outcomes import permissions
from outcomes.exceptions import InvalidTransition, NotAllowed, PublicationBlocked, ReasonRequired
from outcomes.models import (
    Assessment,
    DatePrecision,
    Outcome,
    OutcomeSummary,
    PeriodState,
    ReportingPeriod,
    SuccessCriterion,
)
from outcomes.services._common import _check_reason_length, _clean_text, _lock_period, _stamp
from outcomes.services.reminders import reminders_send_deadline_changed, reminders_send_opened


def _publication_blockers(period: ReportingPeriod) -> list:
    """What stops `period` being published. The place pre-publication checks plug in.

    Returns a list of findings (anything with a readable `str()` or a `.message`); an empty list
    lets the period be published. The pre-publication checks (`outcomes.checks`) are wired in
    here: every blocking finding and every warning not yet acknowledged stops publication, and
    `PublicationBlocked.blockers` carries those `Finding`s to the publish page.
    """
    from outcomes.checks import period_check

    return period_check(period=period).publication_blockers


DEADLINE_IN_THE_PAST = "Deadline must be today or in the future."


def _check_deadline_not_past(deadline: dt.date | None) -> None:
    """Officers cannot meet a deadline that has gone: refused when opening and when changing it."""
    if deadline is not None and deadline < timezone.localdate():
        raise InvalidTransition(DEADLINE_IN_THE_PAST, field="deadline")


def publication_blockers(*, period: ReportingPeriod) -> list:
    """What stops publication now, decided as `period_publish` decides it: the Publish button shows it."""
    # Looked up on the package, where `_publication_blockers` has always been the seam tests replace.
    from outcomes import services

    return services._publication_blockers(period)


def _check_period_dates(*, start: dt.date, end: dt.date, deadline: dt.date | None) -> None:
    _check_deadline_not_past(deadline)
    if end < start:
        raise InvalidTransition("The last day must be on or after the first day.", field="end")
    if deadline is not None and deadline < start:
        raise InvalidTransition(
            "The deadline must be on or after the first day of the period.", field="deadline"
        )


def _check_single_line(**labels: str) -> None:
    """Titles and labels reach email subjects and terminal output: one line, no control characters."""
    for name, value in labels.items():
        if has_line_break_or_control(value):
            raise InvalidTransition(
                "Enter this on one line, without line breaks or control characters.", field=name
            )


def _check_period_fits(*, plan, slug: str, start: dt.date) -> None:
    """Refuse a second open period, a taken short name, or a period overlapping the latest one."""
    open_period = ReportingPeriod.objects.filter(plan_id=plan.pk, state=PeriodState.OPEN).first()
    if open_period is not None:
        raise InvalidTransition(
            f"{open_period.title} is still open. Close it before opening the next period."
        )
    if ReportingPeriod.objects.filter(slug=slug).exists():
        raise InvalidTransition("A period with this short name already exists.", field="slug")
    latest = ReportingPeriod.objects.filter(plan_id=plan.pk).order_by("-end").first()
    if latest is not None and start <= latest.end:
        raise InvalidTransition(
            f"The new period must start after {latest.title} ends ({latest.end:%-d %B %Y})."
        )


def _create_period_rows(*, period: ReportingPeriod, plan, by) -> None:
    """A not-started assessment per criterion and an empty summary per outcome, with their history."""
    created = f"Created when {period.title} opened"
    criterion_ids = SuccessCriterion.objects.filter(outcome__plan_id=plan.pk).values_list("pk", flat=True)
    bulk_create_with_history(
        [Assessment(period=period, criterion_id=pk) for pk in criterion_ids],
        Assessment,
        batch_size=1000,
        default_user=by,
        default_change_reason=created,
    )
    outcome_ids = Outcome.objects.filter(plan_id=plan.pk).values_list("pk", flat=True)
    bulk_create_with_history(
        [OutcomeSummary(period=period, outcome_id=pk) for pk in outcome_ids],
        OutcomeSummary,
        batch_size=1000,
        default_user=by,
        default_change_reason=created,
    )


def period_open_next(
    *,
    plan,
    by,
    title: str,
    slug: str,
    short_label: str,
    start: dt.date,
    end: dt.date,
    deadline: dt.date | None,
    send_reminders: bool = True,
) -> ReportingPeriod:
    """Open the plan's next period: a not-started assessment per criterion, an empty summary per outcome.

    Owners are then emailed that the period is open (through the idempotent reminder service).
    """
    if not permissions.can_run_periods(by):
        raise NotAllowed("Only the Programme Office can open a reporting period.")
    _check_period_dates(start=start, end=end, deadline=deadline)
    _check_single_line(title=title, short_label=short_label)
    try:
        with transaction.atomic():
            from plans.models import Plan

            # Two people opening at once queue on the plan row; the second then sees the open period.
            Plan.objects.select_for_update().get(pk=plan.pk)
            _check_period_fits(plan=plan, slug=slug, start=start)
            period = ReportingPeriod(
                plan_id=plan.pk,
                title=title,
                slug=slug,
                short_label=short_label,
                start=start,
                end=end,
                deadline=deadline,
                state=PeriodState.OPEN,
            )
            _stamp(period, by=by, reason="Opened for updates")
            period.save()
            _create_period_rows(period=period, plan=plan, by=by)
    except IntegrityError as error:
        # The database's own guard (one open period per plan, unique slug) caught a race.
        raise InvalidTransition(
            "Another period was opened at the same time. Reload the periods page and check."
        ) from error
    if send_reminders:
        # After the commit: the email links to rows that now exist, and a mail failure cannot undo them.
        reminders_send_opened(period=period)
    return period


def _day(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else "none"


def period_change_deadline(*, period: ReportingPeriod, by, deadline: dt.date, reason: str) -> ReportingPeriod:
    """Move an open period's deadline, saying why. Every owner is emailed the new date once, after commit."""
    if not permissions.can_run_periods(by):
        raise NotAllowed("Only the Programme Office can change a period's deadline.")
    reason = _clean_text(reason)
    if not reason:
        raise ReasonRequired("Enter the reason for changing the deadline.", field="reason")
    _check_reason_length(reason)
    _check_deadline_not_past(deadline)
    with transaction.atomic():
        current = _lock_period(period.pk)
        if current.state != PeriodState.OPEN:
            raise InvalidTransition(
                f"{current.title} is {current.get_state_display().lower()}, "
                "so its deadline can no longer be changed."
            )
        if deadline < current.start:
            raise InvalidTransition(
                "The deadline must be on or after the first day of the period.", field="deadline"
            )
        if deadline == current.deadline:
            raise InvalidTransition(
                f"The deadline is already {deadline:%-d %B %Y}. Enter a different date.", field="deadline"
            )
        previous = current.deadline
        current.deadline = deadline
        _stamp(current, by=by, reason=f"Deadline changed from {_day(previous)} to {_day(deadline)}: {reason}")
        current.save()
        transaction.on_commit(
            lambda: reminders_send_deadline_changed(period=current, previous=previous, reason=reason)
        )
    return current


def _transition(
    *, period: ReportingPeriod, by, allowed_from: tuple[str, ...], to: str, reason: str, refusal: str
) -> ReportingPeriod:
    with transaction.atomic():
        current = _lock_period(period.pk)
        if current.state not in allowed_from:
            raise InvalidTransition(refusal.format(title=current.title, state=current.get_state_display()))
        current.state = to
        _stamp(current, by=by, reason=reason)
        current.save()
    return current


def period_close(*, period: ReportingPeriod, by) -> ReportingPeriod:
    """No more officer edits; Lead Directors can still approve and write summaries."""
    if not permissions.can_run_periods(by):
        raise NotAllowed("Only the Programme Office can close a reporting period.")
    return _transition(
        period=period,
        by=by,
        allowed_from=(PeriodState.OPEN,),
        to=PeriodState.CLOSED,
        reason="Closed for updates",
        refusal="{title} cannot be closed: it is {state}.",
    )


def period_publish(*, period: ReportingPeriod, by) -> ReportingPeriod:
    """Freeze a closed period as the official record. Refused while `_publication_blockers` finds any."""
    if not permissions.can_run_periods(by):
        raise NotAllowed("Only the Programme Office can publish a reporting period.")
    with transaction.atomic():
        current = _lock_period(period.pk)
        if current.state != PeriodState.CLOSED:
            raise InvalidTransition(
                f"{current.title} cannot be published: it is {current.get_state_display().lower()}. "
                "Close it first."
                if current.state == PeriodState.OPEN
                else f"{current.title} is already published."
            )
        blockers = publication_blockers(period=current)
        if blockers:
            raise PublicationBlocked(blockers)
        current.state = PeriodState.PUBLISHED
        if current.report_date is None:
            # The report is dated by its publication from now on, whenever it is downloaded.
            current.report_date = timezone.localdate()
            current.report_date_precision = DatePrecision.DAY
        _stamp(current, by=by, reason="Published")
        current.save()
    return current


def period_reopen(*, period: ReportingPeriod, by, reason: str) -> ReportingPeriod:
    """Open a closed or published period again. The written reason is kept in the period's history."""
    if not permissions.can_run_periods(by):
        raise NotAllowed("Only the Programme Office can re-open a reporting period.")
    reason = _clean_text(reason)
    if not reason:
        raise ReasonRequired("Enter the reason for re-opening this period.")
    _check_reason_length(reason)
    with transaction.atomic():
        current = _lock_period(period.pk)
        if current.state == PeriodState.OPEN:
            raise InvalidTransition(f"{current.title} is already open.")
        other = (
            ReportingPeriod.objects.filter(plan_id=current.plan_id, state=PeriodState.OPEN)
            .exclude(pk=current.pk)
            .first()
        )
        if other is not None:
            raise InvalidTransition(
                f"{other.title} is open. Only one period can be open at a time: close it first."
            )
        current.state = PeriodState.OPEN
        _stamp(current, by=by, reason=reason)
        current.save()
    return current


def check_acknowledge(*, period: ReportingPeriod, finding_key: str, by, reason: str):
    """The Programme Office accepts a pre-publication warning, saying why; it then no longer blocks.

    Blocking findings cannot be acknowledged: they must be fixed. Acknowledging the same finding
    again replaces the reason; the earlier one stays in the acknowledgement's history.
    """
    from outcomes.checks import period_check
    from outcomes.models import CheckAcknowledgement

    if not permissions.can_acknowledge_findings(by):
        raise NotAllowed("Only the Programme Office can acknowledge a pre-publication warning.")
    reason = _clean_text(reason)
    if not reason:
        raise ReasonRequired("Enter a reason for acknowledging this warning.")
    _check_reason_length(reason)
    with transaction.atomic():
        current = _lock_period(period.pk)
        finding = period_check(period=current).finding(finding_key)
        if finding is None:
            raise InvalidTransition(
                "That finding no longer applies to this period: run the checks again to see the current ones."
            )
        if finding.blocks:
            raise InvalidTransition(
                f"The finding on {finding.subject} blocks publication, so it must be fixed: "
                "it cannot be acknowledged."
            )
        acknowledgement = CheckAcknowledgement.objects.filter(
            period=current, finding_key=finding_key
        ).first() or CheckAcknowledgement(period=current, finding_key=finding_key)
        acknowledgement.reason = reason
        acknowledgement.acknowledged_by = by
        acknowledgement.acknowledged_at = timezone.now()
        # The history row's reason field holds 100 characters; the full reason is on the row itself.
        _stamp(acknowledgement, by=by, reason=f"Acknowledged: {reason}"[:100])
        acknowledgement.save()
    return acknowledgement
