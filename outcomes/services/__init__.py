"""Every change in the update cycle: periods, assessments, summaries and reminders.

Each function runs under `transaction.atomic`, checks permission through `outcomes.permissions`,
and saves through the model so django-simple-history writes the historical row, with the acting
user and reason, in the same transaction. Rows that two people may edit at once carry a `version`:
a save based on an older version raises `StaleEdit` with the row as it is now, and nothing is
overwritten.

Locking order, to avoid deadlocks: the period row first, then the assessment or summary. Locking
the period in every write means closing a period cannot interleave with an officer's save.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypedDict, Unpack

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.rag import Rag
from outcomes import permissions
from outcomes.exceptions import (
    IncompleteAssessment,
    InvalidTransition,
    NotAllowed,
    NothingToCarryForward,
    NotYourCriterion,
    NotYourOutcome,
    PeriodClosed,
    PublicationBlocked,
    ReasonRequired,
    StaleEdit,
)
from outcomes.models import (
    NARRATIVE_MAX_LENGTH,
    Assessment,
    AssessmentStatus,
    OutcomeSummary,
    PeriodState,
    ReminderKind,
    ReminderSent,
    ReportingPeriod,
    SuccessCriterion,
)

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 2_000
COMMENT_MAX_LENGTH = 2_000
# Once an update has gone to its Lead Director, changing it needs a written reason.
SIGNED_STATUSES = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)
DONE_STATUSES = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)


def _stamp(instance: Model, *, by, reason: str | None) -> None:
    """The historical row records who acted and why (simple-history reads these on save)."""
    instance._history_user = by
    instance._change_reason = reason or None


def _lock_period(pk: int) -> ReportingPeriod:
    return ReportingPeriod.objects.select_for_update(of=("self",)).select_related("plan").get(pk=pk)


def _lock_assessment(pk: int) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("criterion__outcome", "updated_by")
        .get(pk=pk)
    )


def _clean_text(text: str) -> str:
    """Browsers send CRLF; store LF so a resubmitted text compares equal to the saved one."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _previous_assessment(assessment: Assessment, period: ReportingPeriod) -> Assessment | None:
    return (
        Assessment.objects.filter(
            criterion_id=assessment.criterion_id, period__plan_id=period.plan_id, period__end__lt=period.end
        )
        .order_by("-period__end")
        .first()
    )


# --------------------------------------------------------------------------- periods


