"""Files of data that has moved on are deleted, so a busy quarter does not fill the storage.

Each save of a draft makes new data, and each file asked for after it is a new render: once a
newer file of the same export is ready, the ones before the file it replaces are deleted, rows
and files; the one it has just replaced stays for whoever is downloading it now. A link to a
deleted file leads to the current one, never to an error.
"""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from reporting.exports import export_generation, exports_prune_superseded
from reporting.models import ExportRender, RenderStatus
from tests.exports import report_download, report_files_page, run_queued_tasks
from tests.scenarios import Cycle, post_update


@pytest.fixture
def cycle(officer, lead_director):
    return Cycle(officer=officer, director=lead_director)




def ask_for_the_draft_file(client, cycle, commissioner, django_capture_on_commit_callbacks) -> ExportRender:
    client.force_login(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_files_page(cycle.period.slug, "json"))
    run_queued_tasks()
    return ExportRender.objects.get(
        period=cycle.period, format="json", generation=export_generation(cycle.period)
    )


def an_officer_saves(client, cycle, officer, narrative: str) -> None:
    client.force_login(officer)
    assert post_update(client, cycle, "1a", rag="A", narrative=narrative).status_code == 302


def test_a_newer_file_deletes_the_files_before_the_one_it_replaces(
    client, cycle, officer, commissioner, queued_only, django_capture_on_commit_callbacks
):
    files = []
    for narrative in ("First draft.", "Second draft.", None):
        files.append(ask_for_the_draft_file(client, cycle, commissioner, django_capture_on_commit_callbacks))
        if narrative:
            an_officer_saves(client, cycle, officer, narrative)
    first, replaced, newest = files

    assert not ExportRender.objects.filter(pk=first.pk).exists()
    assert not default_storage.exists(first.file_name)
    # Whoever was offered the file just replaced can still download it.
    for kept in (replaced, newest):
        assert ExportRender.objects.get(pk=kept.pk).status == RenderStatus.READY
        assert default_storage.exists(kept.file_name)


def test_a_link_to_a_deleted_file_leads_to_the_current_one_and_says_why(
    client, cycle, officer, commissioner, queued_only, django_capture_on_commit_callbacks
):
    first = ask_for_the_draft_file(client, cycle, commissioner, django_capture_on_commit_callbacks)
    an_officer_saves(client, cycle, officer, "Second draft.")
    ask_for_the_draft_file(client, cycle, commissioner, django_capture_on_commit_callbacks)
    an_officer_saves(client, cycle, officer, "Third draft.")
    current = ask_for_the_draft_file(client, cycle, commissioner, django_capture_on_commit_callbacks)
    old_link = f"?render={first.pk}"

    page = client.get(report_files_page(cycle.period.slug, "json") + old_link)
    served = client.get(report_download(cycle.period.slug, "json") + old_link)

    assert page.status_code == 200 and "is ready" in page.content.decode()
    assert "The file you asked for earlier has been replaced" in page.content.decode()
    assert f"render={current.pk}" in page.content.decode()
    assert served.status_code == 200
    assert b"Third draft." in served.getvalue()
    # The current file's own link says nothing of the kind.
    current_page = client.get(report_files_page(cycle.period.slug, "json") + f"?render={current.pk}")
    assert "has been replaced" not in current_page.content.decode()


def test_other_exports_and_files_still_being_prepared_are_left_alone(cycle):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    def render(period, fmt: str, generation: int, status: str) -> ExportRender:
        name = ""
        if status == RenderStatus.READY:
            name = default_storage.save(
                f"exports/test/{period.slug}/{generation}/report.{fmt}", ContentFile(b"{}")
            )
        return ExportRender.objects.create(
            period=period,
            format=fmt,
            generation=generation,
            status=status,
            file_name=name,
            requested_at=timezone.now(),
        )

    waited_for = render(cycle.period, "json", 1, RenderStatus.QUEUED)  # someone is waiting for it
    superseded = render(cycle.period, "json", 2, RenderStatus.READY)
    replaced = render(cycle.period, "json", 3, RenderStatus.READY)
    other_format = render(cycle.period, "pdf", 2, RenderStatus.READY)
    other_period = render(cycle.last, "json", 2, RenderStatus.READY)
    newest = render(cycle.period, "json", 4, RenderStatus.READY)

    assert exports_prune_superseded(newest) == 1

    assert set(ExportRender.objects.values_list("pk", flat=True)) == {
        waited_for.pk,
        replaced.pk,
        other_format.pk,
        other_period.pk,
        newest.pk,
    }
    assert not default_storage.exists(superseded.file_name)
    assert all(
        default_storage.exists(kept.file_name) for kept in (replaced, other_format, other_period, newest)
    )
