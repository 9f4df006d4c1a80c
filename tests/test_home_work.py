"""Each role's home page shows its own work this quarter, and only pages that role can open."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from outcomes import services
from outcomes.checks import period_check
from outcomes.models import AssessmentStatus
from tests.factories import AssessmentFactory, SuccessCriterionFactory, UserFactory


@pytest.fixture
def due_in_five_days(cycle):
    cycle.period.deadline = timezone.localdate() + dt.timedelta(days=5)
    cycle.period.save()
    return cycle


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def submit(cycle, ref, by):
    current = cycle.fresh(ref)
    return services.assessment_submit(
        assessment=current, by=by, rag="G", narrative="Done.", expected_version=current.version
    )


def test_an_officer_sees_how_many_updates_are_due_and_when(client, officer, due_in_five_days):
    page = home(client, officer)
    assert "2 updates due in 5 days for Quarter to March 2025" in page
    deadline = due_in_five_days.period.deadline
    assert f"Deadline: {deadline:%A %-d %B %Y}" in page

    submit(due_in_five_days, "1a", officer)
    assert "1 update due in 5 days" in home(client, officer)


def test_an_officer_is_told_when_updates_are_overdue_or_returned(client, officer, lead_director, cycle):
    cycle.period.deadline = timezone.localdate() - dt.timedelta(days=2)
    cycle.period.save()
    submitted = submit(cycle, "1b", officer)
    services.assessment_return(assessment=submitted, by=lead_director, comment="Dates.", expected_version=2)

    page = home(client, officer)
    assert "2 updates overdue by 2 days for Quarter to March 2025, 1 returned to you" in page
    assert "Needs action" in page


def test_every_link_on_an_officers_home_page_opens(client, officer, due_in_five_days):
    page = home(client, officer)
    main = page[page.index("<main") : page.index("</main>")]
    links = set(re.findall(r'href="(/[^"#]*)', main))
    assert reverse("outcomes:my_updates") in links
    for url in links:
        assert client.get(url).status_code == 200, url


def test_a_lead_director_sees_how_many_wait_for_their_sign_off(client, officer, lead_director, cycle):
    assert "Nothing is waiting for your sign-off" in home(client, lead_director)
    submit(cycle, "1a", officer)
    submit(cycle, "1b", officer)
    page = home(client, lead_director)
    assert "2 waiting for your sign-off" in page
    assert reverse("outcomes:signoff") in page


def test_the_programme_office_sees_the_blocking_checks_the_checks_page_counts(
    client, programme_office, cycle
):
    blocking = len(period_check(period=cycle.period).blocking)
    assert blocking > 0  # nothing is submitted yet, so the checks must find something

    page = home(client, programme_office)

    assert f"Quarter to March 2025 checks: {blocking} blocking" in page
    assert reverse("outcomes:period_checks", args=[cycle.period.slug]) in page


def test_a_commissioner_sees_the_open_quarters_completion(client, officer, commissioner, cycle):
    submit(cycle, "1a", officer)
    page = home(client, commissioner)
    assert "Quarter to March 2025: 1 of 3 updates in (33%)" in page
    assert "See the completion summary" in page


def test_a_board_member_who_cannot_read_drafts_is_pointed_at_the_latest_published_quarter(client, cycle):
    board_member = UserFactory(role=Role.BOARD_MEMBER, username="board")
    page = home(client, board_member)
    assert "Quarter to December 2024 is the latest published quarter" in page
    assert "Quarter to March 2025:" not in page


def test_democratic_services_is_offered_the_reports(client, democratic_services, cycle):
    page = home(client, democratic_services)
    start_here = page[page.index("Start here") :]
    assert f'href="{reverse("reporting:report_list")}"' in start_here


def _home_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_home_page_queries_do_not_grow_with_an_officers_criteria(client, officer, lead_director, cycle):
    officers_before = _home_queries(client, officer)
    directors_before = _home_queries(client, lead_director)
    for letter in "cdefgh":
        criterion = SuccessCriterionFactory(outcome=cycle.outcomes[1], letter=letter, owner=officer)
        AssessmentFactory(period=cycle.period, criterion=criterion, status=AssessmentStatus.SUBMITTED)
    assert _home_queries(client, officer) == officers_before
    assert _home_queries(client, lead_director) == directors_before
