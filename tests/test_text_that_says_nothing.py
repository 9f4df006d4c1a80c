"""Text that says nothing is refused like empty text; titles and labels stay on one line."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.text import is_blank_text, meaningful_text
from outcomes import services
from outcomes.exceptions import IncompleteAssessment, InvalidTransition, ReasonRequired
from outcomes.models import AssessmentStatus, PeriodState, ReportingPeriod
from tests.scenarios import Cycle, date_input, days_from_today

SAYS_NOTHING = ["", "   ", "\u200b\u200b", "\u200c\u200d\u2060", "\ufeff", "\x00\x01\x07", " \u200b\t\n\x1f "]


@pytest.mark.parametrize("text", SAYS_NOTHING)
def test_whitespace_zero_width_and_control_characters_say_nothing(text):
    assert is_blank_text(text)
    assert meaningful_text(text) == ""


def test_real_text_is_kept_with_its_line_endings_made_lf():
    assert not is_blank_text("\u200bOK")
    assert meaningful_text("  First line\r\nsecond\u200b ") == "First line\nsecond\u200b"


@pytest.mark.parametrize("reason", ["\u200b\u200b\u200b", "\x00\x01", " \ufeff "])
def test_a_reopening_reason_of_zero_width_or_control_characters_is_refused(
    officer, lead_director, programme_office, reason
):
    cycle = Cycle(officer=officer, director=lead_director, state=PeriodState.CLOSED)

    with pytest.raises(ReasonRequired):
        services.period_reopen(period=cycle.last, by=programme_office, reason=reason)

    cycle.last.refresh_from_db()
    assert cycle.last.state == PeriodState.PUBLISHED


def test_a_return_comment_of_zero_width_characters_is_refused_on_the_page(client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    assessment = cycle.fresh("1a")
    services.assessment_submit(
        assessment=assessment, by=officer, rag="G", narrative="Done.", expected_version=assessment.version
    )
    submitted = cycle.fresh("1a")
    client.force_login(lead_director)

    response = client.post(
        reverse("outcomes:assessment_return", args=[submitted.pk]),
        {"comment": "\u200b\u200b\u200b", "version": submitted.version},
    )

    assert response.status_code in (400, 409)
    assert "Enter a comment telling the officer what to change" in response.content.decode()
    assert cycle.fresh("1a").status == AssessmentStatus.SUBMITTED


def test_a_summary_of_zero_width_characters_is_kept_as_no_summary(officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)

    saved = services.outcome_summary_save(
        summary=cycle.summary(1), by=lead_director, text="\u200b \ufeff", expected_version=1
    )

    assert saved.text == ""


def test_submitting_an_assessment_of_zero_width_characters_is_refused(officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    assessment = cycle.fresh("1a")

    with pytest.raises(IncompleteAssessment):
        services.assessment_submit(
            assessment=assessment, by=officer, rag="G", narrative="\u200b\u200b", expected_version=1
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Quarter to March 2025\nBcc: everyone@example.org"),
        ("short_label", "Mar\r25"),
        ("title", "Q4\x1b[2J"),
    ],
)
def test_a_period_title_or_label_with_a_line_break_or_control_character_is_refused(
    client, officer, lead_director, make_user, field, value
):
    cycle = Cycle(officer=officer, director=lead_director, state=PeriodState.CLOSED)
    cycle.forget_current_period()
    client.force_login(make_user(Role.PROGRAMME_OFFICE, username="pmo"))
    data = {
        "title": "Quarter to March 2025",
        "slug": "2024-25-q4",
        "short_label": "Mar 25",
        **date_input("start", "2025-01-01"),
        **date_input("end", "2025-03-31"),
        **date_input("deadline", days_from_today(21)),
    }
    data[field] = value

    response = client.post(reverse("outcomes:period_open"), data)

    assert response.status_code == 400
    assert "without line breaks or control characters" in response.content.decode()
    assert not ReportingPeriod.objects.filter(slug="2024-25-q4").exists()
    with pytest.raises(InvalidTransition):
        services.period_open_next(
            plan=cycle.plan,
            by=make_user(Role.PROGRAMME_OFFICE, username="pmo-2"),
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 3, 31),
            deadline=dt.date.fromisoformat(days_from_today(21)),
            send_reminders=False,
            **{k: v for k, v in data.items() if k in ("title", "slug", "short_label")},
        )
