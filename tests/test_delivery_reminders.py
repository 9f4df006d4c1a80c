"""Milestone reminders: 7 days before due, then weekly while overdue or stale; never twice on a day."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from plans.models import DeliveryReminderSent, Milestone
from tests.delivery_world import DeliveryWorld


@pytest.fixture
def world(officer, programme_office, commissioner, democratic_services, settings):
    settings.SITE_URL = "https://irp.example.gov.uk"
    settings.DELIVERY_STALE_DAYS = 35
    built = DeliveryWorld(
        officer=officer,
        programme_office=programme_office,
        commissioner=commissioner,
        democratic_services=democratic_services,
    )
    # Only M1 (due 31 May 2025) is under test: the others are done.
    Milestone.objects.exclude(pk=built.m1.pk).update(status="complete")
    return built


def run(date: str) -> str:
    out = StringIO()
    call_command("send_reminders", "--date", date, stdout=out, stderr=StringIO())
    return out.getvalue()


def milestone_emails(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email] and "milestone" in m.subject]


def test_the_owner_hears_seven_days_before_the_due_date_once(world):
    Milestone.objects.filter(pk=world.m1.pk).update(last_update_at=dt.datetime(2025, 5, 20, tzinfo=dt.UTC))
    run("2025-05-23")
    assert milestone_emails(world.officer) == []
    run("2025-05-24")
    [email] = milestone_emails(world.officer)
    assert "M1" in email.body and "Milestone due soon" in email.body
    assert "https://irp.example.gov.uk/delivery/milestones/" in email.body
    run("2025-05-24")
    run("2025-05-25")
    assert len(milestone_emails(world.officer)) == 1


def test_running_twice_on_a_day_never_sends_the_same_reminder_twice(world):
    run("2025-06-10")
    run("2025-06-10")
    assert len(milestone_emails(world.officer)) == 1
    assert DeliveryReminderSent.objects.filter(sent_on=dt.date(2025, 6, 10)).count() == 1


def test_an_overdue_milestone_is_chased_weekly_until_it_is_complete(world):
    for day in range(1, 16):
        run(f"2025-06-{day:02d}")
    sent_on = sorted(DeliveryReminderSent.objects.filter(kind="overdue").values_list("sent_on", flat=True))
    assert sent_on == [dt.date(2025, 6, 1), dt.date(2025, 6, 8), dt.date(2025, 6, 15)]
    Milestone.objects.filter(pk=world.m1.pk).update(status="complete")
    run("2025-06-22")
    assert DeliveryReminderSent.objects.count() == 3


def test_a_stale_milestone_is_chased_until_someone_updates_it(world):
    Milestone.objects.filter(pk=world.m1.pk).update(due_date=dt.date(2026, 1, 31))
    run("2025-02-05")  # 35 days after its start: not yet stale
    assert milestone_emails(world.officer) == []
    run("2025-02-06")
    [email] = milestone_emails(world.officer)
    assert "Milestone not updated" in email.body
