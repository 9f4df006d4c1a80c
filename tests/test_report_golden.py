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


def test_render_report_json_for_december_2024_matches_the_copy_saved_before_the_restructuring(
    thurrock, tmp_path
):
    output = tmp_path / "report.json"

    call_command(
        "render_report", "2024-25-q3", "--format", "json", "--output", str(output), stdout=io.StringIO()
    )

    rendered = json.loads(output.read_text(encoding="utf-8"))
    saved = json.loads(GOLDEN.read_text(encoding="utf-8"))
    # A published report carries its publication date, never the moment it was rendered (issue 17).
    assert "generated_at" not in rendered
    assert rendered == saved
