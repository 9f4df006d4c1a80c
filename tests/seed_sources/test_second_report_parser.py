"""Tests for the parser of the Second Report on Outcomes and Success Criteria (seed 003).

Plain pytest, no Django:
    python3 -m pytest tests/seed_sources -q -p no:django -p no:cacheprovider
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from . import second_report_source
from .second_report import clean, parse_second_report

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "thurrock" / "outcomes.json"
ORDER = {"R": 0, "A": 1, "G": 2}


@pytest.fixture(scope="module")
def report():
    return parse_second_report(second_report_source())


@pytest.fixture(scope="module")
def criteria(report):
    return {(o["number"], c["letter"]): c for o in report["outcomes"] for c in o["criteria"]}


def test_twelve_outcomes_in_order(report):
    assert [o["number"] for o in report["outcomes"]] == list(range(1, 13))
    assert report["outcomes"][0]["title"] == "Improvement in assurance and audit"
    assert report["outcomes"][11]["title"] == "Improvement in corporate capability"


def test_sixty_one_criteria(report, criteria):
    assert len(criteria) == 61
    counts = [len(o["criteria"]) for o in report["outcomes"]]
    assert counts == [3, 5, 6, 4, 3, 5, 8, 4, 9, 5, 5, 4]
    for outcome in report["outcomes"]:
        letters = [c["letter"] for c in outcome["criteria"]]
        assert letters == [chr(ord("a") + i) for i in range(len(letters))]


def test_summary_table_covers_the_same_criteria(report, criteria):
    assert set(report["summary_table"]) == set(criteria)


def test_all_rags_valid(report, criteria):
    for criterion in criteria.values():
        for column in ("baseline", "previous", "current"):
            assert criterion[column] in {"R", "A", "G"}
    for row in report["summary_table"].values():
        for column in ("baseline", "previous", "current"):
            assert row[column] in {"R", "A", "G"}


def test_column_labels(report):
    assert report["column_labels"] == {"baseline": "Sept 24", "previous": "Sept 24", "current": "Dec 24"}


def test_baseline_equals_last_period_everywhere(report, criteria):
    assert all(c["baseline"] == c["previous"] for c in criteria.values())
    assert all(r["baseline"] == r["previous"] for r in report["summary_table"].values())


def test_rag_counts_this_period(report, criteria):
    assert Counter(c["current"] for c in criteria.values()) == {"A": 33, "G": 27, "R": 1}
    assert Counter(r["current"] for r in report["summary_table"].values()) == {
        "A": 31,
        "G": 29,
        "R": 1,
    }


def test_1c_summary_table_disagrees_with_section(report, criteria):
    assert criteria[(1, "c")]["current"] == "A"
    assert report["summary_table"][(1, "c")]["current"] == "G"


def test_rag_disagreements_are_exactly_1c_and_7b(report, criteria):
    disagreements = {
        (key, column)
        for key, row in report["summary_table"].items()
        for column in ("baseline", "previous", "current")
        if row[column] != criteria[key][column]
    }
    assert disagreements == {((1, "c"), "current"), ((7, "b"), "current")}


def test_11d_declined(criteria):
    c = criteria[(11, "d")]
    assert (c["previous"], c["current"]) == ("G", "A")
    assert ORDER[c["previous"]] > ORDER[c["current"]]


@pytest.mark.parametrize("key", [(6, "e"), (9, "f"), (9, "h")])
def test_improved(criteria, key):
    c = criteria[key]
    assert (c["previous"], c["current"]) == ("A", "G")
    assert ORDER[c["current"]] > ORDER[c["previous"]]


def test_all_movements(criteria):
    moved = {k: (c["previous"], c["current"]) for k, c in criteria.items() if c["previous"] != c["current"]}
    assert moved == {
        (6, "e"): ("A", "G"),
        (9, "f"): ("A", "G"),
        (9, "h"): ("A", "G"),
        (11, "b"): ("A", "G"),
        (11, "d"): ("G", "A"),
        (12, "a"): ("A", "G"),
        (12, "b"): ("A", "G"),
    }


def test_4b_assessment_duplicates_3f(criteria):
    a4b, a3f = criteria[(4, "b")]["assessment"], criteria[(3, "f")]["assessment"]
    assert a4b.startswith("As with the 1st Report, the assessment is that on the whole relationships")
    # Not byte-identical: 4b reads like an earlier draft of 3f (group leaders and whips),
    # and says nothing about complaints. Two of its three sentences are verbatim in 3f.
    assert difflib.SequenceMatcher(None, a4b, a3f, autojunk=False).ratio() > 0.75
    sentences = re.split(r"(?<=\.) ", a4b)
    assert len(sentences) == 3
    assert sum(sentence in a3f for sentence in sentences) == 2
    assert "group leaders" in a4b and "complaint" not in a4b.lower()


def test_criterion_wording_differences(report, criteria):
    def loose(text):
        return text.replace("’", "'").replace("/ ", "/").rstrip(".")

    wording = {k for k, row in report["summary_table"].items() if row["text"] != criteria[k]["text"]}
    assert wording == {(1, "b"), (1, "c"), (2, "c"), (3, "c"), (3, "e"), (7, "c"), (7, "e")}
    real = {k for k in wording if loose(report["summary_table"][k]["text"]) != loose(criteria[k]["text"])}
    assert real == {(1, "b")}
    assert criteria[(1, "b")]["text"].startswith("Internal audit functions")
    assert report["summary_table"][(1, "b")]["text"].startswith("Scrutiny and internal audit")
    # The section's own heading for each criterion against its table row.
    heading = {k for k, c in criteria.items() if loose(c["heading_text"]) != loose(c["text"])}
    assert heading == {(1, "b"), (10, "d"), (10, "e")}


def test_titles_agree(report):
    for outcome in report["outcomes"]:
        assert outcome["summary_table_title"] == outcome["title"]


def test_rag_definitions(report):
    defs = report["rag_definitions"]
    assert set(defs) == {"R", "A", "G"}
    assert defs["R"].startswith("Red indicates that progress is not assured")
    assert defs["G"].endswith("expectations required by the intervention.")


def test_purpose_and_summary(report):
    assert report["purpose"].startswith("This report presents the Council's position")
    assert report["purpose"].count("\n\n") == 1
    assert report["summary"].startswith("Overall, progress has remained consistent")
    assert report["summary"].count("\n\n") == 3


def test_every_outcome_has_a_lead_director_summary(report):
    for outcome in report["outcomes"]:
        text = outcome["lead_director_summary"]
        assert len(text) > 100, outcome["number"]
        assert "Lead Director Summary" not in text


def test_every_criterion_has_an_assessment(criteria):
    for key, c in criteria.items():
        assert c["assessment"].strip(), key
        assert "Assessment of Progress" not in c["assessment"], key


def test_markup_is_stripped(report, criteria):
    texts = [report["purpose"], report["summary"], *report["rag_definitions"].values()]
    for outcome in report["outcomes"]:
        texts += [outcome["title"], outcome["lead_director_summary"]]
    for c in criteria.values():
        texts += [c["text"], c["heading_text"], c["assessment"], c["previous_assessment"] or ""]
    for text in texts:
        for marker in ("<", ">", "**", "&amp;", "\t", "#"):
            assert marker not in text, (marker, text[:80])
        assert "*" not in text, text[:80]
        for paragraph in text.split("\n\n"):
            assert paragraph == paragraph.strip() and "  " not in paragraph and "\n" not in paragraph


def test_entities_unescaped(report):
    assert "corporate O&S committee" in report["outcomes"][6]["lead_director_summary"]
    assert "Legal & Governance" in report["outcomes"][6]["lead_director_summary"]
    assert "HR&OD" in report["outcomes"][9]["lead_director_summary"]


def test_html_and_markdown_variants(report, criteria):
    # <p><b>heading</b>  text</p> on one line (outcome 5 and 8 summaries, 5a, 5b, 8a, 8b)
    assert report["outcomes"][4]["lead_director_summary"].startswith("This period has seen")
    assert criteria[(5, "a")]["assessment"].startswith("Report with findings")
    assert criteria[(8, "b")]["assessment"].startswith("Change Programme Governance")
    # <p><b>Assessment of Progress</b></p> <p>..</p> (10a, 10b)
    assert criteria[(10, "b")]["assessment"].startswith("360 degree feedback")
    # multi-paragraph HTML lead summary (outcome 7)
    assert report["outcomes"][6]["lead_director_summary"].count("\n\n") == 2
    # ### / #### headings (outcome 12), #### **..** / ##### **..** (3e, 6b-6d)
    assert report["outcomes"][11]["lead_director_summary"].startswith("There is progress in this area")
    assert criteria[(12, "a")]["assessment"].startswith("A proposal is to be presented to SLT")
    assert criteria[(6, "b")]["assessment"].startswith("Risk Management training has been given")
    # <sup>st</sup>
    assert "1st Report" in criteria[(6, "e")]["assessment"]


def test_page_broken_paragraphs_rejoined(criteria):
    assert "the all-committees budget scrutiny meeting" in criteria[(2, "a")]["assessment"]
    assert "\n\n" not in criteria[(2, "a")]["assessment"]
    assert "breaches of the code of conduct. Consultation" in criteria[(3, "d")]["assessment"]
    assert "Anecdotal consideration suggests" in criteria[(7, "d")]["previous_assessment"]


def test_italics_and_carried_forward(criteria):
    quoted = {k for k, c in criteria.items() if c["previous_assessment"]}
    assert quoted == {
        (3, "a"),
        (3, "b"),
        (3, "e"),
        (4, "a"),
        (7, "d"),
        (7, "h"),
        (9, "i"),
        (11, "c"),
        (11, "e"),
    }
    carried = {k for k, c in criteria.items() if c["carried_forward"]}
    assert carried == {(3, "a"), (4, "a"), (7, "d"), (7, "h"), (9, "i"), (11, "e")}
    for key in carried:
        c = criteria[key]
        assert c["assessment"] == c["previous_assessment"]
        assert "see below italics" not in c["assessment"]
    for key in quoted - carried:
        c = criteria[key]
        assert c["assessment"] != c["previous_assessment"]
        assert c["assessment"].startswith("The position is assessed as being the same as 1st Report")
        assert c["previous_assessment"] not in c["assessment"]
    assert criteria[(11, "e")]["assessment"] == "Ongoing activity in this area remains in place."
    # 3e quotes a bulleted list: each item is its own paragraph starting "- "
    items = [p for p in criteria[(3, "e")]["previous_assessment"].split("\n\n") if p.startswith("- ")]
    assert len(items) == 7
    assert (
        items[0]
        == "- The right of access to information pursuant to section 100A – K Local Government Act 1972"
    )


def test_4d_lists_are_not_italic(criteria):
    c = criteria[(4, "d")]
    assert c["previous_assessment"] is None and not c["carried_forward"]
    assert c["assessment"].startswith("complaint volumes")  # the sentence's opening is missing in the source
    assert c["assessment"].count("\n\n- ") == 3


def test_clean_helper():
    assert clean("<p><b>a&amp;b</b>  x</p>") == "a&b x"
    assert clean("1<sup>st</sup> **Report** *quoted*") == "1st Report quoted"
    assert clean("<i>quoted</i>") == "quoted"


def test_fixture_matches_parser(report, criteria):
    if not FIXTURE.exists():
        pytest.skip("fixture not built")
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert data["plan"] == "irp-2023-10"
    assert [d["rating"] for d in data["rag_definitions"]] == ["R", "A", "G"]
    fixture_criteria = {
        (o["number"], c["letter"]): c["text"] for o in data["outcomes"] for c in o["criteria"]
    }
    assert fixture_criteria == {k: c["text"] for k, c in criteria.items()}
    september, december = data["periods"]
    assert (september["short_label"], december["short_label"]) == ("Sept 24", "Dec 24")
    assert september["is_baseline"] and not december["is_baseline"]
    for period, column in ((september, "previous"), (december, "current")):
        rows = {(a["outcome"], a["criterion"]): a for a in period["assessments"]}
        assert set(rows) == set(criteria)
        for key, row in rows.items():
            assert row["rag"] == criteria[key][column]
    sept = {(a["outcome"], a["criterion"]): a for a in september["assessments"]}
    dec = {(a["outcome"], a["criterion"]): a for a in december["assessments"]}
    for key, c in criteria.items():
        assert sept[key]["narrative"] == (c["previous_assessment"] or "")
        assert sept[key]["carried_forward"] is False
        # The officer's whole text as printed, the italics it quotes apart (issue 17).
        assert dec[key]["narrative"] == c["narrative"]
        assert dec[key].get("quoted_text", "") == c["quoted"]
        assert "\n\n".join(p for p in (c["narrative"], c["quoted"]) if p) == "\n\n".join(c["paragraphs"])
        assert dec[key]["carried_forward"] is c["carried_forward"]
    assert [s["outcome"] for s in december["outcome_summaries"]] == list(range(1, 13))
    assert december["report_purpose"] == report["purpose"]
    assert december["report_summary"] == report["summary"]