def _publication_blockers(period: ReportingPeriod) -> list:
    """What stops `period` being published. The place pre-publication checks plug in.

    Returns a list of findings (anything with a readable `str()` or a `.message`); an empty list
    lets the period be published. The pre-publication checks (`outcomes.checks`) are wired in
    here: every blocking finding and every warning not yet acknowledged stops publication, and
    `PublicationBlocked.blockers` carries those `Finding`s to the publish page.
    """
    from outcomes.checks import period_check

    return period_check(period=period).publication_blockers


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
    if end < start:
        raise InvalidTransition("The period must end on or after the day it starts.")
    if deadline is not None and deadline < start:
        raise InvalidTransition("The deadline for updates must be on or after the day the period starts.")
    try:
        with transaction.atomic():
            from plans.models import Plan

            # Two people opening at once queue on the plan row; the second then sees the open period.
            Plan.objects.select_for_update().get(pk=plan.pk)
            open_period = ReportingPeriod.objects.filter(plan_id=plan.pk, state=PeriodState.OPEN).first()
            if open_period is not None:
                raise InvalidTransition(
                    f"{open_period.title} is still open. Close it before opening the next period."
                )
            if ReportingPeriod.objects.filter(slug=slug).exists():
                raise InvalidTransition(f"A period with the short name “{slug}” already exists.")
            latest = ReportingPeriod.objects.filter(plan_id=plan.pk).order_by("-end").first()
            if latest is not None and start <= latest.end:
                raise InvalidTransition(
                    f"The new period must start after {latest.title} ends ({latest.end:%-d %B %Y})."
                )
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
            created = f"Created when {title} opened"
            criterion_ids = SuccessCriterion.objects.filter(outcome__plan_id=plan.pk).values_list(
                "pk", flat=True
            )
            bulk_create_with_history(
                [Assessment(period=period, criterion_id=pk) for pk in criterion_ids],
                Assessment,
                batch_size=1000,
                default_user=by,
                default_change_reason=created,
            )
            from outcomes.models import Outcome

            outcome_ids = Outcome.objects.filter(plan_id=plan.pk).values_list("pk", flat=True)
            bulk_create_with_history(
                [OutcomeSummary(period=period, outcome_id=pk) for pk in outcome_ids],
                OutcomeSummary,
                batch_size=1000,
                default_user=by,
                default_change_reason=created,
            )
    except IntegrityError as error:
        # The database's own guard (one open period per plan, unique slug) caught a race.
        raise InvalidTransition(
            "Another period was opened at the same time. Reload the periods page and check."
        ) from error
    if send_reminders:
        # After the commit: the email links to rows that now exist, and a mail failure cannot undo them.
        reminders_send_opened(period=period)
    return period


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
        blockers = _publication_blockers(current)
        if blockers:
            raise PublicationBlocked(blockers)
        current.state = PeriodState.PUBLISHED
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
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidTransition(f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer.")
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


# --------------------------------------------------------------------------- officers' updates


def _officer_write(
    *,
    assessment: Assessment,
    by,
    rag: str,
    narrative: str,
    expected_version: int,
    submit: bool,
    carried_forward: bool = False,
    quotes_previous: bool = False,
    reason: str = "",
) -> Assessment:
    rag = rag or ""
    narrative = _clean_text(narrative)
    reason = _clean_text(reason)
    if rag not in Rag.values and rag != "":
        raise InvalidTransition("Choose Red, Amber or Green.")
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidTransition(f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer.")
    with transaction.atomic():
        period = _lock_period(assessment.period_id)
        current = _lock_assessment(assessment.pk)
        current.period = period
        if not permissions.owns_assessment(by, current):
            raise NotYourCriterion()
        if period.state != PeriodState.OPEN:
            raise PeriodClosed(
                f"{period.title} is {period.get_state_display().lower()}, so its updates can no longer "
                "be changed."
            )
        if current.version != expected_version:
            raise StaleEdit(current)
        if carried_forward and quotes_previous:
            raise InvalidTransition(
                "Choose either “Position unchanged since last report” or quoting last period's "
                "assessment beneath yours, not both."
            )
        if carried_forward:
            previous = _previous_assessment(current, period)
            if previous is None or not previous.narrative:
                raise NothingToCarryForward()
            narrative = previous.narrative
            rag = rag or previous.rag
        elif quotes_previous:
            previous = _previous_assessment(current, period)
            if previous is None or not previous.narrative:
                raise InvalidTransition("There is no assessment from the last report to quote.")
        if len(narrative) > NARRATIVE_MAX_LENGTH:
            raise InvalidTransition(
                f"The assessment of progress must be {NARRATIVE_MAX_LENGTH:,} characters or fewer."
            )
        if submit and (not rag or not narrative):
            missing = tuple(name for name, value in (("rag", rag), ("narrative", narrative)) if not value)
            raise IncompleteAssessment(missing=missing)

        content_changed = (rag, narrative, carried_forward, quotes_previous) != (
            current.rag,
            current.narrative,
            current.carried_forward,
            current.quotes_previous,
        )
        unchanged_status = (
            current.status in DONE_STATUSES
            if submit
            else current.status
            in (AssessmentStatus.NOT_STARTED, AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
        )
        if not content_changed and unchanged_status:
            return current  # a save that changes nothing is not a new version
        if current.status in SIGNED_STATUSES and not reason:
            raise ReasonRequired(
                f"Enter the reason for changing this update: it has already been "
                f"{current.get_status_display().lower()}."
            )
        current.rag = rag
        current.narrative = narrative
        current.carried_forward = carried_forward
        current.quotes_previous = quotes_previous
        current.status = AssessmentStatus.SUBMITTED if submit else AssessmentStatus.DRAFT
        if submit:
            current.return_comment = ""  # answered; the comment stays in history
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=reason)
        current.save()
    return current


class OfficerUpdate(TypedDict, total=False):
    """What an officer may change on an update; left out means empty (or not ticked)."""

    carried_forward: bool
    quotes_previous: bool
    reason: str  # needed to change an update already submitted or approved


def assessment_save_draft(
    *,
    assessment: Assessment,
    by,
    rag: str,
    narrative: str,
    expected_version: int,
    **update: Unpack[OfficerUpdate],
) -> Assessment:
    """Keep work in progress: needs no rating or narrative. Taking back a submitted one needs a reason."""
    return _officer_write(
        assessment=assessment,
        by=by,
        rag=rag,
        narrative=narrative,
        expected_version=expected_version,
        submit=False,
        **update,
    )


def assessment_submit(
    *,
    assessment: Assessment,
    by,
    rag: str,
    narrative: str,
    expected_version: int,
    **update: Unpack[OfficerUpdate],
) -> Assessment:
    """Send the update to the Lead Director. Needs a rating and an assessment of progress."""
    return _officer_write(
        assessment=assessment,
        by=by,
        rag=rag,
        narrative=narrative,
        expected_version=expected_version,
        submit=True,
        **update,
    )


# --------------------------------------------------------------------------- lead directors' sign-off


def _signoff_lock(assessment: Assessment, by, expected_version: int) -> tuple[ReportingPeriod, Assessment]:
    period = _lock_period(assessment.period_id)
    current = _lock_assessment(assessment.pk)
    current.period = period
    outcome = current.criterion.outcome
    if not permissions.is_lead_director(by, outcome):
        raise NotYourOutcome()
    if period.state == PeriodState.PUBLISHED:
        raise PeriodClosed(f"{period.title} is published: its record can no longer be changed.")
    if current.version != expected_version:
        raise StaleEdit(
            current,
            f"{current.criterion.reference} was changed since you opened this page. Nothing has been "
            "changed: read the update as it is now saved, then approve or return it.",
        )
    return period, current


def assessment_approve(*, assessment: Assessment, by, expected_version: int) -> Assessment:
    """The Lead Director accepts a submitted update as it stands."""
    with transaction.atomic():
        _period, current = _signoff_lock(assessment, by, expected_version)
        if current.status == AssessmentStatus.APPROVED:
            return current
        if current.status != AssessmentStatus.SUBMITTED:
            raise InvalidTransition(
                f"{current.criterion.reference} cannot be approved: it is "
                f"{current.get_status_display().lower()}, not submitted."
            )
        current.status = AssessmentStatus.APPROVED
        current.return_comment = ""
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=None)
        current.save()
    return current


def assessment_return(*, assessment: Assessment, by, comment: str, expected_version: int) -> Assessment:
    """Send an update back to its officer with a comment they see on their update page."""
    comment = _clean_text(comment)
    if not comment:
        raise ReasonRequired("Enter a comment telling the officer what to change.")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise InvalidTransition(f"The comment must be {COMMENT_MAX_LENGTH:,} characters or fewer.")
    with transaction.atomic():
        period, current = _signoff_lock(assessment, by, expected_version)
        if period.state != PeriodState.OPEN:
            raise InvalidTransition(
                f"{period.title} is closed, so the officer could not act on a returned update. "
                "Ask the Programme Office to re-open it first."
            )
        if current.status not in DONE_STATUSES:
            raise InvalidTransition(
                f"{current.criterion.reference} cannot be returned: it is "
                f"{current.get_status_display().lower()}, not submitted."
            )
        current.status = AssessmentStatus.RETURNED
        current.return_comment = comment
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=comment)
        current.save()
    return current


