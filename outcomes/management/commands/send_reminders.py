"""Emails the reminders that are due. Safe to run from cron daily (or more often): nothing is sent twice.

Sends "period opened" emails not yet sent, and one "deadline approaching" email per owner with
unfinished updates once the open period's deadline is `REMINDER_DAYS_BEFORE_DEADLINE` days away
or less, and each Lead Director a digest of the updates submitted to them since the last run
(each submission in one digest only). Email goes through the configured backend (console by
default, SMTP when EMAIL_HOST is set).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from outcomes.services import reminders_send_due
from outcomes.services.digest import signoff_digest_send
from plans.services import delivery_reminders_send_due


class Command(BaseCommand):
    help = "Email the reminders that are due (period opened, deadline approaching). Never sends one twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Act as if today were this date (YYYY-MM-DD), e.g. to test the deadline reminder."
        )

    def handle(self, *args, date: str | None = None, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date must look like 2025-04-14, not {date!r}.") from error
        result = reminders_send_due(today=today)
        delivery = delivery_reminders_send_due(today=today)
        result.sent += delivery.sent
        result.failed += delivery.failed
        result.no_email += delivery.no_email
        # Lead Directors' digest of updates newly waiting for sign-off (not tied to --date: it lists
        # what has been submitted since the last run).
        result += signoff_digest_send()
        for kind, email in result.sent:
            self.stdout.write(f"sent\t{kind}\t{email}")
        for username in result.no_email:
            self.stderr.write(f"skipped\tno email address\t{username}")
        for kind, email in result.failed:
            self.stderr.write(f"failed\t{kind}\t{email}")
        self.stdout.write(f"{len(result.sent)} reminder(s) sent, {len(result.failed)} failed.")
        if result.failed:
            raise CommandError("Some reminders could not be sent; they will be tried again on the next run.")
