"""The Programme Office chases one person, or every Lead Director with sign-offs pending; it sees when
each was last chased, and is asked before chasing anyone again within a day. Each chase emails once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outcomes import services
from outcomes.exceptions import ChaseNeedsConfirmation, InvalidTransition
from outcomes.models import PeriodState, ReminderKind, ReminderSent


@pytest.fixture
def po_client(client, programme_office):
    client.force_login(programme_office)
    return client


def emails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def submit(cycle, ref: str, by) -> None:
    services.assessment_submit(
        assessment=cycle.fresh(ref), by=by, rag="A", narrative="Progress made.", expected_version=1
    )


def test_chasing_one_owner_emails_them_once_after_the_chase_is_recorded(
    po_client, cycle, officer, programme_office, django_capture_on_commit_callbacks
):
    url = reverse("outcomes:chase_person", args=[cycle.period.slug, officer.pk])
    completion = reverse("outcomes:completion", args=[cycle.period.slug])

    with django_capture_on_commit_callbacks(execute=True):
        response = po_client.post(url, {"next": completion})

    assert response.status_code == 302 and response.url == completion
    assert len(mail.outbox) == 1 and emails_to(officer)
    assert "1a: Criterion 1a is met." in mail.outbox[0].body
    chase = ReminderSent.objects.get(kind=ReminderKind.CHASE)
    assert (chase.recipient, chase.sent_by) == (officer, programme_office)
    page = po_client.get(completion).content.decode()
    assert "Reminder emailed to 1 person:" in page
    assert "Last chased" in page


def test_chasing_again_within_a_day_asks_first_and_sends_only_when_confirmed(po_client, cycle, officer):
    url = reverse("outcomes:chase_person", args=[cycle.period.slug, officer.pk])
    po_client.post(url)

    asked = po_client.post(url)

    assert asked.status_code == 200
    body = asked.content.decode()
    assert "Chase again within a day?" in body and "Yes, chase again" in body
    assert len(mail.outbox) == 1  # nothing more sent until confirmed
    seen = asked.context["seen_up_to"]

    confirmed = po_client.post(url, {"again_after": seen})
    double_click = po_client.post(url, {"again_after": seen})

    assert confirmed.status_code == double_click.status_code == 302
    assert len(emails_to(officer)) == 2  # the second click of the same confirmation sends nothing
    assert ReminderSent.objects.filter(kind=ReminderKind.CHASE, recipient=officer).count() == 2


def test_a_chase_more_than_a_day_old_needs_no_confirmation(po_client, cycle, officer):
    ReminderSent.objects.create(period=cycle.period, recipient=officer, kind=ReminderKind.CHASE)
    ReminderSent.objects.update(sent_at=timezone.now() - dt.timedelta(hours=25))

    response = po_client.post(reverse("outcomes:chase_person", args=[cycle.period.slug, officer.pk]))

    assert response.status_code == 302
    assert len(emails_to(officer)) == 1


def test_the_lead_directors_with_sign_offs_pending_are_chased_together(
    po_client, cycle, officer, lead_director
):
    submit(cycle, "1a", officer)  # waits for lead_director; outcome 2's director has nothing waiting
    mail.outbox.clear()

    response = po_client.post(reverse("outcomes:chase_lead_directors", args=[cycle.period.slug]))

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[lead_director.email]]
    body = mail.outbox[0].body
    assert "1 update for Quarter to March 2025 is waiting for your sign-off" in body
    assert reverse("outcomes:signoff_outcome", args=[cycle.period.slug, cycle.outcomes[1].pk]) in body


def test_the_completion_page_lists_the_lead_directors_to_chase_and_when_each_was_last_chased(
    po_client, cycle, officer, lead_director, programme_office
):
    submit(cycle, "1a", officer)
    services.reminder_chase_person(period=cycle.period, person=lead_director, by=programme_office)

    page = po_client.get(reverse("outcomes:completion", args=[cycle.period.slug])).content.decode()

    assert "Chase the 1 Lead Director with sign-offs pending" in page
    assert "1 update waiting: 1a" in page
    assert "Last chased 0" in page and "Not chased yet" in page  # the director, then the officer


def test_someone_with_nothing_outstanding_is_not_chased(cycle, programme_office, commissioner):
    with pytest.raises(InvalidTransition, match="nothing to chase"):
        services.reminder_chase_person(period=cycle.period, person=commissioner, by=programme_office)
    assert mail.outbox == []


def test_a_lead_director_whose_summary_is_unwritten_is_chased_for_it(cycle, programme_office):
    services.reminder_chase_person(period=cycle.period, person=cycle.other_director, by=programme_office)

    [message] = mail.outbox
    assert message.to == [cycle.other_director.email]
    assert "Your Lead Director Summary for Quarter to March 2025 is not yet written for:" in message.body
    assert "Outcome 2: Effective scrutiny" in message.body
    assert "Outcome 1" not in message.body


def test_the_service_refuses_a_recent_chase_without_confirmation(cycle, officer, programme_office):
    services.reminder_chase_person(period=cycle.period, person=officer, by=programme_office)

    with pytest.raises(ChaseNeedsConfirmation) as asked:
        services.reminder_chase_person(period=cycle.period, person=officer, by=programme_office)

    assert list(asked.value.recent) == [officer]
    assert len(mail.outbox) == 1


def test_only_the_programme_office_can_chase(client, cycle, officer, lead_director):
    client.force_login(lead_director)
    response = client.post(reverse("outcomes:chase_person", args=[cycle.period.slug, officer.pk]))
    assert response.status_code == 403
    assert mail.outbox == []


def test_a_published_period_is_not_chased(po_client, cycle, officer):
    cycle.period.state = PeriodState.PUBLISHED
    cycle.period.save()
    response = po_client.post(
        reverse("outcomes:chase_person", args=[cycle.period.slug, officer.pk]), follow=True
    )
    assert "is published, so there is nothing to chase" in response.content.decode()
    assert mail.outbox == []


def test_a_tampered_confirmation_is_refused_with_a_message(po_client, cycle, officer):
    response = po_client.post(
        reverse("outcomes:chase_person", args=[cycle.period.slug, officer.pk]),
        {"again_after": "yesterday"},
        follow=True,
    )
    assert "The confirmation was not valid" in response.content.decode()
    assert mail.outbox == []


def test_a_return_address_on_another_site_is_ignored(po_client, cycle, officer):
    response = po_client.post(
        reverse("outcomes:chase_person", args=[cycle.period.slug, officer.pk]),
        {"next": "https://evil.example.com/"},
    )
    assert response.url == reverse("outcomes:completion", args=[cycle.period.slug])
