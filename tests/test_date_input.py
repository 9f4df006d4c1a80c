"""The GOV.UK date input (core/date_input.py): day, month and year boxes with the Design System's errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template.loader import render_to_string

from core.date_input import GovukDateField


class DeadlineForm(forms.Form):
    deadline = GovukDateField(
        label="Deadline", error_name="Deadline", error_messages={"required": "Enter the deadline"}
    )


def posted(day="", month="", year="") -> DeadlineForm:
    return DeadlineForm({"deadline-day": day, "deadline-month": month, "deadline-year": year})


def test_three_boxes_make_a_date():
    form = posted(" 7 ", "04", "2031")
    assert form.is_valid()
    assert form.cleaned_data["deadline"] == dt.date(2031, 4, 7)


@pytest.mark.parametrize(
    ("boxes", "message", "marked"),
    [
        (("", "", ""), "Enter the deadline", ("day", "month", "year")),
        (("7", "", "2031"), "Deadline must include a month", ("month",)),
        (("", "", "2031"), "Deadline must include a day and month", ("day", "month")),
        (("7", "4", ""), "Deadline must include a year", ("year",)),
        (("31", "2", "2031"), "Deadline must be a real date", ("day", "month", "year")),
        (("7", "4", "31"), "Deadline must be a real date", ("day", "month", "year")),
        (("seven", "4", "2031"), "Deadline must be a real date", ("day", "month", "year")),
        # A day too large for a C integer (found by the delivery forms' hostile-input test).
        (("2147483648", "6", "2025"), "Deadline must be a real date", ("day", "month", "year")),
    ],
)
def test_each_mistake_gets_the_design_systems_sentence_and_marks_only_its_boxes(boxes, message, marked):
    form = posted(*boxes)

    assert not form.is_valid()
    assert form.errors["deadline"] == [message]
    assert [box["label"].lower() for box in form["deadline"].date_boxes if box["error"]] == list(marked)


def test_the_boxes_render_as_the_govuk_date_input_keeping_what_was_typed():
    html = render_to_string("includes/field.html", {"field": posted("31", "2", "2031")["deadline"]})

    assert (
        '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_deadline-hint id_deadline-error">'
        in html
    )
    assert 'name="deadline-day" type="text" inputmode="numeric" value="31"' in html
    assert 'id="id_deadline-month"' in html and 'id="id_deadline-year"' in html
    assert "Deadline must be a real date" in html
    assert 'type="date"' not in html


def test_an_unbound_form_shows_its_initial_date_in_the_boxes():
    form = DeadlineForm(initial={"deadline": dt.date(2031, 4, 7)})
    values = [box["value"] for box in form["deadline"].date_boxes]
    assert values == ["7", "4", "2031"]
