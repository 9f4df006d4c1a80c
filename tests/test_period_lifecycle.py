"""The Programme Office runs the quarter: open the next period, close, publish, re-open with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from outcomes import services
from outcomes.exceptions import InvalidTransition, PublicationBlocked, ReasonRequired
from outcomes.models import (
    Assessment,
    AssessmentStatus,
    OutcomeSummary,
    PeriodState,
    ReminderKind,
    ReminderSent,
    ReportingPeriod,
)
from tests.factories import ReportingPeriodFactory, UserFactory
from tests.scenarios import Cycle, date_input, days_from_today, post_update


@pytest.fixture
def checks_pass(monkeypatch):
    """The pre-publication checks (tests/test_publication_checks.py) find nothing: tests here are about
    the lifecycle, not the checks."""
    monkeypatch.setattr(services, "_publication_blockers", lambda period: [])


@pytest.fixture
def po_client(client, programme_office):
    client.force_login(programme_office)
    return client


def open_form(**overrides) -> dict:
    data = {
        "title": "Quarter to June 2025",
        "slug": "2025-26-q1",
        "short_label": "Jun 25",
        "start": "2025-04-01",
        "end": "2025-06-30",
        "deadline": days_from_today(21),
    }
    data.update(overrides)
    for name in ("start", "end", "deadline"):
        data.update(date_input(name, data.pop(name)))
    return data


# --------------------------------------------------------------------------- opening Thurrock's next period


def test_open_form_suggests_the_quarter_after_thurrocks_latest_period(po_client, thurrock):
    response = po_client.get(reverse("outcomes:period_open"))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Quarter to March 2025"' in body
    assert 'value="2024-25-q4"' in body  # January to March is Q4 of the UK financial year
    assert 'value="Mar 25"' in body
    # The GOV.UK date input: day, month and year boxes, not the browser's date picker.
    assert 'name="start-day" type="text" inputmode="numeric" value="1"' in body
    assert 'name="end-month" type="text" inputmode="numeric" value="3"' in body
    assert 'type="date"' not in body


def test_opening_thurrocks_next_period_creates_an_update_for_all_61_criteria(
    po_client, programme_office, thurrock
):
    from outcomes.models import Outcome, SuccessCriterion

    owners = [UserFactory(username=f"owner-{n}") for n in range(3)]
    for criterion in SuccessCriterion.objects.filter(outcome__plan=thurrock).select_related("outcome"):
        criterion.owner = owners[criterion.outcome.number % 3]
        criterion.save()

    response = po_client.post(
        reverse("outcomes:period_open"),
        open_form(
            title="Quarter to March 2025",
            slug="2024-25-q4",
            short_label="Mar 25",
            start="2025-01-01",
            end="2025-03-31",
            deadline=days_from_today(0),
        ),
    )

    assert response.status_code == 302
    period = ReportingPeriod.objects.get(slug="2024-25-q4")
    assert (period.state, period.plan, period.deadline) == (
        PeriodState.OPEN,
        thurrock,
        dt.date.fromisoformat(days_from_today(0)),
    )
    assessments = Assessment.objects.filter(period=period)
    assert assessments.count() == 61
    assert set(assessments.values_list("status", flat=True)) == {AssessmentStatus.NOT_STARTED}
    assert (
        OutcomeSummary.objects.filter(period=period, text="").count()
        == Outcome.objects.filter(plan=thurrock).count()
        == 12
    )
    # every new row has its first history record, made by the Programme Office
    first = assessments.first().history.earliest()
    assert first.history_user == programme_office
    assert first.history_change_reason == "Created when Quarter to March 2025 opened"
    assert period.history.earliest().history_user == programme_office
    # owners were told, once each
    assert len(mail.outbox) == 3
    assert ReminderSent.objects.filter(period=period, kind=ReminderKind.PERIOD_OPENED).count() == 3


# --------------------------------------------------------------------------- opening: refusals


def test_only_one_period_is_open_at_a_time(po_client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)  # March 2025 is open
    page = po_client.get(reverse("outcomes:period_open"))
    assert "Quarter to March 2025 is still open" in page.content.decode()

    response = po_client.post(reverse("outcomes:period_open"), open_form())

    assert response.status_code == 409
    assert (
        "Quarter to March 2025 is still open. Close it before opening the next period."
        in response.content.decode()
    )
    assert not ReportingPeriod.objects.filter(slug="2025-26-q1").exists()
    assert ReportingPeriod.objects.filter(plan=cycle.plan, state=PeriodState.OPEN).count() == 1


def test_the_database_itself_refuses_a_second_open_period(officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriodFactory(
            plan=cycle.plan,
            slug="2025-26-q1",
            state=PeriodState.OPEN,
            start=dt.date(2025, 4, 1),
            end=dt.date(2025, 6, 30),
        )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end": "2025-03-01"}, "The last day must be on or after the first day"),
        (
            {"start": "2030-04-01", "end": "2030-06-30"},
            "The deadline must be on or after the first day of the period",
        ),
        ({"deadline": "2025-03-01"}, "Deadline must be today or in the future"),
        ({"deadline": days_from_today(-1)}, "Deadline must be today or in the future"),
        ({"start": "2025-02-30"}, "First day of the period must be a real date"),
        ({"deadline": "2031--"}, "Deadline must include a day and month"),
        ({"deadline": ""}, "Enter the deadline for updates"),
        ({"slug": "2024-25-q3"}, "A period with this short name already exists"),
        ({"slug": "Q1 2025!"}, "The short name can only contain letters, numbers and hyphens"),
        ({"title": ""}, "Enter a title for the period"),
        ({"start": "2024-12-01", "end": "2025-02-28"}, "must start after Quarter to December 2024 ends"),
    ],
    ids=[
        "end-before-start",
        "deadline-before-start",
        "deadline-long-past",
        "deadline-yesterday",
        "impossible-date",
        "deadline-without-day-and-month",
        "no-deadline",
        "slug-taken",
        "bad-slug",
        "no-title",
        "overlaps-last",
    ],
)
def test_bad_period_details_are_refused_with_a_clear_message(
    po_client, officer, lead_director, overrides, message
):
    cycle = Cycle(officer=officer, director=lead_director, state=PeriodState.CLOSED)
    cycle.forget_current_period()  # only December 2024 remains: the next one may be opened

    response = po_client.post(reverse("outcomes:period_open"), open_form(**overrides))

    assert response.status_code in (400, 409)
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert ReportingPeriod.objects.filter(plan=cycle.plan).count() == 1


# --------------------------------------------------------------------------- close, publish, re-open


def test_closing_stops_officers_editing(po_client, client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    url = reverse("outcomes:period_close", args=[cycle.period.slug])
    assert "Close Quarter to March 2025 for updates" in po_client.get(url).content.decode()

    response = po_client.post(url)

    assert response.status_code == 302
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.CLOSED

    client.force_login(officer)
    assert post_update(client, cycle, "1a", rag="G", narrative="Too late.").status_code == 409
    assert cycle.fresh("1a").narrative == ""


def test_publishing_needs_the_period_closed_first(po_client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)

    response = po_client.post(reverse("outcomes:period_publish", args=[cycle.period.slug]))

    assert response.status_code == 409
    assert "Close it first" in response.content.decode()
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.OPEN


def test_publishing_freezes_the_period(po_client, programme_office, officer, lead_director, checks_pass):
    cycle = Cycle(officer=officer, director=lead_director)
    services.period_close(period=cycle.period, by=programme_office)

    response = po_client.post(reverse("outcomes:period_publish", args=[cycle.period.slug]))

    assert response.status_code == 302
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.PUBLISHED
    assert cycle.period.history.latest().history_user == programme_office
    with pytest.raises(InvalidTransition):
        services.period_publish(period=cycle.period, by=programme_office)


def test_pre_publication_checks_stop_an_incomplete_period_being_published(
    po_client, programme_office, officer, lead_director
):
    cycle = Cycle(officer=officer, director=lead_director)  # nothing rated yet
    services.period_close(period=cycle.period, by=programme_office)

    response = po_client.post(reverse("outcomes:period_publish", args=[cycle.period.slug]))

    assert response.status_code == 409
    body = response.content.decode()
    assert "This period cannot be published yet" in body
    assert "What must be fixed first" in body
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.CLOSED
    with pytest.raises(PublicationBlocked) as refused:
        services.period_publish(period=cycle.period, by=programme_office)
    assert refused.value.blockers


def test_reopening_needs_a_reason_which_is_kept_and_shown_on_the_period_page(
    po_client, programme_office, officer, lead_director, checks_pass
):
    cycle = Cycle(officer=officer, director=lead_director)
    services.period_close(period=cycle.period, by=programme_office)
    services.period_publish(period=cycle.period, by=programme_office)
    url = reverse("outcomes:period_reopen", args=[cycle.period.slug])

    refused = po_client.post(url, {"reason": "   "})
    assert refused.status_code == 400
    assert "Enter the reason for re-opening this period" in refused.content.decode()
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.PUBLISHED

    response = po_client.post(url, {"reason": "Outcome 1's rating was published in error."})

    assert response.status_code == 302
    cycle.period.refresh_from_db()
    assert cycle.period.state == PeriodState.OPEN
    record = cycle.period.history.latest()
    assert (record.history_change_reason, record.history_user) == (
        "Outcome 1's rating was published in error.",
        programme_office,
    )
    page = po_client.get(reverse("outcomes:period_detail", args=[cycle.period.slug])).content.decode()
    assert "Outcome 1&#x27;s rating was published in error." in page
    with pytest.raises(ReasonRequired):
        services.period_reopen(period=cycle.period, by=programme_office, reason="")


def test_reopening_is_refused_while_another_period_is_open(
    po_client, programme_office, officer, lead_director
):
    cycle = Cycle(officer=officer, director=lead_director)  # March 2025 open; December 2024 published

    response = po_client.post(
        reverse("outcomes:period_reopen", args=[cycle.last.slug]), {"reason": "Fix a typo."}
    )

    assert response.status_code == 409
    assert "Quarter to March 2025 is open. Only one period can be open at a time" in response.content.decode()
    cycle.last.refresh_from_db()
    assert cycle.last.state == PeriodState.PUBLISHED


def test_period_list_shows_every_period_and_the_open_one(po_client, thurrock):
    response = po_client.get(reverse("outcomes:period_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Quarter to September 2024" in body and "Quarter to December 2024" in body
    assert reverse("outcomes:period_open") in body  # none open: the button is offered


def test_post_only_actions_refuse_get(po_client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    assert po_client.get(reverse("outcomes:completion_chase", args=[cycle.period.slug])).status_code == 405
    assert (
        po_client.get(reverse("outcomes:assessment_approve", args=[cycle.assessments["1a"].pk])).status_code
        == 405
    )


def test_unknown_periods_are_not_found(po_client):
    for name in ("period_detail", "period_close", "period_publish", "period_reopen", "completion"):
        assert po_client.get(reverse(f"outcomes:{name}", args=["1999-00-q9"])).status_code == 404
