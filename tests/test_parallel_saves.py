"""Deadline day on PostgreSQL: officers saving different criteria of one period do not wait for each
other, and closing the period never interleaves with a save.

Each person works on their own database connection (a thread), as two gunicorn workers would. A
save that would wait for a lock is given a short `lock_timeout`, so waiting shows up as an error
rather than as a slow test. SQLite has a single writer by design (docs/architecture.md,
"Concurrency"), so there is nothing to prove there.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from outcomes import services
from outcomes.exceptions import PeriodClosed
from outcomes.models import Assessment, PeriodState, ReportingPeriod
from outcomes.services._common import _lock_assessment, lock_period_for_save
from tests import scenarios

pytestmark = [
    # Committed data, seen by every connection.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks between connections need PostgreSQL; SQLite has one writer at a time "
        "(run with scripts/with-postgres.sh)",
    ),
]


@pytest.fixture(autouse=True)
def _role_groups(transactional_db) -> None:
    """A transactional database is emptied after each test, taking the roles' groups (made by a
    data migration) with it; they are made here, as the browser tests make them. Django's
    `serialized_rollback` would restore them, but on a database another transactional test has
    already emptied it re-inserts content types that `flush` has just made again."""
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    for role in Role.values:
        Group.objects.get_or_create(name=role)


WAIT = 10  # seconds a step may take before the test gives up; far above any honest step


def on_own_connection(work):
    """Run `work` as another person would: on a connection of its own, closed afterwards."""

    def run(*args, **kwargs):
        try:
            return work(*args, **kwargs)
        finally:
            connections.close_all()

    return run


def no_waiting_for_locks():
    """A statement that has to wait for a lock fails at once instead."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '500ms'")


class SaveInProgress:
    """An officer's save that has taken the locks a save takes, and has not yet committed."""

    def __init__(self, assessment: Assessment):
        self.assessment = assessment
        self.locked = threading.Event()
        self.finish = threading.Event()

    def run(self):
        with transaction.atomic():
            period = lock_period_for_save(self.assessment.period_id)
            _lock_assessment(self.assessment.pk)
            self.locked.set()
            assert self.finish.wait(WAIT), "the test never let the save finish"
            return period.state


def save_draft(assessment: Assessment, narrative: str, *, waiting_allowed: bool = False) -> Assessment:
    if not waiting_allowed:
        no_waiting_for_locks()
    return scenarios.save_draft(assessment, narrative)


def test_two_officers_save_different_criteria_of_one_period_without_waiting(cycle):
    first, other = cycle.assessments["1a"], cycle.assessments["2a"]
    in_progress = SaveInProgress(first)
    with ThreadPoolExecutor(max_workers=2) as pool:
        holding = pool.submit(on_own_connection(in_progress.run))
        assert in_progress.locked.wait(WAIT)

        # While 1a's save holds its locks, 2a's save goes through with no lock wait allowed.
        saved = pool.submit(on_own_connection(save_draft), other, "Scrutiny training delivered.")
        assert saved.result(WAIT).version == 2

        in_progress.finish.set()
        assert holding.result(WAIT) == PeriodState.OPEN

    assert Assessment.objects.get(pk=other.pk).narrative == "Scrutiny training delivered."


def test_the_same_criterion_is_still_saved_one_at_a_time(cycle):
    assessment = cycle.assessments["1a"]
    in_progress = SaveInProgress(assessment)
    with ThreadPoolExecutor(max_workers=2) as pool:
        holding = pool.submit(on_own_connection(in_progress.run))
        assert in_progress.locked.wait(WAIT)

        second = pool.submit(on_own_connection(save_draft), assessment, "A second tab's text.")
        with pytest.raises(Exception, match="lock timeout"):
            second.result(WAIT)

        in_progress.finish.set()
        holding.result(WAIT)


def test_closing_waits_for_a_save_in_progress_and_the_save_lands_before_it(cycle, programme_office):
    assessment = cycle.assessments["1a"]
    in_progress = SaveInProgress(assessment)

    def close():
        period = ReportingPeriod.objects.get(pk=cycle.period.pk)
        return services.period_close(period=period, by=programme_office)

    with ThreadPoolExecutor(max_workers=2) as pool:
        holding = pool.submit(on_own_connection(in_progress.run))
        assert in_progress.locked.wait(WAIT)

        closing = pool.submit(on_own_connection(close))
        time.sleep(1)
        assert not closing.done(), "the period was closed while a save of one of its rows was under way"

        in_progress.finish.set()
        assert holding.result(WAIT) == PeriodState.OPEN  # the save saw the period open, and committed
        assert closing.result(WAIT).state == PeriodState.CLOSED

    with pytest.raises(PeriodClosed):
        save_draft(assessment, "Too late: the period is closed.")


def test_a_save_that_waited_on_a_close_sees_the_period_closed(cycle, programme_office):
    assessment = cycle.assessments["1a"]
    closing_locked, finish_closing = threading.Event(), threading.Event()

    def close_slowly():
        with transaction.atomic():
            closed = services.period_close(
                period=ReportingPeriod.objects.get(pk=cycle.period.pk), by=programme_office
            )
            closing_locked.set()
            assert finish_closing.wait(WAIT), "the test never let the close finish"
        return closed

    with ThreadPoolExecutor(max_workers=2) as pool:
        closing = pool.submit(on_own_connection(close_slowly))
        assert closing_locked.wait(WAIT)

        saving = pool.submit(
            on_own_connection(save_draft), assessment, "Saved as the period closed.", waiting_allowed=True
        )
        time.sleep(1)
        assert not saving.done(), "a save went ahead while the period was being closed"

        finish_closing.set()
        assert closing.result(WAIT).state == PeriodState.CLOSED
        with pytest.raises(PeriodClosed):
            saving.result(WAIT)

    saved = Assessment.objects.get(pk=assessment.pk)
    assert (saved.narrative, saved.version) == ("", 1)
