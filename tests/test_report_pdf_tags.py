"""The PDF's structure tags point at the pages their content is on, however long the report.

`reporting/render/pdf.py` keeps pydyf's list of page references between reads, so tagging a
300-page report does not re-list every page for every element; a stale list would send a
screen reader to the wrong page, or to none.
"""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import IndirectObject

from outcomes.scale import build_synthetic_plan
from reporting.builder import report_build
from reporting.render import report_render


def structure_pages(node, found: list[int]) -> list[int]:
    """The object numbers of the pages the structure elements under `node` name, in reading order."""
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, list):
        for child in node:
            structure_pages(child, found)
    elif hasattr(node, "get"):
        if "/Pg" in node:
            found.append(node.raw_get("/Pg").idnum)
        if "/K" in node:
            structure_pages(node["/K"], found)
    return found


def test_every_page_of_a_long_report_is_tagged_and_its_tags_name_their_pages_in_reading_order(db):
    plan = build_synthetic_plan(factor=1, periods=2, open_last_period=False, slug="tagged")
    period = plan.periods.order_by("end").last()

    reader = PdfReader(io.BytesIO(report_render(report_build(period=period), format="pdf")))

    page_number = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}
    named = structure_pages(reader.trailer["/Root"]["/StructTreeRoot"]["/K"], [])
    assert len(page_number) > 20
    assert set(named) <= set(page_number)  # no tag points outside the document
    in_reading_order = [page_number[idnum] for idnum in named]
    # The report reads from the cover to the last page, so its tags do too, and every page has some.
    assert in_reading_order == sorted(in_reading_order)
    assert set(in_reading_order) == set(range(len(page_number)))
