"""The deadline-day bench says, line by line, whether a run met issue 18's "must show".

Read against the bench's own numbers (`bench/deadline_day.py`, `issue_lines`), so nobody has to
work the ratios out by hand from its tables, and a run that misses a line says so in words.
"""

from __future__ import annotations

from bench.deadline_day import issue_lines


def a_run(**changes) -> dict:
    """One database's result as the bench writes it: every line met unless changed."""
    run = {
        "lost_updates": 0,
        "server_errors": 0,
        "p50_ms": 400.0,
        "p99_ms": 1000.0,
        "p99_over_p50": 2.5,
        "by_kind": {"save": {"p95_ms": 900.0}, "dashboard": {"p95_ms": 1100.0}, "form": {"p95_ms": 880.0}},
        "exports": {"report PDF, draft": {"exports": 4, "p50_s": 8.0, "max_s": 9.0}},
        "unloaded_export_s": {"report PDF, draft": 5.0},
    }
    return run | changes


def verdicts(run: dict) -> dict[str, tuple[str, bool]]:
    return {asks: (measured, met) for asks, measured, met in issue_lines(run)}


def test_a_run_within_every_line_is_met_on_each():
    lines = verdicts(a_run())

    assert all(met for _, met in lines.values())
    assert lines["p99 ≤ 3 × p50"] == ("1,000 / 400 ms = 2.50 ×", True)
    assert lines["every kind's p95 ≤ 5 × the saves'"] == ("highest dashboard, 1.22 ×", True)
    assert lines["report PDF, draft: slowest ≤ 2 × unloaded"] == ("9.0 / 5.0 s = 1.80 ×", True)


def test_a_tail_over_three_medians_is_not_met():
    lines = verdicts(a_run(p99_ms=1320.0, p99_over_p50=3.3))

    assert lines["p99 ≤ 3 × p50"] == ("1,320 / 400 ms = 3.30 ×", False)


def test_a_tail_just_over_three_medians_is_not_met_though_it_rounds_to_three():
    lines = verdicts(a_run(p99_ms=1216.0, p99_over_p50=3.0))

    assert lines["p99 ≤ 3 × p50"] == ("1,216 / 400 ms = 3.04 ×", False)


def test_a_draft_slower_than_twice_its_unloaded_time_is_not_met():
    run = a_run(exports={"report PDF, draft": {"exports": 4, "p50_s": 12.8, "max_s": 15.3}})
    run["unloaded_export_s"] = {"report PDF, draft": 6.3}

    assert verdicts(run)["report PDF, draft: slowest ≤ 2 × unloaded"] == ("15.3 / 6.3 s = 2.43 ×", False)


def test_a_kind_of_request_five_times_slower_than_saves_is_not_met():
    run = a_run()
    run["by_kind"]["check_report"] = {"p95_ms": 4600.0}

    assert verdicts(run)["every kind's p95 ≤ 5 × the saves'"] == ("highest check_report, 5.11 ×", False)


def test_one_lost_update_or_one_5xx_is_not_met():
    lines = verdicts(a_run(lost_updates=1, server_errors=2))

    assert lines["no lost update"] == ("1", False)
    assert lines["no 5xx"] == ("2", False)
