"""Cached pages and stored exports move on when a save commits, and saves never wait on the counters.

On PostgreSQL the counters that key every cached page and stored export (`core.generation`) are
moved after the save's transaction commits, in a statement of their own: a save that has written
its row but not yet committed holds no counter's lock, so fifty officers saving in one period do
not queue behind each other's counters. (SQLite has one writer anyway: there the save's own
transaction moves them.) These tests commit for real (a transactional database), as a gunicorn
worker does.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from core.generation import generation, generation_of_periods
from outcomes import services
from outcomes.models import Assessment
from tests.scenarios import save_draft

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10  # seconds a step may take before the test gives up


@pytest.fixture(autouse=True)
def _role_groups(transactional_db) -> None:
    """The roles' groups, which a transactional database loses after each test (see test_parallel_saves)."""
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    for role in Role.values:
        Group.objects.get_or_create(name=role)


def test_a_save_moves_its_period_on_by_the_time_it_commits(cycle):
    before = generation_of_periods([cycle.period.pk])
    published_before = generation_of_periods([cycle.last.pk]) - generation_of_periods([])
    everything_before = generation()

    with transaction.atomic():
        save_draft(cycle.assessments["1a"], "Scrutiny training booked.")
        if connection.vendor == "postgresql":
            # After the commit, not before: the counter's row is not held for the rest of the save.
            assert generation_of_periods([cycle.period.pk]) == before

    assert generation_of_periods([cycle.period.pk]) > before
    assert generation() > everything_before
    # The published quarter's own counter stays where it was: its pages and files are still valid.
    assert generation_of_periods([cycle.last.pk]) - generation_of_periods([]) == published_before


def test_a_save_that_is_rolled_back_moves_nothing(cycle):
    before = generation()

    with pytest.raises(RuntimeError), transaction.atomic():
        save_draft(cycle.assessments["1a"], "Never kept.")
        raise RuntimeError("the request failed after the save")

    assert generation() == before
    assert Assessment.objects.get(pk=cycle.assessments["1a"].pk).narrative == ""


def test_the_dashboard_shows_a_committed_save_at_once(client, cycle, commissioner):
    client.force_login(commissioner)
    url = f"/dashboard/?period={cycle.period.slug}"
    first = client.get(url).content.decode()
    assert "Scrutiny training delivered in full." not in first

    saved = save_draft(cycle.assessments["1a"], "Scrutiny training delivered in full.")
    services.assessment_submit(
        assessment=saved,
        by=saved.criterion.owner,
        rag="G",
        narrative=saved.narrative,
        expected_version=saved.version,
    )

    assert client.get(url).content.decode() != first


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks between connections need PostgreSQL; SQLite has one writer at a time "
    "(run with scripts/with-postgres.sh)",
)
def test_a_save_written_but_not_yet_committed_does_not_hold_up_another_in_the_same_period(cycle):
    first, other = cycle.assessments["1a"], cycle.assessments["2a"]
    written, finish = threading.Event(), threading.Event()

    def save_and_wait_before_committing():
        try:
            with transaction.atomic():
                save_draft(first, "Written, not yet committed.")
                written.set()
                assert finish.wait(WAIT), "the test never let the save commit"
        finally:
            connections.close_all()

    def save_without_waiting_for_locks():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '500ms'")
            return save_draft(other, "Scrutiny training delivered.")
        finally:
            connections.close_all()

    before = generation_of_periods([cycle.period.pk])
    with ThreadPoolExecutor(max_workers=2) as pool:
        holding = pool.submit(save_and_wait_before_committing)
        assert written.wait(WAIT)

        # 1a's save has written its row (and its history) and holds its transaction open; 2a's
        # save, with no lock wait allowed, goes through and moves the period's counter.
        assert pool.submit(save_without_waiting_for_locks).result(WAIT).version == 2
        moved_by_the_second = generation_of_periods([cycle.period.pk])
        assert moved_by_the_second > before

        finish.set()
        holding.result(WAIT)

    assert generation_of_periods([cycle.period.pk]) > moved_by_the_second
    assert Assessment.objects.get(pk=first.pk).narrative == "Written, not yet committed."
