"""Times the pre-publication checks on a synthetic plan of 6,100 criteria (standalone script).

Run from the repository root: `.venv/bin/python bench/checks.py [--factor 100] [--runs 5]`.
It uses a throwaway SQLite file under var/bench/ (deleted first), never the development database.
Target: under 1 s and the same number of queries as at 61 criteria.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "var" / "bench" / "checks.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=100, help="×61 criteria (default 100 → 6,100)")
    parser.add_argument("--periods", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thurrock_irp.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from outcomes.checks import period_check
    from outcomes.models import ReportingPeriod
    from outcomes.scale import build_synthetic_plan

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    plan = build_synthetic_plan(factor=args.factor, periods=args.periods)
    built = time.perf_counter() - started
    print(f"Built {args.factor * 61:,} criteria × {args.periods} periods in {built:.1f} s")
    period = ReportingPeriod.objects.filter(plan=plan).order_by("-end").first()

    period_check(period=period)  # warm-up: imports, URL resolver
    timings = []
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = period_check(period=period)
            timings.append((time.perf_counter() - started) * 1000)
    print(f"period_check on {period.slug} ({period.get_state_display()}):")
    print(f"  median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms over {args.runs} runs")
    print(f"  {len(queries)} queries, {len(result.findings):,} findings ({len(result.blocking):,} blocking)")
    DATABASE.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
