"""A page built by one server worker is served by the others: in production the kept pages live in a
folder every gunicorn worker on the host shares, so after a save the dashboard is built once, not
once per worker."""

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
    assert cache_of(**PRODUCTION) == f"FileBasedCache {ROOT / 'var' / 'cache'}"


def test_the_folder_can_be_moved_or_each_process_can_keep_its_own():
    assert cache_of(**PRODUCTION, DJANGO_PAGE_CACHE_DIR="/srv/irp/cache") == "FileBasedCache /srv/irp/cache"
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
