"""Input the database cannot take is answered the same way on every form: text holding a NUL byte
is refused with a sentence saying what to do, and an id beyond any row with the field's own
"choose from the list" message, never an error page."""

from __future__ import annotations

import pytest

from outcomes.evaluation_forms import EvidenceStatusForm, MetricForm
from outcomes.forms import ReturnForm
from reporting.delivery_forms import BoardForm, StatusLabelForm
from tests.factories import OutcomeFactory

pytestmark = pytest.mark.django_db

TOO_LARGE_FOR_ANY_ROW = str(2**63)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (EvidenceStatusForm({"status": "evidenced", "note": "Minutes\x00 of May"}), "note"),
        (StatusLabelForm({"label": "On\x00 track"}), "label"),
        (ReturnForm({"comment": "Add\x00 the figures", "version": "1"}), "comment"),
    ],
    ids=["evidence note", "delivery status label", "returned update's comment"],
)
def test_text_holding_a_nul_byte_is_refused_with_a_sentence(form, field):
    assert not form.is_valid()
    assert form.errors[field] == ["Remove the null characters"]


def test_a_metric_naming_an_outcome_beyond_any_row_is_asked_to_choose_one():
    outcome = OutcomeFactory()
    form = MetricForm(
        {"code": "GOV-09", "name": "Complaints", "outcome": TOO_LARGE_FOR_ANY_ROW, "criteria": ["-5"]},
        plan=outcome.plan,
    )

    assert not form.is_valid()
    assert form.errors["outcome"] == ["Choose an outcome of this plan"]
    assert form.errors["criteria"] == ["Choose success criteria of this plan"]


def test_a_board_naming_members_beyond_any_row_is_asked_to_choose_from_the_list():
    form = BoardForm({"members": ["-1", TOO_LARGE_FOR_ANY_ROW]})

    assert not form.is_valid()
    assert form.errors["members"] == ["Choose members from the list"]
