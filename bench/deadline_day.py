"""Deadline day: 50 officers save and submit at once while commissioners read and PDFs are exported.

Run from the repository root: `.venv/bin/python bench/deadline_day.py` (or `make bench`).
Options: `--databases sqlite,postgres`, `--duration 90` (seconds, the hard bound of the load
phase), `--rounds 2` (each officer updates each criterion they own this many times).

For each database it builds a throwaway one (a SQLite file under var/bench/, or a PostgreSQL
cluster under var/bench/ started as scripts/with-postgres.sh does), seeds a synthetic plan
twice Thurrock's size whose last quarter is open, gives 50 officers its 122 criteria (each
outcome has several officers), and serves the app with gunicorn (4 sync workers, DEBUG off, as
in production) on 127.0.0.1 only. Then, in threads of this process, with nothing but
`http.client`, as browsers would:

* 50 officers sign in, and for every criterion they own open the update page, save a draft
  (following the redirect back to the form) and submit, giving a reason when the page asks for
  one; `--rounds` times over.
* 10 of them also have a second browser open on their first criterion: both tabs load the same
  version, wait for each other, and save at the same moment. One must win; the other must be
  told it conflicts (HTTP 409 and the compare page), and then applies its text again from that
  page, as the page offers.
* 10 commissioners refresh the dashboard (latest published and the open draft) and 2 Democratic
  Services users export files until the officers finish, each taking in turn the quarterly
  report's PDF (the latest published quarter and the open draft), the boards' delivery exception
  report as PDF and the open quarter's criteria list as Excel (the delivery and criteria exports
  go through the same stored-export path). An export is what a person does in the browser: open
  the file's page (`check_<subject>`), press "Prepare the …" if it is not prepared
  (`ask_<subject>`), try the download (`download_<subject>`: the file, or a redirect back to the
  page) and check again every second until the file comes. The task workers (`manage.py
  db_worker`, one per queue: PDFs, and every other file, as `make run` and the README's
  deployment start them) render beside gunicorn.

Every HTTP request is timed by kind, export requests included, with each kind's p95 against the
saves'; apart from them, each export's time from asking to having the file (`exports`), with
every export taken once before the load starts (`unloaded_export_s`) to compare with (the
published quarter's PDF so is prepared, as publishing it would have). People arrive over the
first `--sign-ins-over` seconds (15), each at a random moment, not all in one second. Kept
pages go to a fresh shared folder per run (`DJANGO_PAGE_CACHE_DIR`), as in production.

Afterwards it reconciles every save against the database: a save the user was told succeeded
must be in the assessment's history (and is either the saved row or superseded by a later
save); a refusal must have been a conflict page and must not be in history. `lost_updates`
counts successes found nowhere. Also counted: 5xx answers, and "database is locked" in the
server log. Prints both databases' numbers and writes var/bench/deadline_day.json:
`{"<database>": {"requests", "rps", "p50_ms", "p95_ms", "p99_ms", "server_errors", "saves_applied",
"conflicts_reported", "lost_updates", ...}}`, and every request, in the order sent, to
var/bench/deadline-day-<database>-requests.csv (seconds into the load, kind, status, ms), to
see where in the load's shape the slowest fall. Beside them, where the two cores went during the
load (`CpuMeter`): CPU seconds of the web server, each task worker, the database server (PostgreSQL)
and this load generator, each second's split in var/bench/deadline-day-<database>-cpu.csv, and how
many of the slowest 1 % of requests fell in seconds when every core was full. Last, each of
issue 18's lines for deadline day, with this run's number and whether it was met (`issue_lines`).
Exit status 1 if any update was lost or any 5xx.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import itertools
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    BENCH_DIR,
    BENCH_PASSWORD,
    PYTHON,
    ROOT,
    django_setup,
    free_port,
    latency_summary,
    postgres_cluster,
    print_machine,
    print_table,
    remove_sqlite,
    sqlite_database,
    write_json,
)

OFFICERS = 50
TWINS = 10  # officers with a second browser racing on the same criterion
COMMISSIONERS = 10
EXPORTERS = 2
FACTOR = 2
PERIODS = 4
WORKERS = 4
# A second in which the processes measured used this much CPU had none to spare: 0.1 core is
# sampling noise and what the rest of the machine takes.
CORES_FULL = (os.cpu_count() or 1) - 0.1
OPENING_SECONDS = 15  # the load's first seconds, reported apart: 72 sign-ins hash passwords at once
SLUG = "deadline"
RAGS = "RAG"
# Realistic reasons for changing a submitted update; some are longer than 100 characters.
REASONS = [
    "Figures corrected.",
    "The Lead Director asked for the Q3 outturn to be added.",
    "Corrected after the finance team confirmed the quarter's outturn: the previous wording understated "
    "the savings delivered by the transformation programme and omitted the one-off grant.",
    "Updated to reflect the Cabinet decision of 12 March on the revised governance arrangements, "
    "which changes the rating from amber to green.",
]
INPUT_PATTERN = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
ATTRIBUTE_PATTERN = re.compile(r'(\w[\w-]*)="([^"]*)"')


# --------------------------------------------------------------------------- a minimal browser


@dataclass
class Record:
    kind: str  # login, form, save, my_updates, dashboard; check_, ask_, download_ + report|delivery|criteria
    status: int  # 0: no answer (connection error)
    ms: float
    error: str = ""
    started: float = 0.0  # time.perf_counter() when sent: where in the load the request fell


@dataclass
class Save:
    """One POST of the update form, and what its user was told."""

    assessment: int
    narrative: str
    action: str
    status: int
    outcome: str  # applied | conflict | refused | error
    by: str


class Browser:
    """Cookies, CSRF tokens and redirects, over a new connection per request (gunicorn sync workers
    close the connection after each response anyway)."""

    def __init__(self, port: int, name: str, records: list, lock: threading.Lock):
        self.port, self.name = port, name
        self.cookies: dict[str, str] = {}
        self.records, self.lock = records, lock

    def request(
        self, method: str, path: str, *, kind: str, data: dict | None = None
    ) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": f"deadline-day/{self.name}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            status = response.status
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
            location = response.headers.get("Location", "")
            content_type = response.headers.get("Content-Type", "")
            connection.close()
        except OSError as error:
            self._record(Record(kind, 0, (time.perf_counter() - started) * 1000, repr(error), started))
            return 0, {}, ""
        self._record(Record(kind, status, (time.perf_counter() - started) * 1000, started=started))
        text = content.decode("utf-8", "replace") if "text/" in content_type else ""
        return status, {"location": location, "type": content_type, "bytes": len(content)}, text

    def _record(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)

    def sign_in(self, username: str) -> bool:
        status, _, page = self.request("GET", "/account/sign-in/", kind="login")
        token = form_fields(page).get("csrfmiddlewaretoken")
        if status != 200 or not token:
            return False
        status, meta, _ = self.request(
            "POST",
            "/account/sign-in/",
            kind="login",
            data={"csrfmiddlewaretoken": token, "username": username, "password": BENCH_PASSWORD},
        )
        return status == 302 and "sessionid" in self.cookies


def form_fields(page: str) -> dict[str, str]:
    """name → value of the page's <input>s (version, CSRF token); `__reason__` if it asks for a reason."""
    fields = {}
    for tag in INPUT_PATTERN.findall(page):
        attributes = dict(ATTRIBUTE_PATTERN.findall(tag))
        if "name" in attributes:
            fields.setdefault(attributes["name"], html.unescape(attributes.get("value", "")))
    if 'name="reason"' in page:
        fields["__reason__"] = "yes"
    return fields


