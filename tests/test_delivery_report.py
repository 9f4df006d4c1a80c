"""The exception report: what a board is shown as of a date, and the December 2022 plan's Must-show."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from plans import services
from plans.loose_dates import loose_due_date
from plans.models import Action, Milestone, MilestoneStatus, Plan, RaidEntry, StatusLabel
from reporting.delivery import delivery_report_build
from reporting.render.delivery_formats import DELIVERY_FORMATS
from tests.delivery_world import ensure_default_status_labels

AS_OF = "2023-06-30"

# (as the plan writes it, the date it stands for)
LOOSE_DATES = [
    ("22/02/23 (Feb Council)", dt.date(2023, 2, 22)),
    ("31/03/23", dt.date(2023, 3, 31)),
    ("22/02/23 for 2023/24 Ongoing for future years", dt.date(2023, 2, 22)),
    ("01/04/2024", dt.date(2024, 4, 1)),
    ("March 2023", dt.date(2023, 3, 31)),
    ("Sept 2023", dt.date(2023, 9, 30)),
    ("Feb 2024", dt.date(2024, 2, 29)),
    ("May 2023 (Annual Council)", dt.date(2023, 5, 31)),
    ("april 2026", dt.date(2026, 4, 30)),
    ("2025", dt.date(2025, 12, 31)),
    ("Ongoing", None),
    ("awaiting external timescales", None),
    ("Subject to external timescales", None),
    ("Links to specific investments", None),
    ("31/02/24", None),  # a day that does not exist names no date
    ("Smarch 2023", None),
    ("", None),
]


@pytest.mark.parametrize(("written", "expected"), LOOSE_DATES)
def test_a_loosely_written_due_date_reads_as_the_council_means_it(written, expected):
    assert loose_due_date(written) == expected


@pytest.fixture
def december_2022_json(thurrock, tmp_path) -> dict:
    ensure_default_status_labels()
    output = tmp_path / "report.json"
    call_command(
        "delivery_report",
        "irp-2022-12",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--output",
        str(output),
        stdout=StringIO(),
    )
    return json.loads(output.read_text())


def test_the_december_2022_plan_lists_its_39_actions_and_no_heading_row(december_2022_json):
    items = december_2022_json["items"]
    assert len(items) == 39
    assert Action.objects.filter(workstream__theme__plan__slug="irp-2022-12").count() == 39
    assert not any(item["title"].startswith("Redefine the role and accountability") for item in items)
    assert all(item["status"] in MilestoneStatus.values for item in items)
    assert december_2022_json["plan"] == "irp-2022-12" and december_2022_json["as_of"] == AS_OF
    assert set(items[0]) == {
        "ref",
        "title",
        "workstream",
        "owner",
        "due",
        "due_as_written",
        "status",
        "overdue",
        "stale",
    }


def test_overdue_is_exactly_the_actions_due_before_the_day_and_not_complete(december_2022_json):
    as_of = dt.date.fromisoformat(AS_OF)
    expected = {
        item["ref"]
        for item in december_2022_json["items"]
        if (due := loose_due_date(item["due_as_written"])) is not None
        and due < as_of
        and item["status"] != "complete"
    }
    flagged = {item["ref"] for item in december_2022_json["items"] if item["overdue"]}
    assert flagged == expected
    assert len(flagged) == 21
    # "June 2023" is due on 30 June, the report's own day: not yet overdue.
    june = next(item for item in december_2022_json["items"] if item["due_as_written"] == "June 2023")
    assert june["due"] == "2023-06-30" and not june["overdue"]


def test_the_exceptions_hold_the_overdue_and_the_at_risk_actions(december_2022_json):
    exceptions = set(december_2022_json["exceptions"])
    overdue = {item["ref"] for item in december_2022_json["items"] if item["overdue"]}
    at_risk = {
        item["ref"] for item in december_2022_json["items"] if item["status"] in ("at_risk", "off_track")
    }
    undated = {item["ref"] for item in december_2022_json["items"] if item["due"] is None}
    assert at_risk, "the plan's 'Medium Progress' actions read as at risk"
    assert overdue | at_risk | undated == exceptions


def test_the_plans_seven_key_risks_are_loaded_not_yet_scored(december_2022_json):
    risks = december_2022_json["risks"]
    assert len(risks) == 7
    assert all(risk["score"] is None and risk["level"] == "Whole plan" for risk in risks)
    assert risks[0]["description"] == "Worsening of the financial position"


def test_loading_the_plan_again_changes_no_milestone(thurrock):
    before = list(Milestone.history.order_by("history_id").values_list("history_id", flat=True))
    call_command("seed_thurrock", stdout=StringIO())
    assert list(Milestone.history.order_by("history_id").values_list("history_id", flat=True)) == before


def test_every_format_renders_the_same_report(thurrock, tmp_path):
    plan = Plan.objects.get(slug="irp-2022-12")
    report = delivery_report_build(plan=plan, as_of=dt.date(2023, 6, 30))
    workbook = load_workbook(filename=__import__("io").BytesIO(DELIVERY_FORMATS["xlsx"].render(report)))
    assert workbook.sheetnames == ["Exceptions", "All milestones", "RAID log"]
    assert workbook["All milestones"].max_row == 5 + 39
    html = DELIVERY_FORMATS["html"].render(report).decode()
    assert "Exceptions (31)" in html and "Overdue" in html
    assert DELIVERY_FORMATS["pdf"].render(report).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("arguments", "sentence"),
    [
        (["nope", "--as-of", AS_OF, "--format", "json"], 'No plan is called "nope".'),
        (
            ["irp-2022-12", "--as-of", "30/06/2023", "--format", "json"],
            "--as-of must be a date from 1900 to 2999",
        ),
        (["irp-2022-12", "--as-of", AS_OF, "--format", "docx"], 'Unknown format "docx"'),
        (
            ["irp-2022-12", "--as-of", AS_OF, "--format", "json", "--board", "nope"],
            'No board is called "nope".',
        ),
    ],
)
def test_the_command_refuses_a_bad_plan_date_or_format_in_one_sentence(
    thurrock, tmp_path, arguments, sentence
):
    with pytest.raises(CommandError) as refused:
        call_command("delivery_report", *arguments, "--output", str(tmp_path / "x"), stdout=StringIO())
    assert refused.value.returncode == 2
    assert str(refused.value).startswith(sentence)
    assert str(refused.value).count(". ") == 0


# --------------------------------------------------------------------------- status labels, boards, history


def test_the_plans_own_labels_read_through_the_editable_table(world):
    """Statuses are not RAG: "Medium Progress" reads as At risk until the Programme Office says otherwise."""
    for milestone, label in (
        (world.m1, "Something new"),
        (world.m2, "Not due to start – Phase 2/3"),
        (world.m3, "Medium Progress"),
    ):
        milestone.status, milestone.plan_label = "", label  # as loaded: nobody has updated them
        milestone.save()
    today = timezone.localdate()
    report = delivery_report_build(plan=world.plan, as_of=today)
    status = {row.ref: row.status for row in report.items}
    assert status == {"M1": "not_started", "M2": "not_started", "M3": "at_risk"}

    services.status_label_save(by=world.programme_office, label="medium progress", status="off_track")
    services.status_label_save(by=world.programme_office, label="Something new", status="on_track")
    report = delivery_report_build(plan=world.plan, as_of=today)
    assert {row.ref: row.status for row in report.items} == {
        "M1": "on_track",
        "M2": "not_started",
        "M3": "off_track",
    }
    assert (
        StatusLabel.objects.get(label="Medium Progress").history.first().history_user
        == world.programme_office
    )


def test_a_board_sees_only_what_it_oversees(world):
    report = delivery_report_build(plan=world.plan, board=world.finance_board, as_of=dt.date(2025, 6, 30))
    assert [row.ref for row in report.items] == ["M1", "M2"]
    assert [risk.ref for risk in report.risks] == ["R1"]
    assert [risk.ref for risk in report.exception_risks] == ["R1"]  # 4 × 4 = 16
    everything = delivery_report_build(plan=world.plan, as_of=dt.date(2025, 6, 30))
    assert [row.ref for row in everything.items] == ["M1", "M2", "M3"]


def test_an_escalated_risk_reaches_the_board_it_was_escalated_to(world):
    RaidEntry.objects.filter(pk=world.low_risk.pk).update(escalated_to=world.finance_board)
    report = delivery_report_build(plan=world.plan, board=world.finance_board, as_of=dt.date(2025, 6, 30))
    assert [risk.ref for risk in report.exception_risks] == ["R1", "R2"]


def _dated(milestone, *moments: dt.datetime) -> None:
    """Put a milestone's recorded versions, oldest first, at the given moments."""
    for record, moment in zip(milestone.history.order_by("history_id"), moments, strict=True):
        type(record).objects.filter(pk=record.pk).update(history_date=moment)


def test_a_status_change_since_the_previous_report_is_an_exception(world):
    services.milestone_update(
        milestone=world.m1, by=world.officer, status="complete", note="Agreed at Cabinet.", expected_version=1
    )
    _dated(world.m1, dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC))
    report = delivery_report_build(
        plan=world.plan, board=world.finance_board, as_of=dt.date(2025, 3, 31), since=dt.date(2025, 3, 1)
    )
    row = next(row for row in report.items if row.ref == "M1")
    assert row.status == "complete" and row.previous_status_label == "On track"
    assert "Changed from On track" in row.reasons
    earlier = delivery_report_build(
        plan=world.plan, board=world.finance_board, as_of=dt.date(2025, 3, 5), since=dt.date(2025, 3, 1)
    )
    assert next(row for row in earlier.items if row.ref == "M1").status == "on_track"


def test_a_milestone_not_updated_for_35_days_is_stale(world, settings):
    settings.DELIVERY_STALE_DAYS = 35
    report = delivery_report_build(plan=world.plan, as_of=dt.date(2025, 2, 5))  # 35 days after the start
    assert not any(row.stale for row in report.items)
    report = delivery_report_build(plan=world.plan, as_of=dt.date(2025, 2, 6))
    assert all(row.stale for row in report.items)
