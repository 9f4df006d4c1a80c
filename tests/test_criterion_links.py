"""A criterion's reference links to its history page wherever lists show it (the dashboard, the
criteria list), under whatever path the council serves the tracker from."""

from __future__ import annotations

from dataclasses import dataclass

from django.template import Context, Template
from django.urls import get_script_prefix, set_script_prefix

LINK = Template("{% load criterion_links %}{% criterion_ref row %}")


@dataclass
class Row:
    criterion_id: int
    reference: str


def test_a_reference_links_to_that_criterions_history_with_its_purpose_for_screen_readers():
    html = LINK.render(Context({"row": Row(criterion_id=42, reference="4b")}))

    assert html == (
        '<a class="govuk-link" href="/criteria/42/history/">4b'
        '<span class="govuk-visually-hidden">: history of this criterion</span></a>'
    )


def test_served_under_a_path_the_link_keeps_it_and_each_row_gets_its_own_address():
    served_at = get_script_prefix()
    set_script_prefix("/irp/")
    try:
        first = LINK.render(Context({"row": Row(criterion_id=7, reference="1a")}))
        second = LINK.render(Context({"row": Row(criterion_id=8, reference="1<b>")}))
    finally:
        set_script_prefix(served_at)

    assert 'href="/irp/criteria/7/history/"' in first
    assert 'href="/irp/criteria/8/history/">1&lt;b&gt;<span' in second
    assert 'href="/criteria/9/history/"' in LINK.render(Context({"row": Row(criterion_id=9, reference="1c")}))