# --------------------------------------------------------------------------- the people


@dataclass
class Load:
    port: int
    database: str
    stop: threading.Event
    deadline: float
    rounds: int
    sign_ins_over: float = 0.0  # each person arrives at a random moment in the load's first seconds
    records: list = field(default_factory=list)
    saves: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    failures: list = field(default_factory=list)
    exports: list = field(default_factory=list)  # (export, seconds from asking to the file)
    started: float = 0.0  # time.perf_counter() when the load began
    withdrawals: dict = field(default_factory=dict)  # assessment → withdrawals that succeeded

    def browser(self, name: str) -> Browser:
        return Browser(self.port, name, self.records, self.lock)

    def note_save(self, save: Save) -> None:
        with self.lock:
            self.saves.append(save)

    def post_update(self, browser: Browser, pk: int, page: str, *, action: str, rng: random.Random) -> tuple:
        """Fill in the update form on `page` and post it; returns (status, meta, answer page)."""
        fields = form_fields(page)
        if "version" not in fields or "csrfmiddlewaretoken" not in fields:
            return None
        narrative = (
            f"Deadline day {self.database}: {browser.name} {action} on {pk} at {time.time():.6f} "
            f"[{secrets.token_hex(6)}]. " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 60)))
        )
        data = {
            "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
            "version": fields["version"],
            "rag": rng.choice(RAGS),
            "narrative": narrative,
            "action": action,
        }
        if fields.get("__reason__"):
            data["reason"] = rng.choice(REASONS)
        status, meta, answer = browser.request("POST", f"/updates/{pk}/", kind="save", data=data)
        if status == 302:
            outcome = "applied"
        elif status == 409 and "changed while you were editing" in answer:
            outcome = "conflict"
        elif status == 0:
            outcome = "error"
        else:
            outcome = "refused"
        self.note_save(Save(pk, narrative.strip(), action, status, outcome, browser.name))
        return status, meta, answer

    def withdraw(self, browser: Browser, pk: int, rng: random.Random) -> str | None:
        """Withdraw a submitted or approved update to edit it; the update page after, or None."""
        status, _, page = browser.request("GET", f"/updates/{pk}/withdraw/", kind="form")
        fields = form_fields(page) if status == 200 else {}
        if "version" not in fields or "csrfmiddlewaretoken" not in fields:
            return None
        data = {
            "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
            "version": fields["version"],
            "reason": rng.choice(REASONS),
        }
        status, meta, _ = browser.request("POST", f"/updates/{pk}/withdraw/", kind="save", data=data)
        if status != 302:
            return None
        with self.lock:  # a withdrawal is a version of its own, besides the saves
            self.withdrawals[pk] = self.withdrawals.get(pk, 0) + 1
        status, _, page = browser.request("GET", meta["location"], kind="form")
        return page if status == 200 else None

    def officer(
        self, username: str, assessments: list[int], twin_barriers: list[threading.Barrier] | None, seed: int
    ) -> None:
        rng = random.Random(seed)
        browser = self.browser(username)
        time.sleep(rng.uniform(0, self.sign_ins_over))  # arriving through the morning, not all at once
        if not browser.sign_in(username):
            self.failures.append(f"{username} could not sign in")
            return
        for round_number in range(self.rounds):
            for index, pk in enumerate(assessments):
                if time.monotonic() > self.deadline:
                    # The second browser must not wait for a race this officer will never run.
                    for barrier in twin_barriers or []:
                        barrier.abort()
                    return
                if index == 0 and twin_barriers is not None:
                    self.race(browser, pk, twin_barriers[round_number], rng)
                    continue
                status, _, page = browser.request("GET", f"/updates/{pk}/", kind="form")
                if status != 200:
                    continue
                if f"/updates/{pk}/withdraw/" in page:
                    # Submitted in an earlier round: an officer withdraws it, with a reason, to edit it.
                    page = self.withdraw(browser, pk, rng)
                    if page is None:
                        continue
                answer = self.post_update(browser, pk, page, action="save_draft", rng=rng)
                if not answer or answer[0] != 302:
                    continue
                status, _, page = browser.request("GET", answer[1]["location"], kind="form")  # the redirect
                if status != 200:
                    continue
                answer = self.post_update(browser, pk, page, action="submit", rng=rng)
                if answer and answer[0] == 302:
                    browser.request("GET", answer[1]["location"], kind="my_updates")

    def race(self, browser: Browser, pk: int, barrier: threading.Barrier, rng: random.Random) -> None:
        """Two tabs holding the same version save at once; the loser re-applies from the conflict page."""
        status, _, page = browser.request("GET", f"/updates/{pk}/", kind="form")
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            return
        if status != 200:
            return
        answer = self.post_update(browser, pk, page, action="submit", rng=rng)
        if answer and answer[0] == 409:
            self.post_update(browser, pk, answer[2], action="submit", rng=rng)

    def twin(self, username: str, pk: int, barriers: list[threading.Barrier], seed: int) -> None:
        rng = random.Random(seed)
        browser = self.browser(f"{username}-tab2")
        time.sleep(rng.uniform(0, self.sign_ins_over))  # arriving through the morning, not all at once
        if not browser.sign_in(username):
            self.failures.append(f"{username}'s second browser could not sign in")
            for barrier in barriers:
                barrier.abort()
            return
        for barrier in barriers:
            if time.monotonic() > self.deadline:
                barrier.abort()
                continue
            self.race(browser, pk, barrier, rng)

    def reader(self, username: str, paths: list[str], *, kind: str, think: float, seed: int) -> None:
        rng = random.Random(seed)
        browser = self.browser(username)
        time.sleep(rng.uniform(0, self.sign_ins_over))  # arriving through the morning, not all at once
        if not browser.sign_in(username):
            self.failures.append(f"{username} could not sign in")
            return
        turn = 0
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            path = paths[turn % len(paths)]
            browser.request("GET", path, kind=kind)
            turn += 1
            self.stop.wait(think * (0.5 + rng.random()))

    def exporter(self, username: str, exports: list[Export], *, think: float, seed: int) -> None:
        """Take each export in turn, as a person in the browser would, until the officers finish."""
        rng = random.Random(seed)
        browser = self.browser(username)
        time.sleep(rng.uniform(0, self.sign_ins_over))  # arriving through the morning, not all at once
        if not browser.sign_in(username):
            self.failures.append(f"{username} could not sign in")
            return
        turn = 0
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            export = exports[turn % len(exports)]
            seconds = export_file(browser, export, until=self.deadline, failures=self.failures)
            if seconds is not None:
                with self.lock:
                    self.exports.append((export.label, seconds))
            turn += 1
            self.stop.wait(think * (0.5 + rng.random()))


