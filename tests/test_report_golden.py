"""No user-visible change by accident: Thurrock's December 2024 report, as JSON, matches a saved copy.

The copy (tests/golden/report_2024-25-q3.json) was rendered before issue 12 moved the code into its
layers. A change that alters the report on purpose updates the copy in the same commit and says why.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.management import call_command

GOLDEN = Path(__file__).resolve().parent / "golden" / "report_2024-25-q3.json"


def _without_generation_time(report: dict) -> dict:
    # The one field that differs on every run.
    return {key: value for key, value in report.items() if key != "generated_at"}


def test_render_report_json_for_december_2024_matches_the_copy_saved_before_the_restructuring(
    thurrock, tmp_path
):
    output = tmp_path / "report.json"

    call_command(
        "render_report", "2024-25-q3", "--format", "json", "--output", str(output), stdout=io.StringIO()
    )

    rendered = json.loads(output.read_text(encoding="utf-8"))
    saved = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert "generated_at" in rendered
    assert _without_generation_time(rendered) == _without_generation_time(saved)
