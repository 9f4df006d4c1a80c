"""Radios and checkboxes as GOV.UK Frontend writes them (templates/includes/field.html).

The options are worked out in Python (`core.templatetags.form_fields.choice_items`), not in the
template's nested loops; these tests hold the markup every form relies on: the error summary
links to the field's id, each hint is announced with its own option, and nothing the person
typed or chose is lost when the page comes back with an error.
"""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string


class RatingForm(forms.Form):
    rag = forms.ChoiceField(
        label="Rating",
        choices=[("", "---------"), ("R", "Red"), ("A", "Amber"), ("G", "Green <now>")],
        widget=forms.RadioSelect(attrs={"autofocus": True, "data-track": 'a"b'}),
    )
    boards = forms.MultipleChoiceField(
        label="Boards",
        choices=[("finance", "Financial"), ("governance", "Governance")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def field_html(form: forms.Form, name: str, **context) -> str:
    return render_to_string("includes/field.html", {"field": form[name], **context})


def inputs(html: str) -> list[str]:
    return re.findall(r"<input [^>]*>", html)


def test_a_required_rating_offers_no_blank_choice_and_its_first_option_takes_the_fields_id():
    html = field_html(RatingForm(), "rag", hints={"R": "Off track"})

    options = inputs(html)
    assert [re.search(r'value="([^"]*)"', tag).group(1) for tag in options] == ["R", "A", "G"]
    # The error summary links to #id_rag; the others count every choice, the blank one included.
    assert [re.search(r'id="([^"]+)"', tag).group(1) for tag in options] == ["id_rag", "id_rag-3", "id_rag-4"]
    assert '<label class="govuk-label govuk-radios__label" for="id_rag-4">Green &lt;now&gt;</label>' in html


def test_each_hint_is_announced_with_its_own_option():
    html = field_html(RatingForm(), "rag", hints={"R": "Off track", "G": "On track"})

    red, amber, green = inputs(html)
    assert 'aria-describedby="id_rag-2-item-hint"' in red and "aria-describedby" not in amber
    assert 'aria-describedby="id_rag-4-item-hint"' in green
    assert '<div id="id_rag-2-item-hint" class="govuk-hint govuk-radios__hint">Off track</div>' in html


def test_the_chosen_option_comes_back_checked_with_the_widgets_own_attributes_but_no_autofocus():
    form = RatingForm(data={"rag": "A"})
    form.is_valid()

    red, amber, _ = inputs(field_html(form, "rag"))
    assert " checked" in amber and " checked" not in red
    # Focus belongs to the error summary; the widget's other attributes pass through, escaped.
    assert "autofocus" not in amber and 'data-track="a&quot;b"' in amber


def test_checkboxes_keep_every_choice_with_their_ids_and_what_was_ticked():
    form = RatingForm(data={"rag": "R", "boards": ["governance"]})
    form.is_valid()

    financial, governance = inputs(field_html(form, "boards", hints={"governance": "Meets monthly"}))
    assert 'id="id_boards"' in financial and " checked" not in financial
    assert 'id="id_boards-2"' in governance and " checked" in governance
    assert 'aria-describedby="id_boards-2-item-hint"' in governance
