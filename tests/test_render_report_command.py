"""`manage.py render_report`: Democratic Services' downloads, from the command line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import ManagementUtility, call_command
from openpyxl import load_workbook
from pypdf import PdfReader


@pytest.fixture
def run(monkeypatch, capsys):
    """Runs the command as `python manage.py …` would: exit code and standard error included."""
    # run_from_argv closes the connections when it ends; the test database must outlive it.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)

    def run(*args: str) -> tuple[int, str, str]:
        code = 0
        try:
            ManagementUtility(["manage.py", "render_report", *args]).execute()
        except SystemExit as exit:
            code = exit.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx", "json"])
def test_each_format_is_written_to_the_file(thurrock, run, tmp_path, fmt):
    output = tmp_path / f"report.{fmt}"

    code, out, err = run("2024-25-q3", "--format", fmt, "--output", str(output))

    assert (code, err) == (0, "")
    assert out.strip() == f"Wrote Quarter to December 2024 as {fmt.upper()} to {output}."
    if fmt == "pdf":
        cover = " ".join(PdfReader(output).pages[0].extract_text().split())
        assert "Second Report on Outcomes and Success Criteria" in cover
    elif fmt == "xlsx":
        assert load_workbook(output)["Summary"]["A1"].value.startswith("Second Report")
    elif fmt == "json":
        assert json.loads(output.read_text())["period"] == "2024-25-q3"
    else:
        page = output.read_text()
        assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page
        assert "Assessment of Progress" in page


def test_an_unknown_period_gives_one_line_and_exit_code_2(thurrock, run, tmp_path):
    code, out, err = run("2099-00-q9", "--format", "pdf", "--output", str(tmp_path / "x.pdf"))

    assert code == 2
    assert err.splitlines() == ['CommandError: No reporting period is called "2099-00-q9".']
    assert not (tmp_path / "x.pdf").exists()


def test_an_unknown_format_gives_one_line_and_exit_code_2(thurrock, run, tmp_path):
    code, out, err = run("2024-25-q3", "--format", "odt", "--output", str(tmp_path / "x.odt"))

    assert code == 2
    assert err.splitlines() == [
        'CommandError: Unknown format "odt": choose one of html, pdf, xlsx, docx, json.'
    ]


def test_a_draft_is_called_a_draft(thurrock, tmp_path):
    from outcomes.models import PeriodState, ReportingPeriod

    ReportingPeriod.objects.filter(slug="2024-25-q3").update(state=PeriodState.CLOSED)
    output = tmp_path / "draft.json"

    call_command(
        "render_report", "2024-25-q3", "--format", "json", "--output", str(output), stdout=io.StringIO()
    )

    assert json.loads(output.read_text())["status"] == "draft"
