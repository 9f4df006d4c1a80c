"""Emails go after the record is committed, never under the write lock, and pages say how many went."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.urls import reverse

from outcomes.models import ReminderKind, ReminderSent
from tests.scenarios import Cycle


class RefusesOfficerB(EmailBackend):
    """A mail server that accepts every address but officer-b's."""

    def send_messages(self, messages):
        if any("officer-b" in address for message in messages for address in message.to):
            raise ConnectionRefusedError("mail server said no")
        return super().send_messages(messages)


class RecordsTheTransaction(EmailBackend):
    """Remembers whether a transaction of its own (beyond the test's) was open while sending."""

    depths: list[int] = []

    def send_messages(self, messages):
        RecordsTheTransaction.depths.append(len(connection.savepoint_ids))
        return super().send_messages(messages)


@pytest.fixture
def cycle(officer, lead_director):
    return Cycle(officer=officer, director=lead_director)


def _chase(client, cycle, programme_office):
    client.force_login(programme_office)
    response = client.post(reverse("outcomes:completion_chase", args=[cycle.period.slug]))
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_chase_page_says_truthfully_how_many_went_and_how_many_failed(
    client, cycle, programme_office, settings
):
    settings.EMAIL_BACKEND = "tests.test_emails_after_commit.RefusesOfficerB"

    [message] = _chase(client, cycle, programme_office)

    assert [sent.to for sent in mail.outbox] == [[cycle.officer.email]]
    assert "Reminder emailed to 1 owner" in message
    assert "1 could not be sent" in message
    # The failed one is not recorded as sent, so it is tried again.
    assert list(ReminderSent.objects.filter(kind=ReminderKind.CHASE).values_list("recipient", flat=True)) == [
        cycle.officer.pk
    ]


def test_a_chase_with_every_email_sent_says_so(client, cycle, programme_office):
    [message] = _chase(client, cycle, programme_office)

    assert len(mail.outbox) == 2
    assert message.startswith("Reminder emailed to 2 owners")
    assert "could not be sent" not in message


def test_reminders_are_sent_with_no_transaction_of_theirs_open(client, cycle, programme_office, settings):
    settings.EMAIL_BACKEND = "tests.test_emails_after_commit.RecordsTheTransaction"
    RecordsTheTransaction.depths = []
    outer = len(connection.savepoint_ids)  # the test's own transaction, which pytest-django rolls back

    _chase(client, cycle, programme_office)

    assert RecordsTheTransaction.depths == [outer, outer]
