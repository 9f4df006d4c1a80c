"""The task worker renders one file after another for hours: each render's objects are freed when it
ends, not left in reference cycles for Python's occasional full collection to find (which, at 100 ×
Thurrock, walked them for 60-130 ms wherever it happened to run)."""

from __future__ import annotations

import gc

import pytest

from reporting.models import ExportRender, RenderStatus
from tests.exports import run_queued_tasks
from tests.scenarios import Cycle

# This small quarter's PDF left about 12,000 objects in cycles before the worker collected them;
# what is left now is the test's own bookkeeping.
LEFT_FOR_THE_COLLECTOR_AT_MOST = 500


@pytest.fixture
def cycle(officer, lead_director):
    return Cycle(officer=officer, director=lead_director)


def test_a_finished_pdf_leaves_nothing_waiting_for_the_cycle_collector(
    cycle, queued_only, django_capture_on_commit_callbacks
):
    from reporting.exports import export_request

    with django_capture_on_commit_callbacks(execute=True):
        export_request(period=cycle.period, fmt="pdf")
    gc.collect()
    gc.disable()  # nothing collected behind the test's back while the worker renders
    try:
        assert run_queued_tasks() == 1
        left_for_the_collector = gc.collect()
    finally:
        gc.enable()

    assert ExportRender.objects.get(period=cycle.period, format="pdf").status == RenderStatus.READY
    assert left_for_the_collector <= LEFT_FOR_THE_COLLECTOR_AT_MOST


# While it renders, the worker's collector leaves alone what was there before and holds back its
# full collections, which walked the render's growing heap again and again (core/collector.py).


def _frozen() -> bool:
    """Whether the process has objects frozen out of the collector's walks.

    Compared as yes or no, never as a count: a frozen object can still be freed (its last
    reference dropped, in this thread or another), so the count may fall by one at any moment.
    """
    return gc.get_freeze_count() > 0


def _freezes_and_unfreezes(monkeypatch) -> list[str]:
    """Note each call the code makes to `gc.freeze` and `gc.unfreeze`, and still make it."""
    calls = []
    for name in ("freeze", "unfreeze"):
        real = getattr(gc, name)

        def noted(real=real, name=name):
            calls.append(name)
            real()

        monkeypatch.setattr(gc, name, noted)
    return calls


def _render_spied_on(monkeypatch, *, fails: bool = False) -> list[tuple]:
    """Run one queued PDF export, noting the collector's settings while it renders."""
    from reporting import exports

    seen = []
    render_for_real = exports._render

    def spied_on(render):
        seen.append((gc.get_threshold(), _frozen()))
        if fails:
            raise RuntimeError("the renderer broke")
        return render_for_real(render)

    monkeypatch.setattr(exports, "_render", spied_on)
    assert run_queued_tasks() == 1
    return seen


def test_while_the_worker_renders_full_collections_are_held_back_and_after_it_all_is_as_before(
    cycle, queued_only, django_capture_on_commit_callbacks, monkeypatch
):
    from core.collector import FULL_COLLECTION_EVERY
    from reporting.exports import export_request

    with django_capture_on_commit_callbacks(execute=True):
        export_request(period=cycle.period, fmt="pdf")
    before, frozen_before = gc.get_threshold(), _frozen()

    seen = _render_spied_on(monkeypatch)

    ((thresholds, frozen),) = seen
    assert thresholds == (before[0], before[1], FULL_COLLECTION_EVERY)
    assert frozen, "what the worker held before the render is left out of the collector's walks"
    assert gc.get_threshold() == before
    assert _frozen() == frozen_before
    assert ExportRender.objects.get(period=cycle.period, format="pdf").status == RenderStatus.READY


def test_a_render_that_fails_still_gives_the_collector_back(
    cycle, queued_only, django_capture_on_commit_callbacks, monkeypatch
):
    from reporting.exports import export_request

    with django_capture_on_commit_callbacks(execute=True):
        export_request(period=cycle.period, fmt="pdf")
    before, frozen_before = gc.get_threshold(), _frozen()

    _render_spied_on(monkeypatch, fails=True)

    assert ExportRender.objects.get(period=cycle.period, format="pdf").status == RenderStatus.FAILED
    assert gc.get_threshold() == before
    assert _frozen() == frozen_before


def test_a_server_that_froze_its_start_up_keeps_it_frozen_after_a_render_in_its_process(monkeypatch):
    import thurrock_irp.wsgi  # noqa: F401  (it freezes what the loaded app holds, once)
    from core.collector import full_collections_held_back

    assert _frozen()
    calls = _freezes_and_unfreezes(monkeypatch)
    with full_collections_held_back():
        pass

    assert calls == [], "the render neither froze more of the server nor gave its start-up back"
    assert _frozen()


def test_two_renders_at_once_leave_the_collector_as_it_was_whichever_ends_first():
    from core.collector import FULL_COLLECTION_EVERY, full_collections_held_back

    before, frozen_before = gc.get_threshold(), _frozen()
    first, second = full_collections_held_back(), full_collections_held_back()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[2] == FULL_COLLECTION_EVERY, "the second is still rendering"
    second.__exit__(None, None, None)

    assert gc.get_threshold() == before
    assert _frozen() == frozen_before
