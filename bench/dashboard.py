"""Times the commissioners' dashboard at 6,100 criteria and 12 periods (73,200 assessments).

Run from the repository root: `.venv/bin/python bench/dashboard.py` (or `make bench`).
It builds a throwaway SQLite database under var/bench/, signs in a commissioner with
Django's test client, warms up, then prints the median and 95th percentile of GET
/dashboard/ and the number of queries it ran. The target is under 150 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DATABASE = BENCH_DIR / "dashboard.sqlite3"
FACTOR = int(os.environ.get("BENCH_FACTOR", "100"))
PERIODS = int(os.environ.get("BENCH_PERIODS", "12"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
TARGET_MS = 150


def main() -> int:
    sys.path.insert(0, str(ROOT))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "thurrock_irp.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ["AXES_ENABLED"] = "false"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.roles import Role
    from outcomes.models import SuccessCriterion
    from outcomes.scale import build_synthetic_plan
    from tests.factories import UserFactory

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append("testserver")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    plan = build_synthetic_plan(factor=FACTOR, periods=PERIODS)
    criteria = SuccessCriterion.objects.filter(outcome__plan=plan).count()
    print(f"Built {criteria:,} criteria × {PERIODS} periods in {time.perf_counter() - started:.1f} s")

    commissioner = UserFactory(username="bench-commissioner", role=Role.COMMISSIONER)
    client = Client()
    client.force_login(commissioner)

    for label, url in (
        ("latest published", "/dashboard/"),
        ("open period (draft)", f"/dashboard/?period={plan.slug}-p{PERIODS:02d}"),
    ):
        for _ in range(3):  # warm-up: templates compiled, SQLite pages cached
            response = client.get(url)
            assert response.status_code == 200, response.status_code
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        verdict = "OK" if median < TARGET_MS else f"OVER the {TARGET_MS} ms target"
        print(
            f"GET {url} ({label}): median {median:.1f} ms, p95 {p95:.1f} ms, "
            f"{len(queries.captured_queries)} queries, {len(response.content) / 1024:.0f} KiB — {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