def outcome_summary_save(*, summary: OutcomeSummary, by, text: str, expected_version: int) -> OutcomeSummary:
    """The Lead Director Summary of one outcome in one period."""
    text = _clean_text(text)
    if len(text) > NARRATIVE_MAX_LENGTH:
        raise InvalidTransition(f"The summary must be {NARRATIVE_MAX_LENGTH:,} characters or fewer.")
    with transaction.atomic():
        period = _lock_period(summary.period_id)
        current = (
            OutcomeSummary.objects.select_for_update(of=("self",))
            .select_related("outcome", "updated_by")
            .get(pk=summary.pk)
        )
        if not permissions.is_lead_director(by, current.outcome):
            raise NotYourOutcome()
        if period.state == PeriodState.PUBLISHED:
            raise PeriodClosed(f"{period.title} is published: its record can no longer be changed.")
        if current.version != expected_version:
            raise StaleEdit(current)
        if current.text == text:
            return current
        current.text = text
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=None)
        current.save()
    return current


# --------------------------------------------------------------------------- reminders


@dataclass
class RemindersSent:
    """What one run of a reminder service did: who was emailed, who was skipped and why."""

    sent: list[tuple[str, str]] = field(default_factory=list)  # (kind, recipient's email)
    failed: list[tuple[str, str]] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)  # usernames of owners without an address

    def __iadd__(self, other: RemindersSent) -> RemindersSent:
        self.sent += other.sent
        self.failed += other.failed
        self.no_email += other.no_email
        return self


EMAIL_SUBJECTS = {
    ReminderKind.PERIOD_OPENED: "{period}: your improvement plan updates are open",
    ReminderKind.DEADLINE_APPROACHING: "{period}: your improvement plan updates are due by {deadline}",
    ReminderKind.CHASE: "{period}: your improvement plan updates are outstanding",
}


def _assessments_by_owner(period: ReportingPeriod, *, outstanding_only: bool) -> dict:
    assessments = (
        Assessment.objects.filter(period=period, criterion__owner__isnull=False)
        .select_related("criterion__outcome", "criterion__owner")
        .order_by("criterion__outcome__number", "criterion__letter")
    )
    if outstanding_only:
        assessments = assessments.exclude(status__in=DONE_STATUSES)
    by_owner: dict = defaultdict(list)
    for assessment in assessments:
        by_owner[assessment.criterion.owner].append(assessment)
    return by_owner


