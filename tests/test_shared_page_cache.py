"""A page built by one server worker is served by the others: in production the kept pages live in a
folder every gunicorn worker on the host shares, so after a save the dashboard is built once, not
once per worker."""

from django.core.cache.backends.filebased import FileBasedCache

from core.page_cache import CULL_CHECK_EVERY, PageFileCache
from tests.manage_command import ROOT, run_manage

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 20 + "a-long-random-secret-for-the-cache-test-0123",
}
SHOW_CACHE = (
    "from django.conf import settings; c = settings.CACHES['default']; "
    "print(c['BACKEND'].rsplit('.', 1)[-1], c.get('LOCATION', ''))"
)


def manage_output(*args: str, **env: str) -> str:
    result = run_manage(*args, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def cache_of(**env: str) -> str:
    return manage_output("shell", "--no-imports", "-c", SHOW_CACHE, **env)


def test_production_keeps_pages_in_a_folder_the_server_workers_share():
    assert cache_of(**PRODUCTION) == f"PageFileCache {ROOT / 'var' / 'cache'}"


def test_the_folder_can_be_moved_or_each_process_can_keep_its_own():
    assert cache_of(**PRODUCTION, DJANGO_PAGE_CACHE_DIR="/srv/irp/cache") == "PageFileCache /srv/irp/cache"
    assert cache_of(**PRODUCTION, DJANGO_PAGE_CACHE_DIR="") == "LocMemCache"


def test_development_keeps_pages_in_each_process():
    assert cache_of(DJANGO_DEBUG="true") == "LocMemCache"


BUILD_ONCE = (
    "from core.generation import cached_render; "
    "print(cached_render(key_parts=('dashboard', 'test'), generation_value=1, "
    "render=lambda: print('built here') or '<main>the dashboard</main>'))"
)


def test_a_page_one_worker_built_is_read_by_another_without_building_it_again(tmp_path):
    # Each gunicorn worker is a process of its own: two processes, one folder.
    first = manage_output(
        "shell", "--no-imports", "-c", BUILD_ONCE, **PRODUCTION, DJANGO_PAGE_CACHE_DIR=str(tmp_path)
    )
    second = manage_output(
        "shell", "--no-imports", "-c", BUILD_ONCE, **PRODUCTION, DJANGO_PAGE_CACHE_DIR=str(tmp_path)
    )

    assert first.splitlines() == ["built here", "<main>the dashboard</main>"]
    assert second.splitlines() == ["<main>the dashboard</main>"]


# The folder itself: written on the requests people wait for, so a write must not read it all.

PAGE = "<main>" + "<p>A success criterion and its assessment.</p>" * 5000 + "</main>"


def page_folder(path, *, max_entries: int = 2000) -> PageFileCache:
    return PageFileCache(str(path), {"OPTIONS": {"MAX_ENTRIES": max_entries}})


def kept_pages(path) -> int:
    return len(list(path.glob("*.djcache")))


def test_a_kept_page_reads_back_as_it_was_written(tmp_path):
    folder = page_folder(tmp_path)

    folder.set("dashboard", PAGE, 60)

    assert folder.get("dashboard") == PAGE


def test_pages_kept_by_djangos_own_file_cache_are_still_read_after_an_upgrade(tmp_path):
    FileBasedCache(str(tmp_path), {}).set("dashboard", PAGE, 60)

    assert page_folder(tmp_path).get("dashboard") == PAGE


def test_writing_pages_does_not_list_the_whole_folder_each_time(tmp_path, monkeypatch):
    folder = page_folder(tmp_path)
    listings = []
    list_files = folder._list_cache_files
    monkeypatch.setattr(folder, "_list_cache_files", lambda: listings.append(1) or list_files())

    for number in range(200):
        folder.set(f"page-{number}", PAGE, 60)

    # Django's own backend lists the folder on every write: 200 times here.
    assert len(listings) == 200 // CULL_CHECK_EVERY


def test_the_folder_stays_near_its_limit_however_many_pages_are_written(tmp_path):
    folder = page_folder(tmp_path, max_entries=30)

    for number in range(600):
        folder.set(f"page-{number}", "<main>a page</main>", 60)

    # Counted every CULL_CHECK_EVERY writes, the folder passes its limit by fewer than that many
    # before it is shed back to two thirds full.
    assert kept_pages(tmp_path) < 30 + CULL_CHECK_EVERY
    assert folder.get("page-599") == "<main>a page</main>"
