"""`manage.py check_period`: the scheduled job that tells the Programme Office what stops publication."""

from __future__ import annotations

import io
import json
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from outcomes.management.commands.check_period import Command
from outcomes.models import AssessmentStatus, CheckAcknowledgement
from tests.scenarios import TEXT_3F, TEXT_4B, PublishablePlan


@pytest.fixture
def plan(db):
    return PublishablePlan()


def run(*args) -> tuple[int, str, str]:
    """Run as cron would (manage.py argv), returning exit status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    command = Command(stdout=out, stderr=err)
    try:
        # run_from_argv closes every database connection when it ends, as a process would; in
        # a test that is the test's own transaction (PostgreSQL then refuses further queries).
        with mock.patch("django.core.management.base.connections.close_all"):
            command.run_from_argv(["manage.py", "check_period", *args])
    except SystemExit as exit:
        return exit.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_period_ready_to_publish_exits_0_and_prints_no_findings(plan):
    status, out, err = run("p2")
    assert status == 0
    assert out == ""
    assert "no findings" in err


def test_blocking_findings_print_one_per_line_and_exit_1(plan):
    plan.set("1a", status=AssessmentStatus.DRAFT)
    plan.set("3a", rag="")
    status, out, err = run("p2")
    assert status == 1
    assert out.splitlines() == [
        "blocks\t1a\t1a’s assessment is draft, not approved: "
        "its Lead Director must approve it before publication.",
        "blocks\t3a\t3a has no RAG rating for this period. Every criterion needs one before publication.",
    ]
    assert "2 findings block publication" in err


def test_a_warning_not_yet_acknowledged_exits_1_and_once_acknowledged_exits_0(plan):
    plan.set("1b", narrative=TEXT_3F)
    plan.set("2b", narrative=TEXT_4B)
    status, out, _ = run("p2")
    assert status == 1
    assert out.startswith("warning\t2b\t2b’s assessment of progress is nearly the same as 1b’s")

    CheckAcknowledgement.objects.create(
        period=plan.current,
        finding_key="near-duplicate:2b:1b",
        reason="Both criteria report the same meeting.",
        acknowledged_at=timezone.now(),
    )
    status, out, err = run("p2")
    assert status == 0
    assert out.startswith("warning (acknowledged)\t2b\t")
    assert "nothing stops publication" in err


def test_json_output_lists_every_finding_for_machines(plan):
    plan.set("1b", narrative=TEXT_3F)
    plan.set("2b", narrative=TEXT_4B)
    plan.set("3a", status=AssessmentStatus.SUBMITTED)
    status, out, _ = run("p2", "--format", "json")
    assert status == 1
    data = json.loads(out)
    assert data["period"] == "p2"
    assert data["can_publish"] is False
    assert (data["blocking"], data["unacknowledged_warnings"]) == (1, 1)
    first, second = data["findings"]
    assert first["key"] == "not-approved:3a"
    assert first["severity"] == "blocks"
    assert second == second | {
        "key": "near-duplicate:2b:1b",
        "rule": "near-duplicate",
        "severity": "warning",
        "criterion": "2b",
        "outcome": 2,
        "related_criterion": "1b",
        "acknowledged": False,
        "acknowledgement": None,
    }
    assert second["fix_url"]


def test_an_unknown_period_exits_2_with_one_clear_line(plan):
    status, out, err = run("2099-00-q9")
    assert status == 2
    assert out == ""
    assert err.strip() == "CommandError: No period with the slug '2099-00-q9'."


def test_an_unknown_format_exits_2_with_one_clear_line(plan):
    status, _, err = run("p2", "--format", "xml")
    assert status == 2
    assert err.strip() == "CommandError: Unknown format 'xml': use text or json."


def test_call_command_raises_system_exit_1_while_publication_is_blocked(plan):
    plan.set("3a", rag="")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("check_period", "p2", stdout=out, stderr=io.StringIO())
    assert exit.value.code == 1
    assert "3a has no RAG rating" in out.getvalue()


def test_thurrock_december_2024_reports_4b_copying_3f_and_exits_1(thurrock):
    status, out, err = run("2024-25-q3")
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == (
        "warning\t4b\t4b’s assessment of progress is nearly the same as 3f’s (77% of the shorter text is in "
        "both). Check that 4b’s text is about 4b, not copied from 3f."
    )
    # Also the Summary's claim for outcome 10, its unnamed movers and 4d's truncated opening (issue 17).
    assert [line.split("\t")[1] for line in lines] == [
        "4b",
        "4d",
        "Outcome 10",
        "10c",
        "11b",
        "12a",
        "12b",
        "12b",
        "12b",
    ]
    assert "0 findings block publication; 9 warnings not yet acknowledged." in err