def _reminder_email(*, kind: str, period: ReportingPeriod, recipient, assessments: list) -> EmailMessage:
    site = settings.SITE_URL
    context = {
        "recipient": recipient,
        "name": recipient.get_full_name() or recipient.username,
        "period": period,
        "deadline": period.deadline,
        "my_updates_url": site + reverse("outcomes:my_updates"),
        "items": [
            {
                "reference": a.criterion.reference,
                "text": a.criterion.text,
                "status": a.get_status_display(),
                "url": site + reverse("outcomes:assessment_edit", args=[a.pk]),
            }
            for a in assessments
        ],
    }
    deadline = f"{period.deadline:%-d %B %Y}" if period.deadline else ""
    subject = EMAIL_SUBJECTS[kind].format(period=period.title, deadline=deadline)
    body = render_to_string(f"outcomes/email/{kind}.txt", context)
    return EmailMessage(subject=subject, body=body, to=[recipient.email])


def _send(*, kind: str, period: ReportingPeriod, recipients: dict, already: set[int]) -> RemindersSent:
    """One email per owner, recorded in the same transaction so a failed send is retried next run."""
    result = RemindersSent()
    for recipient, assessments in recipients.items():
        if recipient.pk in already:
            continue
        if not recipient.email:
            result.no_email.append(recipient.username)
            continue
        try:
            with transaction.atomic():
                # The unique constraint makes a concurrent run's duplicate fail here, before sending.
                ReminderSent.objects.create(period=period, recipient=recipient, kind=kind)
                _reminder_email(kind=kind, period=period, recipient=recipient, assessments=assessments).send()
        except IntegrityError:
            continue  # another run sent this one a moment ago
        except Exception:  # noqa: BLE001 - one bad address must not stop the others
            logger.exception("Reminder %s to %s for %s failed", kind, recipient.email, period.slug)
            result.failed.append((kind, recipient.email))
            continue
        result.sent.append((kind, recipient.email))
    return result


def _already_sent(period: ReportingPeriod, kind: str) -> set[int]:
    return set(ReminderSent.objects.filter(period=period, kind=kind).values_list("recipient_id", flat=True))


def reminders_send_opened(*, period: ReportingPeriod) -> RemindersSent:
    """Tell every owner of a criterion in an open period that it is open. Once per owner per period."""
    if period.state != PeriodState.OPEN:
        return RemindersSent()
    kind = ReminderKind.PERIOD_OPENED
    return _send(
        kind=kind,
        period=period,
        recipients=_assessments_by_owner(period, outstanding_only=False),
        already=_already_sent(period, kind),
    )


def reminders_send_due(*, today: dt.date | None = None) -> RemindersSent:
    """The daily job: "period opened" emails not yet sent, and one deadline reminder per owner.

    Deadline reminders go, once, to owners whose updates are not yet submitted or approved when
    `today` is within `REMINDER_DAYS_BEFORE_DEADLINE` days of the deadline (or past it). Safe to
    run as often as you like: nothing is sent twice.
    """
    today = today or timezone.localdate()
    days_before = dt.timedelta(days=settings.REMINDER_DAYS_BEFORE_DEADLINE)
    result = RemindersSent()
    for period in (
        ReportingPeriod.objects.filter(state=PeriodState.OPEN).select_related("plan").order_by("end")
    ):
        result += reminders_send_opened(period=period)
        if period.deadline is not None and today >= period.deadline - days_before:
            kind = ReminderKind.DEADLINE_APPROACHING
            result += _send(
                kind=kind,
                period=period,
                recipients=_assessments_by_owner(period, outstanding_only=True),
                already=_already_sent(period, kind),
            )
    return result


def reminder_chase(*, period: ReportingPeriod, by) -> RemindersSent:
    """The Programme Office emails every owner with outstanding updates now (always sends)."""
    if not permissions.can_chase(by):
        raise NotAllowed("Only the Programme Office can send reminders.")
    if period.state != PeriodState.OPEN:
        raise InvalidTransition(f"{period.title} is not open, so there is nothing to chase.")
    return _send(
        kind=ReminderKind.CHASE,
        period=period,
        recipients=_assessments_by_owner(period, outstanding_only=True),
        already=set(),
    )


# --------------------------------------------------------------------------- pre-publication checks


def check_acknowledge(*, period: ReportingPeriod, finding_key: str, by, reason: str):
    """The Programme Office accepts a pre-publication warning, saying why; it then no longer blocks.

    Blocking findings cannot be acknowledged: they must be fixed. Acknowledging the same finding
    again replaces the reason; the earlier one stays in the acknowledgement's history.
    """
    from outcomes.checks import period_check
    from outcomes.models import CheckAcknowledgement
    from outcomes.permissions import can_acknowledge_findings

    if not can_acknowledge_findings(by):
        raise NotAllowed("Only the Programme Office can acknowledge a pre-publication warning.")
    reason = _clean_text(reason)
    if not reason:
        raise ReasonRequired("Enter a reason for acknowledging this warning.")
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidTransition(f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer.")
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
