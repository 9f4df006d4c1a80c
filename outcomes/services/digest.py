"""The Lead Directors' daily digest: the updates newly waiting for their sign-off, each listed once.

A Lead Director's own update (a criterion they own, of an outcome they lead) they may not approve
(outcomes.permissions.can_approve): it goes in the Programme Office's digest instead, linking to
the period's page where they approve it."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.roles import Role
from core.people import display_name
from outcomes import permissions
from outcomes.models import Assessment, AssessmentStatus, PeriodState, SignoffDigestEntry
from outcomes.services.reminders import RemindersSent

logger = logging.getLogger(__name__)

DIGEST_KIND = "sign-off digest"
DIGEST_SUBJECT = "{count} improvement plan update{plural} waiting for your sign-off"
LEAD_OWNED_SUBJECT = "{count} Lead Director's own update{plural} waiting for the Programme Office's approval"


def _newly_waiting() -> tuple[dict, list]:
    """Submitted updates no digest has listed yet (one query): by the Lead Director who may approve
    them, and apart those owned by their own outcome's lead, which the Programme Office approves."""
    listed = SignoffDigestEntry.objects.filter(assessment=OuterRef("pk"), version=OuterRef("version"))
    waiting = (
        Assessment.objects.filter(
            status=AssessmentStatus.SUBMITTED, criterion__outcome__lead_director__isnull=False
        )
        .exclude(period__state=PeriodState.PUBLISHED)
        .exclude(Exists(listed))
        .select_related("period", "criterion__outcome__lead_director", "criterion__owner")
        .order_by("period__end", "criterion__outcome__number", "criterion__letter")
    )
    by_director: dict = defaultdict(list)
    lead_owned: list = []
    directors: dict = {}  # one object per person, so their roles are looked up once, not per row
    for assessment in waiting:
        lead = assessment.criterion.outcome.lead_director
        director = directors.setdefault(lead.pk, lead)
        if permissions.can_approve(director, assessment):
            by_director[director].append(assessment)
        elif permissions.is_owner(director, assessment.criterion):
            # A lead's own update: they may not approve it, so the Programme Office is told instead.
            lead_owned.append(assessment)
    return by_director, lead_owned


def _programme_office() -> list:
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.PROGRAMME_OFFICE, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _digest_email(*, director, assessments: list) -> EmailMessage:
    site = settings.SITE_URL
    items = [
        _item(a, url=reverse("outcomes:signoff_outcome", args=[a.period.slug, a.criterion.outcome_id]))
        for a in assessments
    ]
    context = {
        "name": display_name(director),
        "items": items,
        "signoff_url": site + reverse("outcomes:signoff"),
    }
    count = len(items)
    subject = DIGEST_SUBJECT.format(count=count, plural="" if count == 1 else "s")
    body = render_to_string("outcomes/email/signoff_digest.txt", context)
    return EmailMessage(subject=subject, body=body, to=[director.email])


def _programme_office_email(*, team: list, assessments: list) -> EmailMessage:
    """One message to the whole Programme Office: any of them may approve, so each update is
    listed in one digest only, as the Lead Directors' are."""
    items = [_item(a, url=reverse("outcomes:period_detail", args=[a.period.slug])) for a in assessments]
    context = {"name": "Programme Office", "items": items, "lead_owned": True}
    count = len(items)
    subject = LEAD_OWNED_SUBJECT.format(count=count, plural="" if count == 1 else "s")
    body = render_to_string("outcomes/email/signoff_digest.txt", context)
    return EmailMessage(subject=subject, body=body, to=[person.email for person in team])


def _item(assessment, *, url: str) -> dict:
    return {
        "reference": assessment.criterion.reference,
        "text": assessment.criterion.text,
        "period": assessment.period.title,
        "owner": display_name(assessment.criterion.owner) if assessment.criterion.owner else "",
        "url": settings.SITE_URL + url + f"#criterion-{assessment.pk}",
    }


def signoff_digest_send() -> RemindersSent:
    """Email each Lead Director the updates submitted to them since their last digest.

    Like the reminders, the entries are committed first (a durable block), then the email is sent
    with no lock held; a failed send removes its entries so the next run lists them again, and the
    unique constraint stops a concurrent run from listing them twice. Run it as often as you like.
    """
    result = RemindersSent()
    by_director, lead_owned = _newly_waiting()
    for director, assessments in by_director.items():
        if not director.email:
            result.no_email.append(director.username)
            continue
        _send_listed(
            result,
            recipient=director,
            assessments=assessments,
            email=lambda director=director, assessments=assessments: _digest_email(
                director=director, assessments=assessments
            ),
        )
    if lead_owned:
        team = _programme_office()
        if not team:
            result.no_email.append("the Programme Office")
        else:
            # The entries name the first member: they record that the submission was told, once.
            _send_listed(
                result,
                recipient=team[0],
                assessments=lead_owned,
                email=lambda: _programme_office_email(team=team, assessments=lead_owned),
            )
    return result


def _send_listed(result: RemindersSent, *, recipient, assessments: list, email) -> None:
    try:
        with transaction.atomic(durable=True):
            entries = SignoffDigestEntry.objects.bulk_create(
                SignoffDigestEntry(assessment=a, version=a.version, recipient=recipient) for a in assessments
            )
    except IntegrityError:
        return  # another run listed these a moment ago
    message = email()
    addresses = ", ".join(message.to)
    try:
        message.send()
    except Exception:  # noqa: BLE001 - one bad address must not stop the others
        logger.exception("Sign-off digest to %s failed", addresses)
        SignoffDigestEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
        result.failed.append((DIGEST_KIND, addresses))
        return
    result.sent.append((DIGEST_KIND, addresses))