@dataclass(frozen=True)
class Export:
    """One file a person exports: its progress page, its download and what it must be."""

    subject: str  # report | delivery | criteria: the requests' kinds are named after it
    label: str
    files_page: str  # a path, without a query
    download: str
    content_type: str
    query: str = ""  # what the file is of (dates, filters), as the page's own links carry it


def exports_of(seeded: dict) -> dict[str, Export]:
    """The files Democratic Services take on deadline day: the quarterly report (published and the
    open draft), the board's exception report (delivery) and the filtered criteria list."""
    pdf, xlsx = "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    published, draft = seeded["published"], seeded["open"]
    return {
        "published": Export(
            "report",
            "report PDF, published",
            f"/reports/{published}/files/pdf/",
            f"/reports/{published}/download.pdf",
            pdf,
        ),
        "draft": Export(
            "report",
            "report PDF, draft",
            f"/reports/{draft}/files/pdf/",
            f"/reports/{draft}/download.pdf",
            pdf,
        ),
        "delivery": Export(
            "delivery",
            "delivery exception report PDF",
            f"/delivery/{SLUG}/exceptions/all/export.pdf",
            f"/delivery/{SLUG}/exceptions/all/download.pdf",
            pdf,
        ),
        "criteria": Export(
            "criteria",
            "criteria list Excel, draft",
            "/criteria/export.xlsx",
            "/criteria/download.xlsx",
            xlsx,
            query=urllib.parse.urlencode({"period": draft}),
        ),
    }


def export_file(browser: Browser, export: Export, *, until: float, failures: list) -> float | None:
    """Ask for the file and check every second until it can be downloaded: seconds taken.

    Asking answers with the page of the file asked for (`render=`): a draft's data moves on as
    officers save, and the person gets the file of the data as it was when they asked.
    """
    check, ask, download = (f"{action}_{export.subject}" for action in ("check", "ask", "download"))
    query = export.query
    started = time.monotonic()
    status, _, page = browser.request("GET", with_query(export.files_page, query), kind=check)
    if status != 200:
        failures.append(f"{export.files_page} answered {status}")
        return None
    if "Prepare the " in page or "Try again" in page:
        token = form_fields(page).get("csrfmiddlewaretoken", "")
        status, meta, _ = browser.request(
            "POST", with_query(export.files_page, query), kind=ask, data={"csrfmiddlewaretoken": token}
        )
        if status != 302:
            failures.append(f"asking for the {export.label} answered {status}")
            return None
        query = urllib.parse.urlsplit(meta["location"]).query
    while time.monotonic() < until:
        status, meta, _ = browser.request("GET", with_query(export.download, query), kind=download)
        if status == 200:
            if not meta.get("type", "").startswith(export.content_type):
                failures.append(f"the {export.label}'s download answered {meta.get('type')}")
            return time.monotonic() - started
        if status != 302:
            failures.append(f"the {export.label}'s download answered {status}")
            return None
        time.sleep(1)
        status, _, page = browser.request("GET", with_query(export.files_page, query), kind=check)
        if "Try again" in page:
            failures.append(f"the {export.label} could not be prepared")
            return None
    return None


def with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


WORDS = (
    "governance assurance budget savings scrutiny culture members officers residents partners audit risk "
    "decision performance transparency capability procurement contracts training engagement <b>bold</b> "
    '£1.2m O\'Neill "quoted" café naïve 50% =SUM(A1) +44 -3 @mention'
).split()


# --------------------------------------------------------------------------- one database


@contextlib.contextmanager
def database_for(kind: str):
    if kind == "sqlite":
        path = sqlite_database("deadline-day")
        try:
            yield f"sqlite:///{path}"
        finally:
            remove_sqlite(path)
    elif kind == "postgres":
        with postgres_cluster("deadline-day") as url:
            yield url
    else:
        raise SystemExit(f"Unknown database {kind!r}: choose sqlite or postgres.")


