"""Times building and rendering the quarterly outcome report: Thurrock's December 2024, then ×10 and ×100.

Run from the repository root: `.venv/bin/python bench/report.py`. It builds a throwaway
SQLite database under var/bench/, loads Thurrock's data (61 criteria) and two synthetic
plans of 610 and 6,100 criteria with two periods each, then prints, per size, the queries
the builder ran and the median time of building and of each renderer. Targets for the
December 2024 report: PDF under 5 s, workbook under 1 s.

BENCH_RUNS (default 5) sets the runs per measurement at 61 criteria; larger sizes run fewer
times (PDF at ×100 once), since one run takes minutes. A synthetic size's PDF is rendered in a
process of its own, as the export worker renders one export at a time, and the table gives its
time, its CPU time and that process's peak memory (resident set, which includes Django and the
built report).
BENCH_FACTORS (default "10,100") sets the synthetic sizes. BENCH_THURROCK_FOLDER times another
council's data folder.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import subprocess
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


def pdf_in_own_process(slug: str) -> tuple[float, float, float]:
    """The PDF of period `slug`, rendered by a fresh process: median seconds, median CPU seconds
    and peak resident MB."""
    done = subprocess.run(
        [sys.executable, __file__, "--pdf-child", slug],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{DATABASE}"},
    )
    seconds, cpu_seconds, megabytes = done.stdout.split()[-3:]
    return float(seconds), float(cpu_seconds), float(megabytes)


def pdf_child(slug: str) -> int:
    """In the child: build the report, render the PDF, print the median seconds, CPU seconds and peak MB."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "thurrock_irp.settings"
    import django

    django.setup()
    from core.collector import full_collections_held_back
    from outcomes.selectors import period_get
    from reporting.builder import report_build
    from reporting.render import report_render

    report = report_build(period=period_get(slug=slug))
    runs = runs_for(len(report.criteria), "pdf")
    cpu_times = []

    def render_counting_cpu():
        started = time.process_time()
        # As the export worker renders (`reporting.exports.export_run`), and collects after.
        with full_collections_held_back():
            report_render(report, format="pdf")
        cpu_times.append(time.process_time() - started)
        gc.collect()  # after the file is ready, as the worker does: nobody waits on it

    seconds, _ = timed(render_counting_cpu, runs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(f"{seconds:.3f} {statistics.median(cpu_times):.3f} {peak_mb:.0f}")
    return 0


def main() -> int:
    if sys.argv[1:2] == ["--pdf-child"]:
        return pdf_child(sys.argv[2])
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

    header = (
        f"{'Report':<18} {'criteria':>8} {'queries':>7} {'build':>9}"
        + "".join(f" {fmt:>9}" for fmt in FORMATS)
        + f" {'PDF CPU':>9} {'PDF peak':>10}"
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
        peak = ""
        for fmt in FORMATS:
            if fmt == "pdf" and not label.startswith("Thurrock"):
                seconds, cpu_seconds, peak_mb = pdf_in_own_process(slug)
                peak = f" {cpu_seconds:>8.3f}s {peak_mb:>7.0f} MB"
            else:
                seconds, body = timed(
                    lambda fmt=fmt, report=report: report_render(report, format=fmt), runs_for(criteria, fmt)
                )
            cells.append(f" {seconds:>8.3f}s")
            if label.startswith("Thurrock") and fmt in TARGETS and seconds >= TARGETS[fmt]:
                failures.append(
                    f"{fmt.upper()} of {label} took {seconds:.2f} s (target under {TARGETS[fmt]:.0f} s)"
                )
        cells.append(peak)
        print("".join(cells), flush=True)
    print()
    print(
        "Median of",
        RUNS,
        "runs at 61 criteria (fewer at larger sizes); times are per format, after building.",
    )
    print(
        "PDF CPU and peak: the CPU time (less disturbed than wall time on a shared machine) and the"
        " peak resident memory of the process that rendered a synthetic size's PDF."
    )
    for failure in failures:
        print("MISSED:", failure)
    if not failures:
        print("Targets met: the December 2024 PDF under 5 s and workbook under 1 s.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
