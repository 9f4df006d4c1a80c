"""The folder of kept pages every server worker on a host shares: Django's file cache, made cheap to write.

A kept page is written whenever its data moves on, which on a deadline day is after every save
for the open quarter's dashboard and criteria list, so the cost of a write is paid on the
requests people wait for. Django's `FileBasedCache` spends most of it on two things this
folder does not need:

* **It lists the whole folder on every write** to see whether it is full (`_cull`). The folder
  holds up to `MAX_ENTRIES` pages (2,000 in production), so each write read 2,000 names, 2.4 ms
  on the benchmark machine, and the cost grew as the day filled the folder. Here each process
  counts the folder only every `CULL_CHECK_EVERY` writes: between two counts a process adds at
  most that many pages, so the folder can pass its limit by at most that many per process before
  it is shed back to two thirds full, where Django's own shedding leaves it.
* **It compresses with zlib's default level (6).** The pages are HTML, which level 1 packs
  almost as small three times as fast: the open quarter's 240 KB dashboard body in 0.6 ms
  instead of 1.8 ms, its file 21 KB instead of 17 KB. Reading is as fast either way, and
  reading a file written by Django's own backend works unchanged (zlib knows its level).
"""

from __future__ import annotations

import pickle
import random
import zlib

from django.core.cache.backends.filebased import FileBasedCache

CULL_CHECK_EVERY = 50
COMPRESSION_LEVEL = 1


class PageFileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        # Counted from the check: a fresh process looks at the folder on its first write.
        self._writes_since_cull_check = CULL_CHECK_EVERY

    def _cull(self) -> None:
        self._writes_since_cull_check += 1
        if self._writes_since_cull_check < CULL_CHECK_EVERY:
            return
        self._writes_since_cull_check = 0
        names = self._list_cache_files()
        if len(names) < self._max_entries:
            return
        if self._cull_frequency == 0:
            self.clear()  # as Django does when CULL_FREQUENCY is 0
            return
        # Django sheds a third of a full folder on the write that fills it; counted less often,
        # the folder may be past its limit, so it is brought back to where Django's shedding
        # leaves it (two thirds full), or it would settle ever further above the limit.
        keep = self._max_entries - self._max_entries // self._cull_frequency
        for name in random.sample(names, len(names) - keep):
            self._delete(name)

    def _write_content(self, file, timeout, value) -> None:
        # As Django writes it (the expiry, then the pickled value compressed), at a faster level.
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), COMPRESSION_LEVEL))
