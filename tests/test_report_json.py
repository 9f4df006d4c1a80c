"""The outcome report as JSON, for open data and for checks: the same data as every other format."""

from __future__ import annotations

import json

import pytest

from outcomes.models import Assessment, PeriodState
from outcomes.selectors import period_get
from reporting.builder import report_build
from reporting.render import report_render
from tests.seed_sources import second_report_source
from tests.seed_sources.second_report import parse_second_report


@pytest.fixture
def december(thurrock):
    return period_get(slug="2024-25-q3")


def json_of(period) -> dict:
    return json.loads(report_render(report_build(period=period), format="json"))


def test_the_json_has_the_agreed_shape(december):
    data = json_of(december)

    assert data["period"] == "2024-25-q3"
    assert data["columns"] == {
        "baseline": "RAG – Baseline (Sept 24)",
        "previous": "RAG – last period (Sept 24)",
        "current": "RAG – this period (Dec 24)",
    }
    assert len(data["outcomes"]) == 12
    outcome = data["outcomes"][3]
    assert set(outcome) == {"number", "title", "lead_director_summary", "criteria"}
    assert outcome["number"] == 4 and outcome["title"] == "Improvement in responsiveness to the public"
    criterion = outcome["criteria"][1]
    assert set(criterion) == {"letter", "text", "rag", "carried_forward", "assessment", "quoted_previous"}
    assert criterion["letter"] == "b"
    assert criterion["rag"] == {"baseline": "G", "previous": "G", "current": "G"}
    assert sum(len(o["criteria"]) for o in data["outcomes"]) == 61


def test_the_json_matches_the_councils_per_outcome_sections(december):
    source = parse_second_report(second_report_source())

    data = json_of(december)

    assert [
        {
            "number": o["number"],
            "title": o["title"],
            "lead_director_summary": o["lead_director_summary"],
            "criteria": [
                {
                    "letter": c["letter"],
                    "text": c["text"],
                    "rag": {"baseline": c["baseline"], "previous": c["previous"], "current": c["current"]},
                    "carried_forward": c["carried_forward"],
                    # The officer's whole text, and the earlier text it quotes in italics beneath it.
                    "assessment": c["narrative"],
                    "quoted_previous": c["quoted"],
                }
                for c in o["criteria"]
            ],
        }
        for o in source["outcomes"]
    ] == data["outcomes"]


def test_the_december_json_quotes_septembers_assessment_beneath_the_council_sentence_introducing_it(december):
    source = parse_second_report(second_report_source())
    expected = {f"{o['number']}{c['letter']}": c["quoted"] for o in source["outcomes"] for c in o["criteria"]}

    data = json_of(december)

    quoted = {f"{o['number']}{c['letter']}": c for o in data["outcomes"] for c in o["criteria"]}
    quoting = {ref for ref, c in quoted.items() if c["quoted_previous"]}
    assert quoting == {"3a", "3b", "3e", "4a", "7d", "7h", "9i", "11c", "11e"}
    assert {ref: c["quoted_previous"] for ref, c in quoted.items()} == expected
    for ref in quoting:
        assert quoted[ref]["assessment"].startswith(
            "The position is assessed as being the same as 1st Report (see below italics)."
        ), ref
    assert {ref for ref, c in quoted.items() if c["carried_forward"]} == {"3a", "4a", "7d", "7h", "9i", "11e"}


def test_the_json_counts_follow_the_ratings(december):
    Assessment.objects.filter(period=december, criterion__outcome__number=11, criterion__letter="d").update(
        rag="G"
    )

    facts = json_of(december)["facts"]

    assert facts["counts"] == {"R": 1, "A": 32, "G": 28}
    assert facts["moved_down"] == []
    assert facts["moved_up"] == ["6e", "9f", "9h", "11b", "12a", "12b"]


def test_the_baseline_period_has_no_previous_ratings(thurrock):
    data = json_of(period_get(slug="2024-25-q2"))

    assert data["columns"]["previous"] == "RAG – last period"
    ratings = [c["rag"] for o in data["outcomes"] for c in o["criteria"]]
    assert all(r["previous"] is None and r["baseline"] == r["current"] for r in ratings)


def test_a_draft_is_marked_draft(december):
    published = json_of(december)
    december.state = PeriodState.CLOSED
    december.save()

    draft = json_of(december)

    assert (published["status"], published["draft"]) == ("published", False)
    assert (draft["status"], draft["draft"]) == ("draft", True)


def test_user_text_is_kept_exactly(december):
    Assessment.objects.filter(period=december, criterion__outcome__number=1, criterion__letter="a").update(
        narrative='<b>"quoted"</b> =1+1'
    )

    data = json_of(december)

    assert data["outcomes"][0]["criteria"][0]["assessment"] == '<b>"quoted"</b> =1+1'