def seed() -> dict:
    """The plan, its open period, 50 officers sharing its criteria, commissioners and exporters."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from accounts.roles import Role
    from outcomes.models import Assessment, PeriodState, ReportingPeriod, SuccessCriterion
    from outcomes.scale import build_synthetic_plan

    plan = build_synthetic_plan(factor=FACTOR, periods=PERIODS, slug=SLUG, officers=OFFICERS, seed=9)
    User = get_user_model()
    # Deal the criteria out in report order, so each officer owns two or three criteria and every
    # outcome has several officers saving at once.
    officers = sorted(
        User.objects.filter(username__startswith=f"{SLUG}-officer-"),
        key=lambda u: int(u.username.rsplit("-", 1)[1]),
    )
    criteria = list(SuccessCriterion.objects.filter(outcome__plan=plan).order_by("outcome__number", "letter"))
    for index, criterion in enumerate(criteria):
        criterion.owner = officers[index % len(officers)]
    SuccessCriterion.objects.bulk_update(criteria, ["owner"])
    for role, prefix, count in (
        (Role.COMMISSIONER, "commissioner", COMMISSIONERS),
        (Role.DEMOCRATIC_SERVICES, "democratic", EXPORTERS),
    ):
        users = User.objects.bulk_create([User(username=f"{SLUG}-{prefix}-{i}") for i in range(count)])
        Group.objects.get(name=role).user_set.add(*users)
    # One hash for every benchmark account: hashing 62 passwords one by one would take half a minute.
    User.objects.filter(username__startswith=f"{SLUG}-").update(password=make_password(BENCH_PASSWORD))
    open_period = ReportingPeriod.objects.get(plan=plan, state=PeriodState.OPEN)
    published = ReportingPeriod.objects.filter(plan=plan, state=PeriodState.PUBLISHED).order_by("-end")[0]
    owned: dict[str, list[int]] = {}
    for pk, owner in (
        Assessment.objects.filter(period=open_period)
        .order_by("criterion__outcome__number", "criterion__letter")
        .values_list("pk", "criterion__owner__username")
    ):
        owned.setdefault(owner, []).append(pk)
    versions = dict(Assessment.objects.filter(period=open_period).values_list("pk", "version"))
    # Building the plan published its earlier quarters, which queued their files; the bulk steps
    # after moved the data generation, so those files are of data since changed: an empty queue.
    from django_tasks_db.models import DBTaskResult

    from reporting.models import ExportRender

    DBTaskResult.objects.all().delete()
    ExportRender.objects.all().delete()
    return {"owned": owned, "open": open_period.slug, "published": published.slug, "versions": versions}


def production_environment(url: str | None = None) -> dict[str, str]:
    """The app's environment in production mode; DATABASE_URL as given (collectstatic needs none)."""
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if url:
        environment["DATABASE_URL"] = url
    return {
        **environment,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "AXES_ENABLED": "true",
    }


