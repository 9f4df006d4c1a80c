"""A Lead Director gets one email a day listing the updates newly waiting for their sign-off."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from outcomes import services
from outcomes.models import AssessmentStatus, SignoffDigestEntry
from outcomes.services.digest import signoff_digest_send


def run() -> str:
    out = StringIO()
    call_command("send_reminders", "--date", "2025-01-02", stdout=out, stderr=StringIO())
    return out.getvalue()


def digests_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email] and "waiting for your sign-off" in m.subject]


def submit(cycle, ref, by, narrative="Done."):
    current = cycle.fresh(ref)
    return services.assessment_submit(
        assessment=current, by=by, rag="G", narrative=narrative, expected_version=current.version
    )


def test_the_digest_lists_each_newly_submitted_update_once(cycle, officer, lead_director):
    submit(cycle, "1a", officer)
    submit(cycle, "1b", officer)

    output = run()
    again = run()

    [digest] = digests_to(lead_director)
    assert digest.subject == "2 improvement plan updates waiting for your sign-off"
    assert "1a (Quarter to March 2025): Criterion 1a is met." in digest.body
    assert "1b (Quarter to March 2025)" in digest.body
    assert "2a" not in digest.body  # another director's outcome
    assert f"sign-off digest\t{lead_director.email}" in output
    assert lead_director.email not in again  # re-running the same day sends nothing new
    assert len(digests_to(lead_director)) == 1


def test_only_updates_submitted_since_the_last_digest_are_listed(cycle, officer, lead_director):
    submit(cycle, "1a", officer)
    run()
    submit(cycle, "1b", officer)
    run()

    first, second = digests_to(lead_director)
    assert "1a" in first.body and "1b" not in first.body
    assert "1b" in second.body and "1a (" not in second.body
    assert second.subject == "1 improvement plan update waiting for your sign-off"


def test_a_returned_and_resubmitted_update_is_listed_again_once(cycle, officer, lead_director):
    submitted = submit(cycle, "1a", officer)
    run()
    services.assessment_return(
        assessment=submitted, by=lead_director, comment="Add dates.", expected_version=submitted.version
    )
    submit(cycle, "1a", officer, narrative="Done on 3 March.")
    run()
    run()

    digests = digests_to(lead_director)
    assert len(digests) == 2
    assert "1a (" in digests[1].body


def test_approved_or_returned_updates_are_not_waiting(cycle, officer, lead_director):
    submitted = submit(cycle, "1a", officer)
    services.assessment_approve(assessment=submitted, by=lead_director, expected_version=submitted.version)
    run()
    assert digests_to(lead_director) == []


def test_a_failed_digest_is_tried_again_on_the_next_run(cycle, officer, lead_director, settings):
    submit(cycle, "1a", officer)
    settings.EMAIL_BACKEND = "tests.test_signoff_digest.Refuses"
    result = signoff_digest_send()
    assert result.failed and not SignoffDigestEntry.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert signoff_digest_send().sent == [("sign-off digest", lead_director.email)]


def _lead_owns(cycle, ref, lead_director):
    lead_director.groups.add(Group.objects.get(name=Role.OFFICER))  # a director who also owns a criterion
    criterion = cycle.criteria[ref]
    criterion.owner = lead_director
    criterion.save()


def test_a_lead_directors_own_update_is_in_the_programme_office_digest_once_not_theirs(
    cycle, officer, lead_director, make_user
):
    team = [make_user(Role.PROGRAMME_OFFICE, username=name) for name in ("po-one", "po-two")]
    _lead_owns(cycle, "1a", lead_director)
    submit(cycle, "1a", lead_director, narrative="My own update.")
    submit(cycle, "1b", officer)

    run()
    run()

    [theirs] = digests_to(lead_director)
    assert "1b (" in theirs.body and "1a (" not in theirs.body
    [office] = [m for m in mail.outbox if "Programme Office's approval" in m.subject]
    assert sorted(office.to) == sorted(person.email for person in team)
    assert office.subject == "1 Lead Director's own update waiting for the Programme Office's approval"
    assert "1a (Quarter to March 2025)" in office.body and "1b (" not in office.body
    assert f"/periods/{cycle.period.slug}/" in office.body
    assert "cannot approve their own update" in office.body


def test_the_programme_office_approves_the_lead_directors_own_update_from_the_period_page(
    client, cycle, lead_director, programme_office
):
    _lead_owns(cycle, "1a", lead_director)
    submitted = submit(cycle, "1a", lead_director, narrative="My own update.")
    client.force_login(programme_office)
    period_page = reverse("outcomes:period_detail", args=[cycle.period.slug])

    page = client.get(period_page).content.decode()
    assert "Lead Directors’ own updates" in page
    assert reverse("outcomes:assessment_approve", args=[submitted.pk]) in page

    response = client.post(
        reverse("outcomes:assessment_approve", args=[submitted.pk]), {"version": submitted.version}
    )

    assert response.status_code == 302 and response.url == period_page
    assert cycle.fresh("1a").status == AssessmentStatus.APPROVED
    assert "Lead Directors’ own updates" not in client.get(period_page).content.decode()


def _queries_to_send(cycle, officer, refs) -> int:
    for ref in refs:
        submit(cycle, ref, officer)
    with CaptureQueriesContext(connection) as queries:
        signoff_digest_send()
    return len(queries)


def test_the_digest_query_count_does_not_grow_with_the_updates(cycle, officer, lead_director):
    one = _queries_to_send(cycle, officer, ["1a"])
    SignoffDigestEntry.objects.all().delete()
    two = _queries_to_send(cycle, officer, ["1b"])  # 1a and 1b both newly waiting now
    assert len(mail.outbox[-1].body.split("(Quarter to March 2025)")) == 3
    assert two == one


class Refuses:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server said no")


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
