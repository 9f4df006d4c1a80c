"""A gunicorn worker killed half-way through a save leaves the database consistent, and the officer's
retry succeeds; a task worker killed half-way through writing a PDF leaves no half file served, and a
later worker finishes it; SQLite under concurrent saves never answers 500 "database is locked".

These run the real server: gunicorn on 127.0.0.1 with a throwaway SQLite database in a temporary
folder (seeded by `generate_scale_data --factor 1 --periods 2`), whatever database the rest of
the suite uses.

How a request is caught in the middle: gunicorn serves `fault_wsgi.application`, a module this file
writes next to the database. It wraps the project's WSGI application and, only for a request
carrying the header `X-Fault-Delay: <seconds>`, pauses at a chosen point after writing the pid of
the worker that holds the request to a file: for a save, in a `post_save` receiver on Assessment,
which runs inside the service's transaction after the row and its history record are written but
before the commit. The test waits for that file and SIGKILLs exactly that worker. Requests
without the header are untouched. (Files are no longer rendered in a request, so no request
is caught mid-PDF: the task worker is, through its own test-only pause.)
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
PASSWORD = "bench-only-password-7f3a"  # generate_scale_data's benchmark accounts
SLUG = "synthetic-x1"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in this environment"),
]

FAULT_WSGI = '''
"""Test-only WSGI wrapper (tests/test_faults.py): pauses requests sent with X-Fault-Delay."""
import os
import threading
import time

from thurrock_irp.wsgi import application as django_application

from django.db.models.signals import post_save

from outcomes.models import Assessment

PID_FILE = os.environ["FAULT_PID_FILE"]
_request = threading.local()


def _pause(where):
    delay = getattr(_request, "delay", 0.0)
    if delay:
        with open(PID_FILE + ".part", "w") as file:
            file.write(f"{os.getpid()} {where}")
        os.replace(PID_FILE + ".part", PID_FILE)
        time.sleep(delay)


def _assessment_saved(sender, instance, **kwargs):
    _pause("save")  # inside the service's transaction: row and history written, not committed


post_save.connect(_assessment_saved, sender=Assessment, weak=False)

def application(environ, start_response):
    _request.delay = float(environ.get("HTTP_X_FAULT_DELAY") or 0)
    try:
        return django_application(environ, start_response)
    finally:
        _request.delay = 0.0
'''


# --------------------------------------------------------------------------- the server


class Server:
    def __init__(self, folder: Path, *, workers: int):
        self.folder = folder
        self.database = folder / "faults.sqlite3"
        self.pid_file = folder / "fault.pid"
        self.log = folder / "server.log"
        self.workers = workers
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "DJANGO_DEBUG": "true",
            "AXES_ENABLED": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "FAULT_PID_FILE": str(self.pid_file),
            "DJANGO_MEDIA_ROOT": str(folder / "media"),
            # A task worker that misses heartbeats for 5 s (it beats every second) is taken as dead.
            "EXPORT_STALE_SECONDS": "5",
            "EXPORT_HEARTBEAT_SECONDS": "1",
            "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}",
        }
        self.process: subprocess.Popen | None = None
        self.media = folder / "media"

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self) -> None:
        (self.folder / "fault_wsgi.py").write_text(FAULT_WSGI)
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "fault_wsgi:application",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "--capture-output",
                "--error-logfile",
                str(self.log),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if (
                    Browser(self).get("/account/sign-in/")[0] == 200
                    and len(self.worker_pids()) == self.workers
                ):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("gunicorn did not start in 30 s:\n" + self.log.read_text())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def worker_pids(self) -> set[int]:
        """The master's children, read from /proc."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.add(int(stat.parent.name))
        return pids

    def wait_for_workers(self, *, replacing: int) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if len(pids) == self.workers and replacing not in pids:
                return
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not replace worker {replacing}")

    def worker(self, log: Path, *, pause_mid_write: float = 0) -> subprocess.Popen:
        """A real task worker (`manage.py db_worker`) on this server's database: the PDFs' one."""
        from django.conf import settings

        env = {**self.env, "EXPORT_TEST_PAUSE_MID_WRITE": str(pause_mid_write)}
        return subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "db_worker",
                "--queue-name",
                settings.TASK_QUEUE_PDF,
                "--no-reload",
                "--interval",
                "0.2",
                "-v2",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def wait_for_partial_export(self, fmt: str) -> Path:
        """Wait until a worker has written part of an export into storage; the file."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            files = [path for path in (self.media / "exports").rglob(f"*.{fmt}") if path.stat().st_size]
            if files and self.sql("SELECT status FROM reporting_exportrender") == [("running",)]:
                return files[0]
            time.sleep(0.1)
        raise AssertionError("no worker started writing the export")

    def logs(self, folder: Path) -> str:
        return "\n".join(path.read_text() for path in sorted(folder.glob("*.log")))

    def execute(self, statement: str) -> None:
        connection = sqlite3.connect(self.database, timeout=30)
        try:
            with connection:
                connection.execute(statement)
        finally:
            connection.close()

    def sql(self, query: str, *params) -> list[tuple]:
        connection = sqlite3.connect(self.database, timeout=30)
        try:
            return connection.execute(query, params).fetchall()
        finally:
            connection.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self, server: Server):
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, response.headers, content

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def sign_in(self, username: str) -> None:
        _, _, page = self.get("/account/sign-in/")
        status, _, _ = self.request(
            "POST",
            "/account/sign-in/",
            {
                "csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"),
                "username": username,
                "password": PASSWORD,
            },
        )
        assert status == 302, f"{username} could not sign in"

    def save(self, pk: int, narrative: str, *, headers: dict | None = None, action: str = "save_draft"):
        """Open the update page and save it, as an officer would: the version is the one the page shows."""
        status, _, page = self.get(f"/updates/{pk}/")
        assert status == 200, status
        data = {
            "csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"),
            "version": hidden(page, "version"),
            "rag": "A",
            "narrative": narrative,
            "reason": "Fault test",
            "action": action,
        }
        return self.request("POST", f"/updates/{pk}/", data, headers=headers)


def hidden(page: bytes, name: str) -> str:
    match = re.search(rb'name="' + name.encode() + rb'" value="([^"]*)"', page) or re.search(
        rb'value="([^"]*)" name="' + name.encode() + rb'"', page
    )
    assert match, f"no {name} field on the page"
    return match.group(1).decode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("faults"), workers=2)
    server.manage("migrate", "--no-input", "-v0")
    server.manage("generate_scale_data", "--factor", "1", "--periods", "2")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def officer_assessments(server) -> list[int]:
    rows = server.sql(
        "SELECT a.id FROM outcomes_assessment a JOIN outcomes_successcriterion c ON c.id = a.criterion_id "
        "JOIN auth_user u ON u.id = c.owner_id JOIN outcomes_reportingperiod p ON p.id = a.period_id "
        # Not submitted or approved: those are read, not edited, until withdrawn (no form to save).
        "WHERE u.username = ? AND p.state = 'open' AND a.status NOT IN ('submitted', 'approved') "
        "ORDER BY a.id",
        f"{SLUG}-officer-0",
    )
    assert len(rows) >= 2
    return [pk for (pk,) in rows]


def state_of(server: Server, pk: int) -> dict:
    ((version, narrative),) = server.sql(
        "SELECT version, narrative FROM outcomes_assessment WHERE id = ?", pk
    )
    history = server.sql(
        "SELECT version, narrative FROM outcomes_historicalassessment WHERE id = ? ORDER BY history_id", pk
    )
    return {"version": version, "narrative": narrative, "history": history}


def kill_when_paused(server: Server, where: str, send) -> tuple[int, BaseException | None]:
    """Run `send` in a thread; when a worker reports it is paused at `where`, SIGKILL it."""
    server.pid_file.unlink(missing_ok=True)
    outcome: dict = {}

    def run():
        try:
            outcome["response"] = send()
        except BaseException as error:  # noqa: BLE001 - the client's side of a killed worker
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.pid_file.exists():
        assert time.monotonic() < deadline, "the request never reached the pause point"
        time.sleep(0.02)
    pid, reached = server.pid_file.read_text().split()
    assert reached == where
    os.kill(int(pid), signal.SIGKILL)
    thread.join(timeout=30)
    if "response" in outcome:
        status = outcome["response"][0]
        assert status >= 500, f"the killed request still answered {status}"
    return int(pid), outcome.get("error")


# --------------------------------------------------------------------------- the tests


def test_a_worker_killed_mid_save_loses_nothing_and_the_officers_retry_is_saved(server, officer_assessments):
    pk = officer_assessments[0]
    officer = Browser(server)
    officer.sign_in(f"{SLUG}-officer-0")
    before = state_of(server, pk)

    killed, error = kill_when_paused(
        server,
        "save",
        lambda: officer.save(pk, "Half-way text that was never committed.", headers={"X-Fault-Delay": "20"}),
    )

    assert error is not None, "the officer was not told the save failed"  # connection closed, no 2xx/3xx
    assert state_of(server, pk) == before  # neither the row nor its history was half-written
    assert server.sql("PRAGMA integrity_check") == [("ok",)]
    server.wait_for_workers(replacing=killed)

    status, headers, _ = officer.save(pk, "The officer's text, saved on the second try.")
    assert status == 302, status
    after = state_of(server, pk)
    assert after["version"] == before["version"] + 1
    assert after["narrative"] == "The officer's text, saved on the second try."
    assert after["history"] == [*before["history"], (after["version"], after["narrative"])]
    assert "Half-way text" not in str(after["history"])


def test_a_task_worker_killed_while_writing_a_pdf_serves_no_half_file_and_a_later_worker_finishes_it(
    server, tmp_path
):
    """A real `db_worker` is SIGKILLed half-way through writing the PDF into storage.

    The worker is told (EXPORT_TEST_PAUSE_MID_WRITE, test-only) to stop between the two halves of
    the file, so the half-written file really is in storage when it dies.
    """
    # Files queued while the data was generated are for data since changed: an empty queue.
    server.execute("DELETE FROM django_tasks_database_dbtaskresult")
    server.execute("DELETE FROM reporting_exportrender")
    democratic = Browser(server)
    democratic.sign_in(f"{SLUG}-democratic")
    status_page = f"/reports/{SLUG}-p01/files/pdf/"
    download = f"/reports/{SLUG}-p01/download.pdf"
    first = server.worker(tmp_path / "first-worker.log", pause_mid_write=60)
    try:
        _, _, page = democratic.get(status_page)
        status, _, _ = democratic.request(
            "POST", status_page, {"csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken")}
        )
        assert status == 302
        partial = server.wait_for_partial_export("pdf")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)

    assert not partial.read_bytes().rstrip().endswith(b"%%EOF"), "the file was complete before the kill"
    status, headers, _ = democratic.get(download)
    assert status == 302 and headers["Location"].startswith(status_page)  # the half file is not served
    assert b"Preparing the PDF" in democratic.get(status_page)[2]
    assert server.sql("SELECT status, attempts FROM reporting_exportrender") == [("running", 1)]

    second = server.worker(tmp_path / "second-worker.log")
    try:
        deadline = time.monotonic() + 180
        while True:
            # Checking again is what notices the silent worker (no heartbeat for 5 s) and queues it again.
            status, headers, body = democratic.get(download)
            if status == 200:
                break
            assert time.monotonic() < deadline, "no worker finished the PDF:\n" + server.logs(tmp_path)
            time.sleep(1)
    finally:
        second.terminate()
        second.wait(timeout=30)

    assert headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert server.sql("SELECT status, attempts FROM reporting_exportrender") == [("ready", 2)]
    stored = list((server.media / "exports").rglob("*.pdf"))
    assert [path.read_bytes() for path in stored] == [body]  # the half file was cleared away
    assert server.sql("PRAGMA integrity_check") == [("ok",)]


def test_concurrent_saves_on_sqlite_never_answer_500_or_database_is_locked(server, officer_assessments):
    """Twelve tabs of one officer save the same few criteria as fast as they can, beside dashboard readers."""
    officer = Browser(server)
    officer.sign_in(f"{SLUG}-officer-0")
    commissioner = Browser(server)
    commissioner.sign_in(f"{SLUG}-commissioner")
    targets = officer_assessments[:3]
    versions_before = {pk: state_of(server, pk)["version"] for pk in targets}
    statuses: list[int] = []
    applied: list[tuple[int, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def tab(number: int) -> None:
        browser = Browser(server)
        browser.cookies = dict(officer.cookies)  # the same signed-in officer in another tab
        for round_number in range(6):
            pk = targets[(number + round_number) % len(targets)]
            text = f"Tab {number} round {round_number}: {secrets.token_hex(4)}"
            status, _, _ = browser.save(pk, text)
            with lock:
                statuses.append(status)
                if status == 302:
                    applied.append((pk, text))

    def reader() -> None:
        browser = Browser(server)
        browser.cookies = dict(commissioner.cookies)
        while not stop.is_set():
            status, _, _ = browser.get(f"/dashboard/?period={SLUG}-p02")
            with lock:
                statuses.append(status)

    tabs = [threading.Thread(target=tab, args=(n,)) for n in range(12)]
    readers = [threading.Thread(target=reader) for _ in range(2)]
    for thread in tabs + readers:
        thread.start()
    for thread in tabs:
        thread.join(timeout=120)
    stop.set()
    for thread in readers:
        thread.join(timeout=60)

    assert statuses and all(status < 500 for status in statuses), sorted(set(statuses))
    assert set(statuses) <= {200, 302, 409}, sorted(set(statuses))  # saved, or told it conflicted
    assert applied
    log = server.log.read_text()
    assert "database is locked" not in log
    assert "Traceback" not in log
    for pk in targets:
        state = state_of(server, pk)
        texts = {narrative for _, narrative in state["history"]}
        saved_here = [text for target, text in applied if target == pk]
        assert all(text in texts for text in saved_here)  # every save the officer was told of is kept
        assert state["version"] == versions_before[pk] + len(saved_here)
