"""Real-browser fixtures: Debian's Chromium, driven by Playwright, against the app on 127.0.0.1.

Chromium comes from the system (scripts/install-system-deps.sh), never from Playwright's own
download. Without it these tests skip locally, and fail on CI (where `CI` is set), so a CI run
cannot pass without having proved the journeys in a browser.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop on the main thread; Django then refuses ORM calls
# from the test body unless told that this is deliberate. The live server's address is
# 127.0.0.1 rather than "localhost", so no IPv6 lookup can send the browser elsewhere.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

from tests.browser.helpers import BrowserSession  # noqa: E402
from tests.exports import tasks_setting  # noqa: E402

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="package")
def chromium() -> Iterator:
    """One Chromium for the browser tests; each person gets their own context (cookies, storage).

    Package scope: Playwright's event loop stops once the last browser test has run, so the
    rest of the suite runs as it would without these tests.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed: run `make system-deps` (scripts/install-system-deps.sh)."
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"Browser tests must run on CI, but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _role_groups(transactional_db) -> None:
    """The live server needs committed data, so these tests run in transactional databases, which
    are emptied after each test, taking the roles' groups (made by a data migration) with them.

    Django's `serialized_rollback` would restore them, but it looks for the saved copy on the
    connection object, and Playwright's event loop gives the test body a different one (asgiref
    keeps connections per context), so the groups are made here instead.
    """
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    for role in Role.values:
        Group.objects.get_or_create(name=role)


@pytest.fixture
def worker_waits(settings):
    """Tasks wait in the queue, as they do for a busy worker, until the test lets the worker run
    (`tests.browser.helpers.worker_runs`)."""
    settings.TASKS = tasks_setting("django_tasks.backends.dummy.DummyBackend")


@pytest.fixture
def browser_session(chromium, live_server) -> Iterator:
    """Open browser contexts (one per person) on the live server; fail on any console error.

    The contexts keep the strict Content Security Policy: axe is evaluated through the DevTools
    protocol, which the policy does not govern, so every journey also proves that nothing the
    app serves is blocked (a blocked inline script or style is logged as a console error).
    """
    session = BrowserSession(browser=chromium, base_url=live_server.url)
    yield session
    session.close()
    session.assert_console_clean()


def pytest_terminal_summary(terminalreporter) -> None:
    """Say how many journey pages axe-core checked, so "no violations" is never "nothing checked"."""
    from tests.browser.helpers import AXE_LOG

    pages = [entry for entry in AXE_LOG if entry["journey"] != "self-check"]
    if pages:
        failing = sum(1 for entry in pages if entry["violations"])
        terminalreporter.write_line(
            f"axe-core checked {len(pages)} journey pages ({len({e['url'] for e in pages})} addresses): "
            f"{failing} with serious or critical violations. Screenshots in var/screenshots/."
        )
