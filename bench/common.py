"""Shared helpers for the benchmarks: throwaway databases under var/bench/, percentiles, tables.

Every benchmark runs from the repository root as `.venv/bin/python bench/<name>.py`. It never
touches the development database: SQLite files live under var/bench/ and are deleted first, and
PostgreSQL is a throwaway cluster under var/bench/ (or the server in BENCH_POSTGRES_URL).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PYTHON = ROOT / ".venv" / "bin" / "python"
# A password good enough for Django's validators, used only by throwaway benchmark accounts.
BENCH_PASSWORD = "bench-only-password-7f3a"


# --------------------------------------------------------------------------- databases


def sqlite_database(name: str) -> Path:
    """A fresh SQLite file path under var/bench/ (the old file and its WAL removed)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"{name}.sqlite3"
    remove_sqlite(path)
    return path


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bindir() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return next((p for p in reversed(candidates) if (p / "initdb").exists()), None)


def postgres_version() -> str | None:
    bindir = postgres_bindir()
    if bindir is None:
        return None
    out = subprocess.run([str(bindir / "postgres"), "--version"], capture_output=True, text=True).stdout
    # "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    parts = out.split()
    return parts[2] if len(parts) > 2 else None


@contextlib.contextmanager
def postgres_cluster(name: str) -> Iterator[str]:
    """A throwaway PostgreSQL cluster on 127.0.0.1 for the duration of the block; yields its URL.

    As scripts/with-postgres.sh does: initdb (as the postgres user when running as root, since
    initdb refuses root), durability off (fsync, synchronous_commit) because the data is thrown
    away, then stop and delete whatever happened. BENCH_POSTGRES_URL uses an existing server
    instead (its database is used as is: give it an empty one).
    """
    existing = os.environ.get("BENCH_POSTGRES_URL", "").strip()
    if existing:
        yield existing
        return
    bindir = postgres_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries not found; run 'make system-deps'.")
    base = BENCH_DIR / f"pg-{name}"
    port = free_port()
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        as_postgres = ["runuser", "-u", "postgres", "--"]
        subprocess.run(["install", "-d", "-o", "postgres", "-g", "postgres", str(base)], check=True)
    else:
        base.mkdir(parents=True, exist_ok=True)
    data = base / "data"
    shutil.rmtree(data, ignore_errors=True)
    # The Unix socket goes in a short temporary folder: a socket path may be at most 107 bytes,
    # and one under var/bench/ fails to start when the checkout sits in a deep folder.
    sock = Path(tempfile.mkdtemp(prefix="irp-pg.", dir="/tmp"))
    try:
        if as_postgres:
            shutil.chown(sock, "postgres", "postgres")
        subprocess.run(
            [
                *as_postgres,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [
                *as_postgres,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(base / "server.log"),
                "-w",
                "-o",
                options,
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [
                str(bindir / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "-qc",
                "CREATE DATABASE irp",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/irp"
    finally:
        subprocess.run(
            [*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(sock, ignore_errors=True)


def django_setup(database_url: str) -> None:
    """Configure Django in this process against `database_url` (call once, before any model import)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "thurrock_irp.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["AXES_ENABLED"] = "false"
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()


def manage(database_url: str, *args: str, env: dict | None = None, quiet: bool = True) -> str:
    """Run `manage.py` in a child process against `database_url`; returns its output."""
    environment = {**os.environ, "DATABASE_URL": database_url, "AXES_ENABLED": "false", **(env or {})}
    done = subprocess.run(
        [str(PYTHON), str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    if not quiet:
        print(done.stdout, end="")
    return done.stdout


# --------------------------------------------------------------------------- numbers


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), so p50 is the median."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(milliseconds: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(milliseconds, 0.50), 2),
        "p95_ms": round(percentile(milliseconds, 0.95), 2),
        "p99_ms": round(percentile(milliseconds, 0.99), 2),
    }


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, title: str = "") -> None:
    """A plain text table: numbers right-aligned, text left-aligned."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [
        max(len(h), *(len(row[i]) for row in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    numeric = [
        all(isinstance(row[i], int | float) for row in rows) if rows else False for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if numeric[i] else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    if title:
        print(title)
    print(line(list(headers)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def write_json(name: str, data: dict) -> Path:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / name
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    return path


def machine() -> dict[str, str]:
    """Where the numbers came from: cores, memory, Python, SQLite and PostgreSQL versions."""
    memory = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version() or "not installed",
        "os": platform.platform(),
        "when": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def print_machine() -> None:
    info = machine()
    print(
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']}, Python {info['python']}, "
        f"SQLite {info['sqlite']}, PostgreSQL {info['postgresql']}"
    )