def collect_static_files() -> None:
    """Collect the static files as production does, into the configured STATIC_ROOT (var/).

    With DEBUG off the app serves the hashed copies listed in collectstatic's manifest; a fresh
    clone has none, and every page would answer 500. Collecting with DEBUG on (in this process)
    writes no manifest, so it runs in a child in production mode.
    """
    done = subprocess.run(
        [str(PYTHON), str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"collectstatic failed:\n{done.stdout}{done.stderr}")


def start_gunicorn(url: str, port: int, log_prefix: Path) -> subprocess.Popen:
    environment = production_environment(url)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "thurrock_irp.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "10",
            "--capture-output",
            "--error-logfile",
            f"{log_prefix}-server.log",
            "--access-logfile",
            f"{log_prefix}-access.log",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    started = time.monotonic()
    while time.monotonic() - started < 60:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log_prefix}-server.log")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/account/sign-in/", headers={"Host": f"127.0.0.1:{port}"})
            if connection.getresponse().status == 200:
                return server
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def start_task_workers(url: str, log_prefix: Path, media: Path) -> list[subprocess.Popen]:
    """One `manage.py db_worker` per task queue (PDFs, every other file), as `make run` and the
    README's deployment run them beside the server."""
    from django.conf import settings

    environment = {**production_environment(url), "DJANGO_MEDIA_ROOT": str(media)}
    workers = []
    for queue in settings.TASK_QUEUES:
        with open(f"{log_prefix}-worker-{queue}.log", "w") as log:
            workers.append(
                subprocess.Popen(
                    [
                        str(PYTHON),
                        str(ROOT / "manage.py"),
                        "db_worker",
                        "--no-reload",
                        "--queue-name",
                        queue,
                        "--interval",
                        str(settings.TASK_WORKER_POLL_SECONDS),
                    ],
                    cwd=ROOT,
                    env=environment,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
    return workers


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run_load(
    *, port: int, database: str, seeded: dict, duration: float, rounds: int, sign_ins_over: float
) -> Load:
    load = Load(
        port=port,
        database=database,
        stop=threading.Event(),
        deadline=time.monotonic() + duration,
        rounds=rounds,
        sign_ins_over=sign_ins_over,
    )
    owned = seeded["owned"]
    officers = sorted(owned, key=lambda name: int(name.rsplit("-", 1)[1]))[:OFFICERS]
    officer_threads, reader_threads = [], []
    for index, username in enumerate(officers):
        barriers = None
        if index < TWINS:
            barriers = [threading.Barrier(2) for _ in range(rounds)]
            reader_threads.append(
                threading.Thread(
                    target=load.twin, args=(username, owned[username][0], barriers, 1000 + index)
                )
            )
        officer_threads.append(
            threading.Thread(target=load.officer, args=(username, owned[username], barriers, index))
        )
    dashboards = ["/dashboard/", f"/dashboard/?period={seeded['open']}"]
    for i in range(COMMISSIONERS):
        reader_threads.append(
            threading.Thread(
                target=load.reader,
                args=(f"{SLUG}-commissioner-{i}", dashboards),
                kwargs={"kind": "dashboard", "think": 0.5, "seed": 2000 + i},
            )
        )
    exports = list(exports_of(seeded).values())
    for i in range(EXPORTERS):
        reader_threads.append(
            threading.Thread(
                target=load.exporter,
                # Each takes every export in turn, the second starting half-way round.
                args=(f"{SLUG}-democratic-{i}", exports[2 * i :] + exports[: 2 * i]),
                kwargs={"think": 1.0, "seed": 3000 + i},
            )
        )
    started = time.monotonic()
    load.started = time.perf_counter()
    for thread in reader_threads + officer_threads:
        thread.start()
    for thread in officer_threads:
        thread.join()
    load.stop.set()
    for thread in reader_threads:
        thread.join()
    load.elapsed = time.monotonic() - started
    return load


def reconcile(load: Load, seeded: dict) -> dict:
    """Every save its user was told succeeded is in history; every refusal was a conflict, not applied."""
    from outcomes.models import Assessment

    History = Assessment.history.model
    pks = {save.assessment for save in load.saves}
    final = {a.pk: a for a in Assessment.objects.filter(pk__in=pks)}
    history: dict[int, dict[str, int]] = {}
    latest: dict[int, object] = {}
    for row in History.objects.filter(id__in=pks).order_by("history_date", "history_id"):
        history.setdefault(row.id, {})[row.narrative] = row.history_id
        latest[row.id] = row
    applied = conflicts = refused = lost = phantom = superseded = 0
    applied_by_assessment: dict[int, int] = {}
    for save in load.saves:
        recorded = history.get(save.assessment, {})
        in_history = save.narrative in recorded
        if save.outcome == "applied":
            if in_history:
                applied += 1
                applied_by_assessment[save.assessment] = applied_by_assessment.get(save.assessment, 0) + 1
                if final[save.assessment].narrative != save.narrative:
                    superseded += 1
            else:
                lost += 1
        elif save.outcome == "conflict":
            conflicts += 1
            phantom += in_history  # refused, yet written: also a broken promise
        else:
            refused += 1
            phantom += in_history
    # The row agrees with its newest history record, and each applied save (or withdrawal) added
    # exactly one version.
    disagreements = sum(
        1
        for pk, row in final.items()
        if pk in latest and (latest[pk].narrative, latest[pk].version) != (row.narrative, row.version)
    )
    version_gaps = sum(
        1
        for pk, row in final.items()
        if row.version - seeded["versions"][pk]
        != applied_by_assessment.get(pk, 0) + load.withdrawals.get(pk, 0)
    )
    return {
        "saves_applied": applied,
        "saves_superseded": superseded,
        "conflicts_reported": conflicts,
        "saves_refused_otherwise": refused,
        "lost_updates": lost,
        "refused_but_written": phantom,
        "rows_disagreeing_with_history": disagreements,
        "version_gaps": version_gaps,
    }


def measure(database: str, *, duration: float, rounds: int, sign_ins_over: float) -> dict:
    with database_for(database) as url:
        django_setup(url)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        print(f"[{database}] migrating and seeding…", flush=True)
        call_command("migrate", verbosity=0, interactive=False)
        seeded = seed()
        connection.close()  # the server, not this process, holds the database during the load
        port = free_port()
        log_prefix = BENCH_DIR / f"deadline-day-{database}"
        for suffix in ("-server.log", "-access.log"):
            Path(f"{log_prefix}{suffix}").unlink(missing_ok=True)
        media = BENCH_DIR / f"deadline-day-{database}-media"
        shutil.rmtree(media, ignore_errors=True)
        os.environ["DJANGO_MEDIA_ROOT"] = str(media)  # the server's and the worker's stored files
        # Kept pages in a folder every gunicorn worker shares, as in production; a fresh one, as
        # the database is fresh.
        page_cache = BENCH_DIR / f"deadline-day-{database}-cache"
        shutil.rmtree(page_cache, ignore_errors=True)
        os.environ["DJANGO_PAGE_CACHE_DIR"] = str(page_cache)
        server = start_gunicorn(url, port, log_prefix)
        workers = start_task_workers(url, log_prefix, media)
        try:
            unloaded = unloaded_exports(port, seeded)
            print(
                f"[{database}] gunicorn ({WORKERS} workers) on 127.0.0.1:{port}, a task worker per queue; "
                f"unloaded, from asking to the file: {unloaded}; load for at most {duration:.0f} s",
                flush=True,
            )
            roots = {"web (gunicorn)": server.pid}
            queues = settings.TASK_QUEUES  # one worker per queue, started in this order
            roots.update(
                {f"task worker ({queue} queue)": w.pid for queue, w in zip(queues, workers, strict=True)}
            )
            postmaster = (
                postmaster_pid()
                if database == "postgres" and not os.environ.get("BENCH_POSTGRES_URL")
                else None
            )
            if postmaster:
                roots["database server"] = postmaster
            with CpuMeter(roots) as cpu:
                load = run_load(
                    port=port,
                    database=database,
                    seeded=seeded,
                    duration=duration,
                    rounds=rounds,
                    sign_ins_over=sign_ins_over,
                )
        finally:
            stop_gunicorn(server)
            for worker in workers:
                stop_gunicorn(worker)
        server_log = Path(f"{log_prefix}-server.log").read_text(errors="replace")
        for worker_log in BENCH_DIR.glob(f"{log_prefix.name}-worker-*.log"):
            server_log += worker_log.read_text(errors="replace")
        result = summarise(load)
        write_requests(load, BENCH_DIR / f"deadline-day-{database}-requests.csv")
        cpu_used = cpu.summary(load.started)
        result["cpu"] = {key: value for key, value in cpu_used.items() if key != "per_second"}
        if cpu_used:
            result["cpu"]["slowest_percent_in_full_seconds"] = slowest_percent_in_full_seconds(load, cpu_used)
        write_cpu(cpu_used, BENCH_DIR / f"deadline-day-{database}-cpu.csv")
        result["unloaded_export_s"] = unloaded
        result["draft_pdf_in_worker"] = draft_pdf_in_worker(
            Path(f"{log_prefix}-worker-pdf.log").read_text(errors="replace"), period_slug=seeded["open"]
        )
        result.update(reconcile(load, seeded))
        result["database_locked_in_log"] = server_log.count("database is locked")
        result["tracebacks_in_log"] = server_log.count("Traceback (most recent call last)")
        result["failures"] = load.failures[:20]
        connection.close()
        return result


def unloaded_exports(port: int, seeded: dict) -> dict[str, float]:
    """Each export once, before the load: the render times to compare with.

    The published quarter's PDF first: publishing it, weeks before, queued it, and on deadline day
    it is a download. Building the plan moved the data generation after publishing, so the bench
    prepares it here rather than in the load, where it would hold the PDF worker.
    """
    failures: list = []
    browser = Browser(port, "unloaded", [], threading.Lock())
    if not browser.sign_in(f"{SLUG}-democratic-0"):
        raise RuntimeError("the exporter could not sign in")
    seconds = {}
    for name in ("published", "draft", "delivery", "criteria"):
        export = exports_of(seeded)[name]
        taken = export_file(browser, export, until=time.monotonic() + 600, failures=failures)
        if taken is None:
            raise RuntimeError(f"the unloaded export of the {export.label} did not finish: {failures}")
        seconds[export.label] = round(taken, 1)
    return seconds


EXPORT_READY = re.compile(
    r"Export \d+ ready: report pdf of (?P<period>\S+), data generation \d+, attempt \d+; "
    r"waited (?P<waited>[\d.]+) s for a worker, rendered in (?P<rendered>[\d.]+) s"
)


def draft_pdf_in_worker(worker_log: str, *, period_slug: str) -> dict:
    """The open quarter's report PDFs as the PDF worker logged them: the first was the unloaded one.

    A draft's time to the file is its wait for the worker (behind another export's render), its
    render, and the person's own requests around them (asking, looking at the page, downloading);
    the worker's own lines tell the first two apart.
    """
    renders = [
        (float(m["waited"]), float(m["rendered"]))
        for m in EXPORT_READY.finditer(worker_log)
        if m["period"] == period_slug
    ]
    if not renders:
        return {}
    (_, unloaded), during_load = renders[0], renders[1:]
    summary = {"unloaded_render_s": round(unloaded, 1), "renders": len(during_load)}
    if during_load:
        waits, times = [w for w, _ in during_load], [r for _, r in during_load]
        summary.update(
            waited_p50_s=round(statistics.median(waits), 1),
            waited_max_s=round(max(waits), 1),
            render_p50_s=round(statistics.median(times), 1),
            render_max_s=round(max(times), 1),
        )
    return summary


def postmaster_pid() -> int | None:
    """The bench's own PostgreSQL server (`postgres_cluster`), to count its CPU with the rest; not
    one given by BENCH_POSTGRES_URL, which may serve others too."""
    pid_file = BENCH_DIR / "pg-deadline-day" / "data" / "postmaster.pid"
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(pid_file.read_text().split()[0])
    return None


def slowest_percent(load: Load) -> list[Record]:
    """The slowest 1 % of the timed requests (signing in excluded), at least one."""
    timed = [r for r in load.records if r.kind != "login"]
    return sorted(timed, key=lambda r: r.ms)[-max(1, len(timed) // 100) :]


def slowest_percent_in_full_seconds(load: Load, cpu_used: dict) -> int:
    """Of the slowest 1 % of requests, how many were sent in a second when every core was full."""
    full = {second for second, parts in cpu_used["per_second"].items() if sum(parts.values()) >= CORES_FULL}
    slowest = slowest_percent(load)
    return round(100 * sum(1 for r in slowest if int(r.started - load.started) in full) / len(slowest))


def write_cpu(cpu_used: dict, path: Path) -> None:
    """Cores each part used in each second of the load, beside the requests CSV's seconds."""
    lines = ["second,part,cores"]
    for second, parts in cpu_used.get("per_second", {}).items():
        lines += [f"{second},{part},{cores:.2f}" for part, cores in parts.items()]
    path.write_text("\n".join(lines) + "\n")


def write_requests(load: Load, path: Path) -> None:
    """Every request, in the order sent (seconds into the load, kind, status, milliseconds): where the
    tail falls against the load's shape is read from this, not from the percentiles."""
    rows = sorted(load.records, key=lambda r: r.started)
    lines = ["seconds,kind,status,ms"]
    lines += [f"{r.started - load.started:.3f},{r.kind},{r.status},{r.ms:.1f}" for r in rows]
    path.write_text("\n".join(lines) + "\n")


def summarise(load: Load) -> dict:
    timed = [r for r in load.records if r.kind != "login"]
    milliseconds = [r.ms for r in timed]
    summary = latency_summary(milliseconds)
    by_kind = {}
    for kind in sorted({r.kind for r in timed}):
        rows = [r for r in timed if r.kind == kind]
        if rows:
            by_kind[kind] = {"requests": len(rows), **latency_summary([r.ms for r in rows])}
    exports = {}
    for label in sorted({label for label, _ in load.exports}):
        seconds = [round(s, 1) for label2, s in load.exports if label2 == label]
        summary_s = latency_summary([s * 1000 for s in seconds])
        exports[label] = {
            "exports": len(seconds),
            "p50_s": round(summary_s["p50_ms"] / 1000, 1),
            "max_s": max(seconds),
        }
    # Where the slowest requests fall: in the first seconds, when everyone signs in at once, or after.
    slowest = slowest_percent(load)
    opening = [r for r in timed if r.started - load.started < OPENING_SECONDS]
    later = [r for r in timed if r.started - load.started >= OPENING_SECONDS]
    return {
        "requests": len(timed),
        "slowest_percent_in_opening": round(
            100 * sum(1 for r in slowest if r.started - load.started < OPENING_SECONDS) / len(slowest)
        ),
        "p50_p99_ms_opening": [latency_summary([r.ms for r in opening]).get(k) for k in ("p50_ms", "p99_ms")]
        if opening
        else [],
        "p50_p99_ms_after_opening": [
            latency_summary([r.ms for r in later]).get(k) for k in ("p50_ms", "p99_ms")
        ]
        if later
        else [],
        "rps": round(len(timed) / load.elapsed, 1),
        "p50_ms": summary["p50_ms"],
        "p95_ms": summary["p95_ms"],
        "p99_ms": summary["p99_ms"],
        "p99_over_p50": round(summary["p99_ms"] / summary["p50_ms"], 1) if summary["p50_ms"] else None,
        "server_errors": sum(1 for r in load.records if r.status >= 500),
        "connection_errors": sum(1 for r in load.records if r.status == 0),
        "client_errors": sum(1 for r in load.records if 400 <= r.status < 500 and r.kind != "save"),
        "seconds": round(load.elapsed, 1),
        "by_kind": by_kind,
        "exports": exports,
    }


# --------------------------------------------------------------------------- where the CPU went


class CpuMeter:
    """Each part of the deployment's CPU time during the load, read from Linux's /proc.

    The slowest requests fall in the seconds when the two cores are full; this says who filled
    them. A part is a process and its children (gunicorn's workers, PostgreSQL's backends): a
    live child's own time, plus what the parent holds of children it has reaped, so a backend
    that closed its connection is still counted. The load generator is this process. Sampled
    twice a second; elsewhere than Linux it measures nothing and says so.
    """

    INTERVAL = 0.5

    def __init__(self, roots: dict[str, int]):
        self.roots = roots
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self.available = Path("/proc/self/stat").exists()
        self.samples: list[tuple[float, dict[str, float]]] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> CpuMeter:
        if self.available:
            self.samples.append((time.perf_counter(), self.read()))
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.available:
            self.stopped.set()
            self.thread.join()
            self.samples.append((time.perf_counter(), self.read()))

    def _run(self) -> None:
        while not self.stopped.wait(self.INTERVAL):
            self.samples.append((time.perf_counter(), self.read()))

    def read(self) -> dict[str, float]:
        """CPU seconds so far of each part, and of the load generator (this process)."""
        used = dict.fromkeys(self.roots, 0.0)
        role_of = {pid: role for role, pid in self.roots.items()}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                # The command name may hold spaces and brackets: the fields start after its last ")".
                fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # it ended between listing and reading
            pid, ppid = int(entry.name), int(fields[1])
            own = int(fields[11]) + int(fields[12])
            if pid in role_of:
                used[role_of[pid]] += (own + int(fields[13]) + int(fields[14])) / self.tick
            elif ppid in role_of:
                used[role_of[ppid]] += own / self.tick
        times = os.times()
        used["load generator"] = times.user + times.system
        return used

    def summary(self, started: float) -> dict:
        """Per part: CPU seconds over the load, cores used on average and in its busiest second;
        and how many one-second slices had every core full (`CORES_FULL`)."""
        if len(self.samples) < 2:
            return {}
        (first_at, first), (last_at, last) = self.samples[0], self.samples[-1]
        seconds = last_at - first_at
        per_second: dict[int, dict[str, float]] = {}
        for (_, before), (after_at, after) in itertools.pairwise(self.samples):
            bucket = per_second.setdefault(int(after_at - started), {})
            for role in after:
                bucket[role] = bucket.get(role, 0.0) + after[role] - before[role]
        parts = {
            role: {
                "cpu_s": round(last[role] - first[role], 1),
                "cores_mean": round((last[role] - first[role]) / seconds, 2),
                "cores_peak": round(max(bucket.get(role, 0.0) for bucket in per_second.values()), 2),
            }
            for role in last
        }
        return {
            "parts": parts,
            "full_seconds": sum(1 for bucket in per_second.values() if sum(bucket.values()) >= CORES_FULL),
            "seconds": len(per_second),
            "per_second": {second: per_second[second] for second in sorted(per_second)},
        }


# --------------------------------------------------------------------------- the report


KEYS = (
    "requests",
    "rps",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "p99_over_p50",
    "server_errors",
    "saves_applied",
    "conflicts_reported",
    "lost_updates",
)


# The issue's lines for deadline day (issue 18, "Must show"), each as a limit on this run's numbers.
TAIL_OVER_MEDIAN = 3.0  # the 99th percentile within 3 × the median
KIND_OVER_SAVES = 5.0  # no kind of request with a p95 above 5 × that of saves
EXPORT_OVER_UNLOADED = 2.0  # an export's time to the file within 2 × its time with no load


def issue_lines(result: dict) -> list[tuple[str, str, bool]]:
    """Each of the issue's lines for one database: what it asks, what this run measured, met or not.

    The median's other half ("no higher than before the change") needs the code before the change
    on the same machine; docs/performance.md has those runs. Every export is held to the 2 × line,
    published ones too, though theirs are downloads of a file made before the load.
    """
    lines = [
        ("no lost update", str(result["lost_updates"]), result["lost_updates"] == 0),
        ("no 5xx", str(result["server_errors"]), result["server_errors"] == 0),
    ]
    # From the percentiles, not the rounded `p99_over_p50`: 3.04 would round to a "met" 3.0.
    ratio = result["p99_ms"] / result["p50_ms"] if result["p50_ms"] else float("inf")
    lines.append(
        (
            f"p99 ≤ {TAIL_OVER_MEDIAN:g} × p50",
            f"{result['p99_ms']:,.0f} / {result['p50_ms']:,.0f} ms = {ratio:.2f} ×",
            ratio <= TAIL_OVER_MEDIAN,
        )
    )
    save_p95 = result["by_kind"].get("save", {}).get("p95_ms")
    if save_p95:
        kind, numbers = max(result["by_kind"].items(), key=lambda item: item[1]["p95_ms"])
        over = numbers["p95_ms"] / save_p95
        lines.append(
            (
                f"every kind's p95 ≤ {KIND_OVER_SAVES:g} × the saves'",
                f"highest {kind}, {over:.2f} ×",
                over <= KIND_OVER_SAVES,
            )
        )
    for label, numbers in result["exports"].items():
        unloaded = result["unloaded_export_s"].get(label)
        if unloaded:
            over = numbers["max_s"] / unloaded
            lines.append(
                (
                    f"{label}: slowest ≤ {EXPORT_OVER_UNLOADED:g} × unloaded",
                    f"{numbers['max_s']} / {unloaded} s = {over:.2f} ×",
                    over <= EXPORT_OVER_UNLOADED,
                )
            )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--databases", default="sqlite,postgres", help="comma-separated (default sqlite,postgres)"
    )
    parser.add_argument("--duration", type=float, default=90, help="hard bound of each load phase in seconds")
    parser.add_argument("--rounds", type=int, default=2, help="times each officer updates each criterion")
    parser.add_argument(
        "--sign-ins-over",
        type=float,
        default=15,
        help="seconds over which the 72 people arrive and sign in, each at a random moment (0: all at once)",
    )
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--result", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = measure(
            args.child, duration=args.duration, rounds=args.rounds, sign_ins_over=args.sign_ins_over
        )
        Path(args.result).write_text(json.dumps(result))
        return 0

    print_machine()
    print(
        f"gunicorn with {WORKERS} sync workers on 127.0.0.1, DEBUG off; {OFFICERS} officers ({TWINS} with "
        f"a second browser) × {args.rounds} rounds, {COMMISSIONERS} commissioners, {EXPORTERS} exporters "
        f"(report, delivery and criteria files); plan ×{FACTOR} ({FACTOR * 61} criteria)."
    )
    collect_static_files()
    results: dict[str, dict] = {}
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        result_file = BENCH_DIR / f"deadline-day-{database}.result.json"
        result_file.unlink(missing_ok=True)
        # One process per database: Django is configured once per process.
        done = subprocess.run(
            [
                str(PYTHON),
                __file__,
                "--child",
                database,
                "--result",
                str(result_file),
                "--duration",
                str(args.duration),
                "--rounds",
                str(args.rounds),
                "--sign-ins-over",
                str(args.sign_ins_over),
            ],
            cwd=ROOT,
        )
        if done.returncode != 0 or not result_file.exists():
            print(f"The {database} run failed (exit {done.returncode}).", file=sys.stderr)
            return 1
        results[database] = json.loads(result_file.read_text())
        result_file.unlink()

    print()
    rows = [[key, *(results[db][key] for db in results)] for key in KEYS]
    extra = (
        "saves_superseded",
        "saves_refused_otherwise",
        "refused_but_written",
        "rows_disagreeing_with_history",
        "version_gaps",
        "connection_errors",
        "client_errors",
        "database_locked_in_log",
        "tracebacks_in_log",
        "seconds",
        "slowest_percent_in_opening",
        "p50_p99_ms_opening",
        "p50_p99_ms_after_opening",
    )
    rows += [[key, *(results[db][key] for db in results)] for key in extra]
    print_table(["", *results], rows, title="Deadline day")
    print()
    kinds = sorted({kind for result in results.values() for kind in result["by_kind"]})
    kind_rows = []
    for db, result in results.items():
        save_p95 = result["by_kind"].get("save", {}).get("p95_ms") or None
        for kind in kinds:
            if kind in result["by_kind"]:
                numbers = result["by_kind"][kind]
                against_saves = round(numbers["p95_ms"] / save_p95, 1) if save_p95 else ""
                kind_rows.append(
                    [
                        db,
                        kind,
                        numbers["requests"],
                        numbers["p50_ms"],
                        numbers["p95_ms"],
                        numbers["p99_ms"],
                        against_saves,
                    ]
                )
    print_table(
        ["database", "request", "count", "p50 ms", "p95 ms", "p99 ms", "p95 / saves' p95"],
        kind_rows,
        title="By request",
    )
    print()
    export_rows = [
        [
            db,
            label,
            numbers["exports"],
            numbers["p50_s"],
            numbers["max_s"],
            result["unloaded_export_s"].get(label, ""),
        ]
        for db, result in results.items()
        for label, numbers in result["exports"].items()
    ]
    print_table(
        ["database", "export", "exports", "p50 s", "max s", "unloaded s"],
        export_rows,
        title="Exports: from asking to having the file",
    )
    worker_rows = [
        [
            db,
            numbers["renders"],
            numbers.get("waited_p50_s", ""),
            numbers.get("waited_max_s", ""),
            numbers.get("render_p50_s", ""),
            numbers.get("render_max_s", ""),
            numbers["unloaded_render_s"],
        ]
        for db, result in results.items()
        if (numbers := result.get("draft_pdf_in_worker"))
    ]
    if worker_rows:
        print()
        print_table(
            [
                "database",
                "renders",
                "waited p50 s",
                "waited max s",
                "render p50 s",
                "render max s",
                "unloaded render s",
            ],
            worker_rows,
            title="The draft report PDF in the PDF worker: waiting behind another render, then rendering",
        )
    cpu_rows = [
        [db, part, numbers["cpu_s"], numbers["cores_mean"], numbers["cores_peak"]]
        for db, result in results.items()
        for part, numbers in result.get("cpu", {}).get("parts", {}).items()
    ]
    if cpu_rows:
        print()
        print_table(
            ["database", "part", "CPU s", "cores, mean", "cores, busiest second"],
            cpu_rows,
            title=f"Where the CPU went during the load ({os.cpu_count()} cores; the slowest wait for it)",
        )
        for db, result in results.items():
            if result.get("cpu"):
                print(
                    f"{db}: every core full ({CORES_FULL:.1f} or more in use) in "
                    f"{result['cpu']['full_seconds']} of "
                    f"{result['cpu']['seconds']} seconds, which held "
                    f"{result['cpu']['slowest_percent_in_full_seconds']} % of the slowest 1 % of requests; "
                    f"each second's split in var/bench/deadline-day-{db}-cpu.csv"
                )
    else:
        print("\nCPU by part not measured: it is read from /proc, which this system does not have.")
    print()
    print_table(
        ["database", "the issue asks", "this run", ""],
        [
            [db, asks, measured, "met" if met else "NOT MET"]
            for db, result in results.items()
            for asks, measured, met in issue_lines(result)
        ],
        title="Deadline day against issue 18's lines (for the median, see docs/performance.md)",
    )
    path = write_json("deadline_day.json", results)
    print(f"\nWrote {path.relative_to(ROOT)}")

    problems = []
    for db, result in results.items():
        for key in (
            "lost_updates",
            "server_errors",
            "refused_but_written",
            "rows_disagreeing_with_history",
            "version_gaps",
            "database_locked_in_log",
            "connection_errors",
        ):
            if result[key]:
                problems.append(f"{db}: {key} = {result[key]}")
        problems += [f"{db}: {failure}" for failure in result["failures"]]
    for problem in problems:
        print("MISSED:", problem)
    if not problems:
        print(
            "Reconciled: every save applied or reported as a conflict; "
            "no lost updates, no 5xx, no lock errors."
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
