"""The Programme Office moves an open period's deadline, saying why; owners are told once, after commit.
Dates are asked for with the GOV.UK date input, and a deadline in the past is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outcomes import services
from outcomes.exceptions import InvalidTransition, NotAllowed
from outcomes.models import PeriodState, ReportingPeriod
from tests.scenarios import date_input, days_from_today


@pytest.fixture
def po_client(client, programme_office):
    client.force_login(programme_office)
    return client


def change(client, cycle, deadline: str, reason: str = "Cabinet moved to the following week."):
    return client.post(
        reverse("outcomes:period_change_deadline", args=[cycle.period.slug]),
        {**date_input("deadline", deadline), "reason": reason},
    )


def test_changing_the_deadline_tells_every_owner_once_after_commit_and_keeps_the_reason(
    po_client, cycle, officer, django_capture_on_commit_callbacks
):
    new = days_from_today(10)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = change(po_client, cycle, new)

    assert response.status_code == 302
    assert len(callbacks) == 1  # the emails wait for the commit
    cycle.period.refresh_from_db()
    assert cycle.period.deadline == dt.date.fromisoformat(new)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, cycle.other_officer.email])
    day = f"{cycle.period.deadline:%-d %B %Y}"
    assert mail.outbox[0].subject == f"Quarter to March 2025: the deadline for your updates is now {day}"
    assert "from 22 April 2025 to" in mail.outbox[0].body
    assert "Cabinet moved to the following week." in mail.outbox[0].body
    latest = cycle.period.history.latest()
    assert latest.history_change_reason == (
        f"Deadline changed from 22 April 2025 to {day}: Cabinet moved to the following week."
    )
    page = po_client.get(reverse("outcomes:period_detail", args=[cycle.period.slug])).content.decode()
    assert f"The deadline is now {day}" in page
    assert "Cabinet moved to the following week." in page  # the period's history shows the reason


def test_nothing_is_emailed_if_the_change_is_rolled_back(
    cycle, programme_office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.period_change_deadline(
            period=cycle.period,
            by=programme_office,
            deadline=timezone.localdate(),
            reason="Moved.",
        )
    assert len(callbacks) == 1 and mail.outbox == []


@pytest.mark.parametrize(
    ("deadline", "reason", "message"),
    [
        (days_from_today(-1), "Late.", "Deadline must be today or in the future"),
        ("2031--", "Late.", "Deadline must include a day and month"),
        ("2031-2-", "Late.", "Deadline must include a day"),
        ("2031-02-30", "Late.", "Deadline must be a real date"),
        ("", "Late.", "Enter the new deadline"),
        (days_from_today(5), "   ", "Enter the reason for changing the deadline"),
    ],
    ids=["past", "no-day-and-month", "no-day", "not-real", "empty", "no-reason"],
)
def test_a_bad_deadline_or_missing_reason_is_refused_beside_the_field_and_nothing_changes(
    po_client, cycle, deadline, reason, message
):
    response = change(po_client, cycle, deadline, reason)

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert 'class="govuk-date-input"' in body and 'type="date"' not in body
    cycle.period.refresh_from_db()
    assert cycle.period.deadline == dt.date(2025, 4, 22)
    assert mail.outbox == []


def test_only_the_missing_part_of_a_date_is_marked(po_client, cycle):
    body = change(po_client, cycle, "2031-2-").content.decode()
    assert 'govuk-input--width-2 govuk-input--error" id="id_deadline"' in body  # the day
    assert 'govuk-input--width-2" id="id_deadline-month"' in body  # the month was given


def test_a_closed_periods_deadline_cannot_be_changed(cycle, programme_office):
    services.period_close(period=cycle.period, by=programme_office)
    with pytest.raises(InvalidTransition, match="closed"):
        services.period_change_deadline(
            period=cycle.period, by=programme_office, deadline=timezone.localdate(), reason="Why not."
        )
    assert ReportingPeriod.objects.get(pk=cycle.period.pk).deadline == dt.date(2025, 4, 22)


def test_only_the_programme_office_changes_a_deadline(client, cycle, lead_director):
    with pytest.raises(NotAllowed):
        services.period_change_deadline(
            period=cycle.period, by=lead_director, deadline=timezone.localdate(), reason="Mine."
        )
    client.force_login(lead_director)
    assert change(client, cycle, days_from_today(3)).status_code == 403


def test_the_period_page_offers_the_change_only_while_open(po_client, cycle, programme_office):
    url = reverse("outcomes:period_detail", args=[cycle.period.slug])
    change_url = reverse("outcomes:period_change_deadline", args=[cycle.period.slug])
    assert change_url in po_client.get(url).content.decode()
    services.period_close(period=cycle.period, by=programme_office)
    assert change_url not in po_client.get(url).content.decode()
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.CLOSED
