"""Reminders: "period opened", deadline and chase emails to owners, each sent once and recorded."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.people import display_name
from outcomes import permissions
from outcomes.exceptions import ChaseNeedsConfirmation, InvalidTransition, NotAllowed
from outcomes.models import (
    HANDED_IN_STATUSES,
    Assessment,
    AssessmentStatus,
    Outcome,
    OutcomeSummary,
    PeriodState,
    ReminderKind,
    ReminderSent,
    ReportingPeriod,
)

logger = logging.getLogger(__name__)


@dataclass
class RemindersSent:
    """What one run of a reminder service did: who was emailed, who was skipped and why."""

    sent: list[tuple[str, str]] = field(default_factory=list)  # (kind, recipient's email)
    failed: list[tuple[str, str]] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)  # usernames of owners without an address

    @property
    def sentence(self) -> str:
        """What a page says after sending: how many went, how many failed, who has no address."""
        sent, failed = len(self.sent), len(self.failed)
        text = f"{sent} {'email was' if sent == 1 else 'emails were'} sent."
        if failed:
            text += f" {failed} could not be sent; they will be tried again."
        if self.no_email:
            text += f" {len(self.no_email)} owner{'s' * (len(self.no_email) != 1)} without an email address: "
            text += ", ".join(self.no_email) + "."
        return text

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
        assessments = assessments.exclude(status__in=HANDED_IN_STATUSES)
    by_owner: dict = defaultdict(list)
    for assessment in assessments:
        by_owner[assessment.criterion.owner].append(assessment)
    return by_owner


def _reminder_email(
    *,
    kind: str,
    period: ReportingPeriod,
    recipient,
    assessments: list,
    signoffs: list = (),
    summaries: list = (),
) -> EmailMessage:
    site = settings.SITE_URL
    context = {
        "recipient": recipient,
        "name": display_name(recipient),
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
        "signoffs": [
            {
                "reference": a.criterion.reference,
                "text": a.criterion.text,
                "url": site + reverse("outcomes:signoff_outcome", args=[period.slug, a.criterion.outcome_id]),
            }
            for a in signoffs
        ],
        "summaries": [
            {
                "number": outcome.number,
                "title": outcome.title,
                "url": site + reverse("outcomes:signoff_outcome", args=[period.slug, outcome.pk]),
            }
            for outcome in summaries
        ],
    }
    deadline = f"{period.deadline:%-d %B %Y}" if period.deadline else ""
    subject = EMAIL_SUBJECTS[kind].format(period=period.title, deadline=deadline)
    body = render_to_string(f"outcomes/email/{kind}.txt", context)
    return EmailMessage(subject=subject, body=body, to=[recipient.email])


def _send(*, kind: str, period: ReportingPeriod, recipients: dict, already: set[int]) -> RemindersSent:
    """One email per owner: recorded and committed first, then sent with no transaction or lock held.

    A slow or failing mail server must never hold the write lock officers' saves wait on, and the
    page must say what really happened: so the record is committed (a durable block, which refuses
    to run inside a caller's transaction rather than let the commit wait for it), the email is sent
    after it, and a failed send removes its record so the next run tries again. `transaction.on_commit`
    would send just as late, but inside a caller's transaction only after this returned, when the
    count of what went could no longer be told.
    """
    result = RemindersSent()
    for recipient, assessments in recipients.items():
        if recipient.pk in already:
            continue
        if not recipient.email:
            result.no_email.append(recipient.username)
            continue
        try:
            with transaction.atomic(durable=True):
                # The unique constraint makes a concurrent run's duplicate fail here, before sending.
                record = ReminderSent.objects.create(period=period, recipient=recipient, kind=kind)
        except IntegrityError:
            continue  # another run sent this one a moment ago
        try:
            _reminder_email(kind=kind, period=period, recipient=recipient, assessments=assessments).send()
        except Exception:  # noqa: BLE001 - one bad address must not stop the others
            logger.exception("Reminder %s to %s for %s failed", kind, recipient.email, period.slug)
            ReminderSent.objects.filter(pk=record.pk).delete()
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


def reminders_send_deadline_changed(
    *, period: ReportingPeriod, previous: dt.date | None, reason: str
) -> RemindersSent:
    """Tell every owner of a criterion in the period its new deadline. Called once per change, after commit.

    Not recorded as a `ReminderSent`: a deadline may change more than once, and each change is told.
    """
    result = RemindersSent()
    site = settings.SITE_URL
    for owner in _assessments_by_owner(period, outstanding_only=False):
        if not owner.email:
            result.no_email.append(owner.username)
            continue
        body = render_to_string(
            "outcomes/email/deadline_changed.txt",
            {
                "name": display_name(owner),
                "period": period,
                "previous": previous,
                "reason": reason,
                "my_updates_url": site + reverse("outcomes:my_updates"),
            },
        )
        subject = f"{period.title}: the deadline for your updates is now {period.deadline:%-d %B %Y}"
        try:
            EmailMessage(subject=subject, body=body, to=[owner.email]).send()
        except Exception:  # noqa: BLE001 - one bad address must not stop the others
            logger.exception("Deadline change to %s for %s failed", owner.email, period.slug)
            result.failed.append(("deadline_changed", owner.email))
            continue
        result.sent.append(("deadline_changed", owner.email))
    return result


# --------------------------------------------------------------------------- chasing by the Programme Office

# Chasing someone again within this long needs the Programme Office to confirm it means to.
CHASE_AGAIN_AFTER = dt.timedelta(hours=24)


def chases_last_sent(*, period: ReportingPeriod) -> dict[int, dt.datetime]:
    """person id → when the Programme Office last chased them in this period (one query)."""
    return dict(
        ReminderSent.objects.filter(period=period, kind=ReminderKind.CHASE)
        .values("recipient_id")
        .annotate(last=Max("sent_at"))
        .values_list("recipient_id", "last")
    )


def signoffs_pending_by_lead_director(period: ReportingPeriod) -> dict:
    """lead director → the submitted updates waiting for their approval (one query)."""
    pending = (
        Assessment.objects.filter(
            period=period,
            status=AssessmentStatus.SUBMITTED,
            criterion__outcome__lead_director__isnull=False,
        )
        .select_related("criterion__outcome__lead_director")
        .order_by("criterion__outcome__number", "criterion__letter")
    )
    by_lead: dict = defaultdict(list)
    for assessment in pending:
        by_lead[assessment.criterion.outcome.lead_director].append(assessment)
    return by_lead


def _check_can_chase(period: ReportingPeriod, by) -> None:
    if not permissions.can_chase(by):
        raise NotAllowed("Only the Programme Office can send reminders.")
    if period.state == PeriodState.PUBLISHED:
        raise InvalidTransition(f"{period.title} is published, so there is nothing to chase.")


def _summaries_unwritten(period: ReportingPeriod, person) -> list:
    """The outcomes `person` leads whose Lead Director Summary for the period is still empty (one query)."""
    written = OutcomeSummary.objects.filter(period=period, outcome=OuterRef("pk")).exclude(text="")
    return list(
        Outcome.objects.filter(plan_id=period.plan_id, lead_director=person)
        .exclude(Exists(written))
        .order_by("number")
    )


def _send_chases(
    *,
    period: ReportingPeriod,
    by,
    updates: dict,
    signoffs: dict,
    again_after: dt.datetime | None,
    summaries: dict | None = None,
) -> RemindersSent:
    """Record and commit one chase per person, then email them with no transaction held.

    Anyone chased within `CHASE_AGAIN_AFTER` is only chased again once the Programme Office has
    confirmed, and `again_after` is the moment it confirmed against: someone chased after that (a
    second click, or a colleague at the same time) is not chased twice. The period row is locked
    while deciding, so two chases at once queue and the second sees the first's records.
    """
    summaries = summaries or {}
    people = {person.pk: person for person in [*updates, *signoffs, *summaries]}
    result = RemindersSent()
    with transaction.atomic(durable=True):
        ReportingPeriod.objects.select_for_update().filter(pk=period.pk).first()
        last = chases_last_sent(period=period)
        recent_since = timezone.now() - CHASE_AGAIN_AFTER
        recent = {
            people[pk]: sent_at
            for pk, sent_at in last.items()
            if pk in people and sent_at > recent_since and (again_after is None or sent_at > again_after)
        }
        if recent and again_after is None:
            raise ChaseNeedsConfirmation(recent)
        to_chase = []
        for person in people.values():
            if person in recent:
                continue  # chased after the confirmation was given: once is enough
            if not person.email:
                result.no_email.append(person.username)
                continue
            record = ReminderSent.objects.create(
                period=period, recipient=person, kind=ReminderKind.CHASE, sent_by=by
            )
            to_chase.append((person, record))
    for person, record in to_chase:
        email = _reminder_email(
            kind=ReminderKind.CHASE,
            period=period,
            recipient=person,
            assessments=updates.get(person, []),
            signoffs=signoffs.get(person, []),
            summaries=summaries.get(person, []),
        )
        try:
            email.send()
        except Exception:  # noqa: BLE001 - one bad address must not stop the others
            logger.exception("Chase to %s for %s failed", person.email, period.slug)
            ReminderSent.objects.filter(pk=record.pk).delete()
            result.failed.append((ReminderKind.CHASE, person.email))
            continue
        result.sent.append((ReminderKind.CHASE, person.email))
    return result


def _outstanding_updates(period: ReportingPeriod) -> dict:
    """Officers can only be chased for their updates while the period is open for them."""
    if period.state != PeriodState.OPEN:
        return {}
    return _assessments_by_owner(period, outstanding_only=True)


def reminder_chase(*, period: ReportingPeriod, by, again_after: dt.datetime | None = None) -> RemindersSent:
    """The Programme Office emails every owner with outstanding updates now."""
    _check_can_chase(period, by)
    if period.state != PeriodState.OPEN:
        raise InvalidTransition(f"{period.title} is not open, so there is nothing to chase.")
    return _send_chases(
        period=period, by=by, updates=_outstanding_updates(period), signoffs={}, again_after=again_after
    )


def reminder_chase_lead_directors(
    *, period: ReportingPeriod, by, again_after: dt.datetime | None = None
) -> RemindersSent:
    """The Programme Office emails every Lead Director with updates waiting for their sign-off."""
    _check_can_chase(period, by)
    signoffs = signoffs_pending_by_lead_director(period)
    if not signoffs:
        raise InvalidTransition(
            "No update is waiting for a Lead Director’s sign-off, so there is no one to chase."
        )
    return _send_chases(period=period, by=by, updates={}, signoffs=signoffs, again_after=again_after)


def reminder_chase_person(
    *, period: ReportingPeriod, person, by, again_after: dt.datetime | None = None
) -> RemindersSent:
    """The Programme Office emails one person: their outstanding updates, and the sign-offs and Lead
    Director Summaries they owe."""
    _check_can_chase(period, by)
    updates = {owner: items for owner, items in _outstanding_updates(period).items() if owner.pk == person.pk}
    signoffs = {
        lead: items
        for lead, items in signoffs_pending_by_lead_director(period).items()
        if lead.pk == person.pk
    }
    unwritten = _summaries_unwritten(period, person)
    summaries = {person: unwritten} if unwritten else {}
    if not updates and not signoffs and not summaries:
        raise InvalidTransition(
            f"{display_name(person)} has no outstanding update, sign-off or summary in {period.title}, "
            "so there is nothing to chase."
        )
    return _send_chases(
        period=period,
        by=by,
        updates=updates,
        signoffs=signoffs,
        summaries=summaries,
        again_after=again_after,
    )
