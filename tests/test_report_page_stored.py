"""The report page is rendered once by the task worker and served from storage.

At 100 × Thurrock a report takes seconds to render, so a commissioner reading the draft just
after an officer saves is shown the worker's newest copy, told when it is of, while the worker
adds the save; a report that renders quickly is always shown as it is now; a published report
is served from storage without being built, and never shown older than it is. The stored page
is not a file anyone can download.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse

from outcomes import services
from reporting.exports import export_generation
from reporting.models import ExportRender, RenderStatus
from tests.exports import run_queued_tasks
from tests.scenarios import Cycle, post_update

NOTICE = "Updates saved since then are being added; refresh the page in a minute to see them."


@pytest.fixture
def cycle(officer, lead_director):
    return Cycle(officer=officer, director=lead_director)


def report_url(period) -> str:
    return reverse("reporting:report", args=[period.slug])


def page_text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&#x27;", "'").strip()


def stored_pages(period):
    return ExportRender.objects.filter(period=period, format="page")


def read(client, period, capture) -> str:
    """A reader opens the report page; what it asks of the worker is queued after the request."""
    with capture(execute=True):
        response = client.get(report_url(period))
    assert response.status_code == 200
    return page_text(response)


def worker_took(period, seconds: float) -> None:
    """The worker's stored pages of this period took this long to render (as at 100 × Thurrock)."""
    stored_pages(period).filter(status=RenderStatus.READY).update(
        started_at=F("finished_at") - dt.timedelta(seconds=seconds)
    )


@pytest.fixture
def builds(monkeypatch):
    """The periods whose report a request built (the worker's builds are not counted)."""
    import reporting.report_page as report_page

    built = []
    real_build = report_page.report_build
    monkeypatch.setattr(
        report_page, "report_build", lambda **kw: built.append(kw["period"].slug) or real_build(**kw)
    )
    return built


