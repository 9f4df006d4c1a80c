"""Reminders: owners hear when a period opens and before its deadline, never twice; the Programme
Office can chase whenever it needs to."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from outcomes import services
from outcomes.models import AssessmentStatus, PeriodState, ReminderKind, ReminderSent
from tests.scenarios import Cycle


@pytest.fixture
def cycle(officer, lead_director, settings):
    settings.SITE_URL = "https://irp.example.gov.uk"
    settings.REMINDER_DAYS_BEFORE_DEADLINE = 7
    return Cycle(officer=officer, director=lead_director)  # deadline Tuesday 22 April 2025


def run(date: str | None = None) -> str:
    out = StringIO()
    call_command("send_reminders", *(["--date", date] if date else []), stdout=out, stderr=StringIO())
    return out.getvalue()


def emails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def test_opening_a_period_emails_each_owner_once_naming_their_criteria(programme_office, officer, settings):
    settings.SITE_URL = "https://irp.example.gov.uk"
    cycle = Cycle(officer=officer, director=None, state=PeriodState.CLOSED)
    cycle.forget_current_period()

    period = services.period_open_next(
        plan=cycle.plan,
        by=programme_office,
        title="Quarter to March 2025",
        slug="2024-25-q4",
        short_label="Mar 25",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 3, 31),
        deadline=timezone.localdate() + dt.timedelta(days=21),  # a deadline in the past is refused
    )

    assert len(mail.outbox) == 2  # officer (1a, 1b) and officer-b (2a)
    [message] = emails_to(officer)
    assert message.subject == "Quarter to March 2025: your improvement plan updates are open"
    assert f"by {period.deadline:%-d %B %Y}" in message.body
    assert "1a: Criterion 1a is met." in message.body and "1b: Criterion 1b is met." in message.body
    assert "2a" not in message.body
    one_a = period.assessments.get(criterion=cycle.criteria["1a"])
    assert f"https://irp.example.gov.uk{reverse('outcomes:assessment_edit', args=[one_a.pk])}" in message.body
    assert f"https://irp.example.gov.uk{reverse('outcomes:my_updates')}" in message.body

    run("2025-04-01")  # the daily job does not repeat it
    assert len(mail.outbox) == 2


def test_the_daily_job_sends_period_opened_emails_not_yet_sent_and_never_twice(cycle):
    output = run("2025-04-01")

    assert len(mail.outbox) == 2
    assert "2 reminder(s) sent" in output
    assert ReminderSent.objects.filter(kind=ReminderKind.PERIOD_OPENED).count() == 2

    run("2025-04-02")
    run("2025-04-03")
    assert len(mail.outbox) == 2


def test_deadline_reminder_goes_n_days_before_to_owners_with_unfinished_updates_only(cycle, officer):
    for ref in ("1a", "1b"):
        assessment = cycle.fresh(ref)
        services.assessment_submit(
            assessment=assessment, by=officer, rag="G", narrative="Done.", expected_version=assessment.version
        )
    run("2025-04-01")  # "opened" emails only: the deadline is three weeks away
    mail.outbox.clear()

    run("2025-04-14")  # eight days before
    assert mail.outbox == []

    run("2025-04-15")  # seven days before: officer-b still owes 2a
    [message] = mail.outbox
    assert message.to == [cycle.other_officer.email]
    assert message.subject == "Quarter to March 2025: your improvement plan updates are due by 22 April 2025"
    assert "2a: Criterion 2a is met." in message.body
    assert "Status: Not started" in message.body

    run("2025-04-16")
    run("2025-04-30")  # past the deadline: still only once
    assert len(mail.outbox) == 1


def test_an_owner_without_an_email_address_is_reported_not_recorded(cycle):
    cycle.other_officer.email = ""
    cycle.other_officer.save()

    result = services.reminders_send_due(today=dt.date(2025, 4, 1))

    assert result.no_email == [cycle.other_officer.username]
    assert not ReminderSent.objects.filter(recipient=cycle.other_officer).exists()


def test_a_failed_send_is_not_recorded_so_the_next_run_tries_again(cycle, monkeypatch):
    real_send = EmailMessage.send

    def failing(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(EmailMessage, "send", failing)
    with pytest.raises(CommandError, match="tried again on the next run"):
        run("2025-04-01")
    assert ReminderSent.objects.count() == 0

    monkeypatch.setattr(EmailMessage, "send", real_send)
    run("2025-04-01")
    assert len(mail.outbox) == 2


def test_programme_office_chase_sends_to_everyone_outstanding_and_asks_before_chasing_again(
    client, programme_office, officer, cycle
):
    assessment = cycle.fresh("2a")
    services.assessment_submit(
        assessment=assessment, by=cycle.other_officer, rag="A", narrative="Some.", expected_version=1
    )
    client.force_login(programme_office)
    url = reverse("outcomes:completion_chase", args=[cycle.period.slug])

    first = client.post(url, follow=True)
    second = client.post(url)  # within 24 hours: a confirmation page, nothing sent

    assert "Reminder emailed to 1 owner with outstanding updates." in first.content.decode()
    assert second.status_code == 200
    assert "Chase again within a day?" in second.content.decode()
    chased = emails_to(officer)
    assert len(chased) == 1 and len(mail.outbox) == 1  # officer-b has submitted: not chased
    assert chased[0].subject == "Quarter to March 2025: your improvement plan updates are outstanding"
    assert "1a: Criterion 1a is met." in chased[0].body
    assert ReminderSent.objects.filter(kind=ReminderKind.CHASE, recipient=officer).count() == 1


def test_closed_periods_get_no_reminders(cycle, programme_office):
    services.period_close(period=cycle.period, by=programme_office)
    run("2025-04-20")
    assert mail.outbox == []


def test_chasing_a_closed_period_is_refused(client, cycle, programme_office):
    services.period_close(period=cycle.period, by=programme_office)
    client.force_login(programme_office)
    client.post(reverse("outcomes:completion_chase", args=[cycle.period.slug]))
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_the_command_rejects_a_malformed_date(cycle):
    with pytest.raises(CommandError, match="--date must look like"):
        run("22/04/2025")


def test_reminders_count_only_updates_not_yet_submitted_or_approved(cycle, officer, lead_director):
    one_a = cycle.fresh("1a")
    submitted = services.assessment_submit(
        assessment=one_a, by=officer, rag="G", narrative="Done.", expected_version=one_a.version
    )
    services.assessment_approve(assessment=submitted, by=lead_director, expected_version=submitted.version)
    run("2025-04-01")
    mail.outbox.clear()

    run("2025-04-20")

    [message] = emails_to(officer)
    assert "1b: Criterion 1b is met." in message.body
    assert "1a:" not in message.body
    assert cycle.fresh("1a").status == AssessmentStatus.APPROVED
