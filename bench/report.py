"""Times building and rendering the quarterly outcome report: Thurrock's December 2024, then ×10 and ×100.

Run from the repository root: `.venv/bin/python bench/report.py`. It builds a throwaway
SQLite database under var/bench/, loads Thurrock's data (61 criteria) and two synthetic
plans of 610 and 6,100 criteria with two periods each, then prints, per size, the queries
the builder ran and the median time of building and of each renderer. Targets for the
December 2024 report: PDF under 5 s, workbook under 1 s.

BENCH_RUNS (default 5) sets the runs per measurement at 61 criteria; larger sizes run fewer
times (PDF at ×100 once), since one run takes minutes. BENCH_FACTORS (default "10,100")
sets the synthetic sizes. BENCH_THURROCK_FOLDER times another council's data folder.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DATABASE = BENCH_DIR / "report.sqlite3"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
FACTORS = [int(f) for f in os.environ.get("BENCH_FACTORS", "10,100").split(",") if f.strip()]
THURROCK_PERIOD = "2024-25-q3"
FORMATS = ("html", "pdf", "xlsx", "json")
TARGETS = {"pdf": 5.0, "xlsx": 1.0}


def runs_for(criteria: int, fmt: str | None) -> int:
    if criteria <= 100:
        return RUNS
    if fmt == "pdf":
        return 1 if criteria > 1000 else 2
    return max(1, min(RUNS, 3))


def timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    sys.path.insert(0, str(ROOT))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "thurrock_irp.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from outcomes.loading import load_plan_folder
    from outcomes.scale import build_synthetic_plan
    from outcomes.selectors import period_get
    from reporting.builder import report_build
    from reporting.render import report_render

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_plan_folder(Path(os.environ.get("BENCH_THURROCK_FOLDER", ROOT / "fixtures" / "thurrock")))
    sizes = [("Thurrock, Dec 24", THURROCK_PERIOD)]
    for factor in FACTORS:
        plan = build_synthetic_plan(factor=factor, periods=2, open_last_period=False, slug=f"bench-x{factor}")
        sizes.append((f"×{factor}, synthetic", plan.periods.order_by("end").last().slug))
    print(f"Set up in {time.perf_counter() - started:.1f} s (SQLite at {DATABASE.relative_to(ROOT)})")
    print()

    header = f"{'Report':<18} {'criteria':>8} {'queries':>7} {'build':>9}" + "".join(
        f" {fmt:>9}" for fmt in FORMATS
    )
    print(header)
    print("-" * len(header))
    failures = []
    for label, slug in sizes:
        # Warm-up: imports, template compilation and fonts are not what is being measured.
        period = period_get(slug=slug)
        report_render(report_build(period=period), format="pdf") if label.startswith("Thurrock") else None
        with CaptureQueriesContext(connection) as queries:
            report = report_build(period=period)
        criteria = len(report.criteria)
        build, report = timed(lambda period=period: report_build(period=period), runs_for(criteria, None))
        cells = [f"{label:<18} {criteria:>8,} {len(queries):>7} {build:>8.3f}s"]
        for fmt in FORMATS:
            seconds, body = timed(
                lambda fmt=fmt, report=report: report_render(report, format=fmt), runs_for(criteria, fmt)
            )
            cells.append(f" {seconds:>8.3f}s")
            if label.startswith("Thurrock") and fmt in TARGETS and seconds >= TARGETS[fmt]:
                failures.append(
                    f"{fmt.upper()} of {label} took {seconds:.2f} s (target under {TARGETS[fmt]:.0f} s)"
                )
        print("".join(cells), flush=True)
    print()
    print(
        "Median of",
        RUNS,
        "runs at 61 criteria (fewer at larger sizes); times are per format, after building.",
    )
    for failure in failures:
        print("MISSED:", failure)
    if not failures:
        print("Targets met: the December 2024 PDF under 5 s and workbook under 1 s.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
