"""The report page's own part, its heading and its body, stored by the task worker as one file.

The browser page (`templates/reporting/report.html`) wraps this part in the service's layout
and the reader's downloads. At 100 × Thurrock the part is 17 MB of HTML that takes seconds to
render, so the worker renders it once per data generation (`reporting.exports`) and pages read
it (`reporting.report_page`). Heading and body are one file so that a copy shown while a newer
one is prepared is whole: its "Draft as at" line, draft banner and body are of the same data.

The file is the heading as one line of JSON, a newline, then the body.
"""

from __future__ import annotations

import json

from django.template.loader import render_to_string

from reporting.render import Format
from reporting.report import Report


def heading(report: Report) -> dict:
    """The page's title and the part above its downloads: small, and read before the body."""
    return {
        "title": f"{'Draft: ' if report.is_draft else ''}{report.title}, {report.period_title}",
        "is_draft": report.is_draft,
        "period_slug": report.period_slug,
        "period_title": report.period_title,
        # When this copy was built, by the same clock as the "Draft as at" line (`Report.dated`).
        "as_at": f"{report.generated_at:%H:%M} on {report.generated_at:%-d %B %Y}",
        "top": render_to_string("reporting/includes/report_top.html", {"report": report}),
    }


def body(report: Report) -> str:
    return render_to_string("reporting/includes/report_body.html", {"report": report})


def render(report: Report) -> bytes:
    # json.dumps escapes newlines inside strings, so the first newline ends the heading.
    return f"{json.dumps(heading(report))}\n{body(report)}".encode()


def parts(stored: bytes) -> tuple[dict, bytes]:
    """The heading and body of a stored page (`render`'s output), the body left as UTF-8 bytes."""
    first_line, _newline, rest = stored.partition(b"\n")
    return json.loads(first_line), rest


# Stored beside the report's files but never offered or served as one (`reporting.exports`).
PAGE_FORMAT = Format("page", "The report page", "text/html; charset=utf-8", render)
