"""The criteria list's CSV and Excel files go the stored-export way too.

A commissioner filters the list and asks for its CSV: the worker prepares it off the request,
anyone asking for the same filters of the same data shares it, the download carries ETag and
Last-Modified, a save in the open quarter leaves the published quarter's file valid, and no
one can ask for a file of a period they may not read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import ExportRender, ExportSubject, RenderStatus
from tests.exports import criteria_file_of, run_queued_tasks
from tests.scenarios import Cycle, post_update


@pytest.fixture
def cycle(officer, lead_director):
    return Cycle(officer=officer, director=lead_director)


def files_page(fmt: str, query: str) -> str:
    return reverse("reporting:criteria_export", args=[fmt]) + f"?{query}"


def test_a_commissioner_asks_for_the_filtered_lists_csv_and_the_worker_prepares_it_once(
    client, cycle, commissioner, democratic_services, queued_only, django_capture_on_commit_callbacks
):
    client.force_login(commissioner)
    listed = client.get(reverse("reporting:criteria"), {"period": cycle.last.slug, "rag": "G"})
    query = f"period={cycle.last.slug}&rag=G"
    assert f'href="{files_page("csv", query).replace("&", "&amp;")}"' in listed.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(files_page("csv", query))
    render = ExportRender.objects.get()
    assert (render.subject, render.period, render.status) == (
        ExportSubject.CRITERIA,
        cycle.last,
        RenderStatus.QUEUED,
    )
    ExportRender.objects.update(requested_at=timezone.now() - dt.timedelta(seconds=4))
    waiting = client.get(asked["Location"]).content.decode()
    assert "Preparing the CSV… 4 s so far." in waiting and "rating this period is <strong>Green" in waiting

    # The same filters, written in another order by someone else: the same file.
    client.force_login(democratic_services)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(files_page("csv", f"rag=G&period={cycle.last.slug}"))
    assert ExportRender.objects.count() == 1
    assert run_queued_tasks() == 1

    downloaded = client.get(asked["Location"].replace("/export.", "/download."))
    rows = list(csv.reader(io.StringIO(downloaded.getvalue().decode("utf-8-sig"))))[1:]
    assert rows and {row[6] for row in rows} == {"Green"}
    assert downloaded["Cache-Control"] == "private, max-age=0"  # a published quarter's ratings stay
    again = client.get(
        reverse("reporting:criteria_download", args=["csv"]) + f"?{query}",
        headers={"if-none-match": downloaded["ETag"]},
    )
    assert again.status_code == 304


def test_a_save_in_the_open_quarter_leaves_the_published_quarters_file_and_dates_the_drafts(
    client, cycle, officer, commissioner
):
    client.force_login(commissioner)
    published = criteria_file_of(client, "xlsx", {"period": cycle.last.slug})
    draft = criteria_file_of(client, "xlsx", {"period": cycle.period.slug})
    assert published.status_code == draft.status_code == 200

    client.force_login(officer)
    assert post_update(client, cycle, "1a", rag="G", narrative="Agreed by the committee.").status_code == 302

    client.force_login(commissioner)
    download = reverse("reporting:criteria_download", args=["xlsx"])
    assert client.get(download, {"period": cycle.last.slug}).status_code == 200  # still the stored file
    assert client.get(download, {"period": cycle.period.slug})["Location"] == files_page(
        "xlsx", f"period={cycle.period.slug}"
    )


def test_an_officer_cannot_ask_for_a_file_of_a_draft_they_may_not_read(client, cycle, officer):
    client.force_login(officer)

    response = client.post(files_page("csv", f"period={cycle.period.slug}"))

    assert response.status_code == 400
    assert ExportRender.objects.count() == 0
