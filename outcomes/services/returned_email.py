"""The email that tells an officer their update was returned, with the Lead Director's comment."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from core.people import display_name
from outcomes.models import Assessment

logger = logging.getLogger(__name__)

RETURNED_SUBJECT = "{period}: your update on {reference} was returned"


def returned_email(*, assessment: Assessment, comment: str, by) -> EmailMessage | None:
    """The message for one return, or None when the owner has no address."""
    owner = assessment.criterion.owner
    if owner is None or not owner.email:
        return None
    context = {
        "name": display_name(owner),
        "director": display_name(by),
        "reference": assessment.criterion.reference,
        "criterion_text": assessment.criterion.text,
        "period": assessment.period,
        "comment": comment,
        "update_url": settings.SITE_URL + reverse("outcomes:assessment_edit", args=[assessment.pk]),
    }
    subject = RETURNED_SUBJECT.format(
        period=assessment.period.title, reference=assessment.criterion.reference
    )
    body = render_to_string("outcomes/email/returned.txt", context)
    return EmailMessage(subject=subject, body=body, to=[owner.email])


def send_returned_email_after_commit(*, assessment: Assessment, comment: str, by) -> None:
    """Queue the email for when the return is committed: a return rolled back tells no one.

    Called once inside the return's transaction, so one return sends one email; a second click on
    the same page is refused as stale before it gets here.
    """
    message = returned_email(assessment=assessment, comment=comment, by=by)
    if message is None:
        return

    def send() -> None:
        try:
            message.send()
        except Exception:  # noqa: BLE001 - the return is saved; a mail failure must not undo the page
            logger.exception("Returned-update email for assessment %s failed", assessment.pk)

    transaction.on_commit(send)
