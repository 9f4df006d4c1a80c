"""Python's cycle collector, held back while one long render builds a large heap.

CPython starts a full collection after every tenth pass over its younger generations, once a
quarter more objects have survived than the last full one left, and a full collection walks
every object the process holds. WeasyPrint keeps every page's boxes until the PDF is written, so
during a render the heap only grows, and each full collection walks more of it than the last: a
610-criterion PDF ran twelve of them, 2.9 s of its 19 s of CPU (docs/performance.md).

For the length of a render, the objects that were there before it (Django, the worker's own) are
frozen out of the walks (`gc.freeze`, made for this), and a full collection waits for a hundred
passes over the younger generations instead of ten, so the render runs two instead of twelve.
The younger generations are still collected as usual, so short-lived cycles still go at once;
what the render leaves is freed by the collection the export worker runs after each render.
The price is the cycles that die in mid-render and wait longer: about 4 % more peak memory.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

FULL_COLLECTION_EVERY = 100  # passes over the younger generations; CPython's default is 10

# The collector is one per process: with renders in two threads at once (the in-process task
# backend under tests), only the first to start sets it and only the last to finish restores it.
_lock = threading.Lock()
_renders_under_way = 0
_thresholds_before: tuple[int, int, int] = gc.get_threshold()
_frozen_here = False


@contextmanager
def full_collections_held_back() -> Iterator[None]:
    global _renders_under_way, _thresholds_before, _frozen_here
    with _lock:
        if _renders_under_way == 0:
            _thresholds_before = gc.get_threshold()
            # A web server froze its start-up already (thurrock_irp/wsgi.py): that stays as it is.
            _frozen_here = gc.get_freeze_count() == 0
            if _frozen_here:
                gc.freeze()
            young, middle, _full = _thresholds_before
            gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
        _renders_under_way += 1
    try:
        yield
    finally:
        with _lock:
            _renders_under_way -= 1
            if _renders_under_way == 0:
                gc.set_threshold(*_thresholds_before)
                if _frozen_here:
                    # Back into the oldest generation, so the next full collection frees what died.
                    gc.unfreeze()
