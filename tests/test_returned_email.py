"""An officer hears by email, once and only after it is saved, that their update was returned."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from outcomes import services
from outcomes.exceptions import StaleEdit


@pytest.fixture
def submitted(cycle, officer):
    current = cycle.fresh("1a")
    return services.assessment_submit(
        assessment=current, by=officer, rag="A", narrative="Half done.", expected_version=current.version
    )


def _return_through_the_page(client, lead_director, assessment, comment):
    client.force_login(lead_director)
    return client.post(
        reverse("outcomes:assessment_return", args=[assessment.pk]),
        {"comment": comment, "version": assessment.version},
    )


def test_returning_an_update_emails_its_officer_the_comment_and_a_link_after_commit(
    client, cycle, officer, lead_director, submitted, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://irp.example.gov.uk"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _return_through_the_page(client, lead_director, submitted, "Please add the training dates.")
        assert mail.outbox == []  # nothing goes before the return is committed
    for callback in callbacks:
        callback()

    [email] = mail.outbox
    assert email.to == [officer.email]
    assert email.subject == "Quarter to March 2025: your update on 1a was returned"
    assert "Please add the training dates." in email.body
    assert (
        "https://irp.example.gov.uk" + reverse("outcomes:assessment_edit", args=[submitted.pk]) in email.body
    )


def test_the_same_return_posted_twice_sends_one_email(
    client, cycle, lead_director, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _return_through_the_page(client, lead_director, submitted, "Add the dates.")
        again = _return_through_the_page(client, lead_director, submitted, "Add the dates.")

    assert first.status_code == 302
    assert again.status_code == 409  # the page was stale: nothing changed, nothing sent
    assert len(mail.outbox) == 1


def test_a_refused_return_sends_nothing(cycle, lead_director, submitted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(StaleEdit):
        services.assessment_return(
            assessment=submitted,
            by=lead_director,
            comment="Add dates.",
            expected_version=submitted.version - 1,
        )
    assert callbacks == [] and mail.outbox == []


def test_each_new_return_is_its_own_email(
    cycle, officer, lead_director, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.assessment_return(
            assessment=submitted, by=lead_director, comment="Add dates.", expected_version=submitted.version
        )
        again = services.assessment_submit(
            assessment=returned,
            by=officer,
            rag="A",
            narrative="With dates.",
            expected_version=returned.version,
        )
        services.assessment_return(
            assessment=again, by=lead_director, comment="And the venue.", expected_version=again.version
        )
    assert ["And the venue." in message.body for message in mail.outbox] == [False, True]