def test_a_draft_that_takes_long_to_render_is_shown_as_at_the_workers_copy_while_a_save_is_added(
    client, cycle, officer, commissioner, queued_only, builds, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    client.force_login(commissioner)
    read(client, cycle.period, capture)  # the first reader: rendered here, and the worker asked
    assert run_queued_tasks() == 1
    worker_took(cycle.period, 3)
    client.force_login(officer)
    post_update(client, cycle, "1a", rag="G", narrative="Saved after the worker stored the page.")
    builds.clear()

    client.force_login(commissioner)
    behind = read(client, cycle.period, capture)

    as_at = re.search(r"This draft is as at (\d\d:\d\d) on (\d{1,2} \w+ \d{4})\.", behind)
    assert as_at and NOTICE in behind
    # The notice dates the copy shown: its "Draft as at" line is the same moment.
    assert f"Draft as at {as_at[2]}, {as_at[1]}" in behind
    assert "Saved after the worker stored the page." not in behind
    assert builds == []  # not built in the request
    queued = stored_pages(cycle.period).get(status=RenderStatus.QUEUED)
    assert queued.generation == export_generation(cycle.period)

    run_queued_tasks()
    current = read(client, cycle.period, capture)

    assert "Saved after the worker stored the page." in current
    assert NOTICE not in current and "This draft is as at" not in current
    assert builds == []


def test_while_the_worker_renders_a_draft_further_saves_do_not_queue_more_pages(
    client, cycle, officer, commissioner, queued_only, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    client.force_login(commissioner)
    read(client, cycle.period, capture)
    run_queued_tasks()
    worker_took(cycle.period, 3)

    for narrative in ("First save.", "Second save.", "Third save."):
        client.force_login(officer)
        post_update(client, cycle, "1a", rag="G", narrative=narrative)
        client.force_login(commissioner)
        assert NOTICE in read(client, cycle.period, capture)

    # One page at a time per period, so the worker never falls behind the saves; the next reader
    # after it is ready asks for the data as it is then.
    assert stored_pages(cycle.period).filter(status=RenderStatus.QUEUED).count() == 1
    run_queued_tasks()
    assert "Third save." in read(client, cycle.period, capture)


def test_a_draft_that_renders_quickly_is_always_shown_as_it_is_now(
    client, cycle, officer, commissioner, queued_only, builds, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    client.force_login(commissioner)
    read(client, cycle.period, capture)
    run_queued_tasks()
    worker_took(cycle.period, 0.1)
    client.force_login(officer)
    post_update(client, cycle, "1a", rag="G", narrative="Saved a moment ago.")
    builds.clear()

    client.force_login(commissioner)
    text = read(client, cycle.period, capture)

    assert "Saved a moment ago." in text
    assert NOTICE not in text and "This draft is as at" not in text
    assert builds == [cycle.period.slug]  # quick enough to render here
    assert not stored_pages(cycle.period).filter(status=RenderStatus.QUEUED).exists()


def test_a_published_report_is_served_from_storage_without_being_built(
    client,
    cycle,
    programme_office,
    officer,
    builds,
    monkeypatch,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    monkeypatch.setattr(services, "_publication_blockers", lambda period: [])
    services.period_close(period=cycle.period, by=programme_office)
    with django_capture_on_commit_callbacks(execute=True):
        services.period_publish(period=cycle.period, by=programme_office)  # the worker renders its page
    assert stored_pages(cycle.period).get().status == RenderStatus.READY
    cache.clear()  # a web process that has not read it yet
    client.force_login(officer)
    client.get(reverse("home"))  # the session and per-request caches warmed

    # The reader's session and roles, the period, its generation and stored page: none of the report's data.
    with django_capture_on_commit_callbacks(execute=True) as queued, django_assert_max_num_queries(8):
        response = client.get(report_url(cycle.period))

    assert response.status_code == 200
    text = page_text(response)
    assert "Quarter to March 2025" in text and "Published" in text and NOTICE not in text
    assert builds == [] and queued == []


def test_a_published_report_is_never_shown_older_than_it_is(
    client,
    cycle,
    programme_office,
    commissioner,
    queued_only,
    builds,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    client.force_login(commissioner)
    read(client, cycle.period, capture)  # the draft's page, stored by the worker: slow
    run_queued_tasks()
    worker_took(cycle.period, 3)
    monkeypatch.setattr(services, "_publication_blockers", lambda period: [])
    services.period_close(period=cycle.period, by=programme_office)
    with capture(execute=True):
        services.period_publish(period=cycle.period, by=programme_office)  # queued, not yet rendered
    builds.clear()

    text = read(client, cycle.period, capture)

    assert NOTICE not in text and "Draft as at" not in text
    assert "Published" in text
    assert builds == [cycle.period.slug]


@pytest.mark.parametrize(
    "method, path", [("get", "download.page"), ("get", "files/page/"), ("post", "files/page/")]
)
def test_the_stored_page_is_not_a_file_anyone_can_download_or_ask_for(
    client, cycle, democratic_services, method, path, django_capture_on_commit_callbacks
):
    client.force_login(democratic_services)
    read(client, cycle.last, django_capture_on_commit_callbacks)  # its page is stored by the worker
    assert stored_pages(cycle.last).get().status == RenderStatus.READY

    response = getattr(client, method)(f"{report_url(cycle.last)}{path}")

    assert response.status_code == 404


def test_an_officer_still_cannot_read_a_drafts_stored_page(
    client, cycle, officer, commissioner, django_capture_on_commit_callbacks
):
    client.force_login(commissioner)
    read(client, cycle.period, django_capture_on_commit_callbacks)
    assert stored_pages(cycle.period).get().status == RenderStatus.READY

    client.force_login(officer)

    assert client.get(report_url(cycle.period)).status_code == 403


def test_a_stored_page_whose_file_has_gone_is_rendered_for_the_reader_instead(
    client, cycle, commissioner, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    client.force_login(commissioner)
    read(client, cycle.last, django_capture_on_commit_callbacks)
    stored = stored_pages(cycle.last).get(status=RenderStatus.READY)
    default_storage.delete(stored.file_name)
    cache.clear()

    text = read(client, cycle.last, django_capture_on_commit_callbacks)

    assert "Quarter to December 2024" in text and "Lead Director Summary" in text
