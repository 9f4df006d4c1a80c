"""The Lead Directors' daily digest: the updates newly waiting for their sign-off, each listed once."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse

from core.people import display_name
from outcomes import permissions
from outcomes.models import Assessment, AssessmentStatus, PeriodState, SignoffDigestEntry
from outcomes.services.reminders import RemindersSent

logger = logging.getLogger(__name__)

DIGEST_KIND = "sign-off digest"
DIGEST_SUBJECT = "{count} improvement plan update{plural} waiting for your sign-off"


def _newly_waiting() -> dict:
    """Submitted updates no digest has listed yet, by the Lead Director who may approve them (one query)."""
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
    directors: dict = {}  # one object per person, so their roles are looked up once, not per row
    for assessment in waiting:
        lead = assessment.criterion.outcome.lead_director
        director = directors.setdefault(lead.pk, lead)
        # A lead's own update waits for another Lead Director or the Programme Office, not for them.
        if permissions.can_approve(director, assessment):
            by_director[director].append(assessment)
    return by_director


def _digest_email(*, director, assessments: list) -> EmailMessage:
    site = settings.SITE_URL
    items = [
        {
            "reference": a.criterion.reference,
            "text": a.criterion.text,
            "period": a.period.title,
            "owner": display_name(a.criterion.owner) if a.criterion.owner else "",
            "url": site
            + reverse("outcomes:signoff_outcome", args=[a.period.slug, a.criterion.outcome_id])
            + f"#criterion-{a.pk}",
        }
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


def signoff_digest_send() -> RemindersSent:
    """Email each Lead Director the updates submitted to them since their last digest.

    Like the reminders, the entries are committed first (a durable block), then the email is sent
    with no lock held; a failed send removes its entries so the next run lists them again, and the
    unique constraint stops a concurrent run from listing them twice. Run it as often as you like.
    """
    result = RemindersSent()
    for director, assessments in _newly_waiting().items():
        if not director.email:
            result.no_email.append(director.username)
            continue
        try:
            with transaction.atomic(durable=True):
                entries = SignoffDigestEntry.objects.bulk_create(
                    SignoffDigestEntry(assessment=a, version=a.version, recipient=director)
                    for a in assessments
                )
        except IntegrityError:
            continue  # another run listed these a moment ago
        try:
            _digest_email(director=director, assessments=assessments).send()
        except Exception:  # noqa: BLE001 - one bad address must not stop the others
            logger.exception("Sign-off digest to %s failed", director.email)
            SignoffDigestEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
            result.failed.append((DIGEST_KIND, director.email))
            continue
        result.sent.append((DIGEST_KIND, director.email))
    return result
