"""Hostile input: whatever arrives in a form or a filter, the answer is a 4xx or a success, never a 5xx,
and nobody's rows change but the sender's own. User text is escaped in HTML and PDF, and written to
Excel as text, never as a formula.

Each form and filter gets 1,000 generated examples (HYPOTHESIS_HOSTILE_EXAMPLES overrides it for a
quick local run): unicode, NUL bytes, 1 MB strings, markup and script, SQL fragments, spreadsheet
formulas, numbers where text belongs and text where numbers belong, repeated fields, missing
fields, and the ids of other people's rows. To keep 1,000 examples per form inside the suite's
time, each test signs its people in once and runs every example inside a savepoint that is rolled
back afterwards, so the database is the same for every example without being rebuilt; the sign-in
test relies on the fast password hasher tests/conftest.py sets, since a real one costs a third of a
second per attempt.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.roles import Role
from outcomes.models import (
    Assessment,
    AssessmentStatus,
    CheckAcknowledgement,
    OutcomeSummary,
    PeriodState,
    ReportingPeriod,
)
from tests.exports import criteria_file_of, file_of
from tests.factories import AssessmentFactory, SuccessCriterionFactory
from tests.hostile import (
    CORPUS,
    EXAMPLES,
    HOSTILE,
    PK,
    QUERY_SCALAR,
    SLUG_LIKE,
    SignedIn,
    assert_fine,
    fields,
    path_part,
    query,
    refused_as_too_big,
    undone,
)
from tests.scenarios import LAST_NARRATIVES, Cycle, date_input

# --------------------------------------------------------------------------- the people and rows


class World(SignedIn):
    """The update-cycle plan of tests/test_officer_updates.py (1a, 1b are `officer`'s in outcome 1,
    led by `director`; 2a and 2b are someone else's), with 1a submitted, 1b drafted the same as last
    quarter (a pre-publication warning), and a client signed in for each role."""

    def __init__(self, *, officer, director, programme, commissioner, democratic):
        self.cycle = Cycle(officer=officer, director=director)
        cycle = self.cycle
        cycle.criteria["2b"] = SuccessCriterionFactory(
            outcome=cycle.outcomes[2], letter="b", owner=cycle.other_officer, text="Criterion 2b is met."
        )
        AssessmentFactory(
            period=cycle.last, criterion=cycle.criteria["2b"], rag="G", narrative="Done.", status="approved"
        )
        cycle.assessments["2b"] = AssessmentFactory(period=cycle.period, criterion=cycle.criteria["2b"])
        Assessment.objects.filter(pk=cycle.assessments["1a"].pk).update(
            rag="A", narrative="Half done.", status=AssessmentStatus.SUBMITTED, version=2
        )
        Assessment.objects.filter(pk=cycle.assessments["1b"].pk).update(
            rag="R", narrative=LAST_NARRATIVES["1b"], status=AssessmentStatus.DRAFT, version=2
        )
        self.users = {
            "officer": officer,
            "director": director,
            "programme": programme,
            "commissioner": commissioner,
            "democratic": democratic,
        }
        super().__init__(self.users)
        self.last_assessments = {
            a.criterion.reference: a.pk
            for a in Assessment.objects.filter(period=cycle.last).select_related("criterion__outcome")
        }
        self.slugs = [cycle.last.slug, cycle.period.slug]
        from outcomes.checks import period_check

        self.warning_keys = [f.key for f in period_check(period=cycle.period).unacknowledged_warnings]
        assert self.warning_keys, "1b repeats last quarter's text, which the checks should warn about"

    def snapshot(self, *, except_assessments=(), except_summaries_of=(), periods=True) -> dict:
        """Every row someone might wrongly change, minus the ones the sender may change."""
        return {
            "assessments": sorted(
                Assessment.objects.exclude(pk__in=except_assessments).values_list(
                    "pk", "version", "rag", "narrative", "status", "return_comment"
                )
            ),
            "summaries": sorted(
                OutcomeSummary.objects.exclude(outcome__in=except_summaries_of).values_list(
                    "pk", "version", "text"
                )
            ),
            "periods": sorted(ReportingPeriod.objects.values_list("pk", "state", "slug")) if periods else [],
            "acknowledgements": CheckAcknowledgement.objects.count() if periods else 0,
        }


@pytest.fixture
def world(officer, lead_director, programme_office, commissioner, democratic_services):
    return World(
        officer=officer,
        director=lead_director,
        programme=programme_office,
        commissioner=commissioner,
        democratic=democratic_services,
    )


# --------------------------------------------------------------------------- sign-in


@pytest.fixture
def sign_in_page(settings, make_user):
    """Throttling on, as in production (it stores what it is sent), and one real account."""
    settings.AXES_ENABLED = True  # once: each assignment to `settings` stacks another override
    return make_user(Role.OFFICER, username="officer")


@HOSTILE
@given(
    data=fields(
        username=["officer", "nobody"], password=["wrong", "correct horse battery staple"], next=["/"]
    )
)
def test_sign_in_form_survives_anything(sign_in_page, data):
    with undone():
        response = Client().post(reverse("login"), data)
    assert_fine(response, data)
    assert response.status_code in (200, 302, 400, 403, 429)


# --------------------------------------------------------------------------- the officer's update page


UPDATE_TARGETS = ["1a", "1b", "2a", "2b", "last 1a", "last 2a", "missing"]


def _assessment_pk(world: World, target) -> int:
    if isinstance(target, int):
        return target
    if target == "missing":
        return 10**9
    if target.startswith("last "):
        return world.last_assessments[target.removeprefix("last ")]
    return world.cycle.assessments[target].pk


@HOSTILE
@given(
    target=st.one_of(st.sampled_from(UPDATE_TARGETS), PK),
    data=fields(
        rag=["R", "A", "G", ""],
        narrative=["Progress this quarter."],
        carried_forward=["on", ""],
        reason=["Corrected."],
        version=["1", "2", "3"],
        action=["save_draft", "submit"],
    ),
)
@example(target=1, data={"rag": "R", "action": "x" * 1_048_576, "version": "é" * 1_048_576})
def test_update_page_save_and_submit_survive_anything(world, target, data):
    pk = _assessment_pk(world, target)
    own = [world.cycle.assessments["1a"].pk, world.cycle.assessments["1b"].pk]
    with undone():
        before = world.snapshot(except_assessments=own)
        response = world.client("officer").post(reverse("outcomes:assessment_edit", args=[pk]), data)
        assert_fine(response, data)
        assert world.snapshot(except_assessments=own) == before  # no one else's update changed
        if pk not in own:
            assert response.status_code in (403, 404, 409) or refused_as_too_big(response, data)


# --------------------------------------------------------------------------- sign-off


SIGNOFF_TARGETS = ["1a", "1b", "2a", "last 1a", "missing"]


@HOSTILE
@given(target=st.one_of(st.sampled_from(SIGNOFF_TARGETS), PK), data=fields(version=["1", "2", "3"]))
def test_sign_off_approve_survives_anything(world, target, data):
    _sign_off(world, "outcomes:assessment_approve", target, data)


@HOSTILE
@given(
    target=st.one_of(st.sampled_from(SIGNOFF_TARGETS), PK),
    data=fields(comment=["Please add the Q3 figures."], version=["1", "2", "3"]),
)
def test_sign_off_return_survives_anything(world, target, data):
    _sign_off(world, "outcomes:assessment_return", target, data)


def _sign_off(world: World, url_name: str, target, data: dict) -> None:
    """Only this quarter's updates of the director's own outcome may change; others' are refused."""
    pk = _assessment_pk(world, target)
    changeable = [world.cycle.assessments["1a"].pk, world.cycle.assessments["1b"].pk]
    own_outcome = world.cycle.outcomes[1]
    with undone():
        before = world.snapshot(except_assessments=changeable, except_summaries_of=[own_outcome])
        response = world.client("director").post(reverse(url_name, args=[pk]), data)
        assert_fine(response, data)
        assert world.snapshot(except_assessments=changeable, except_summaries_of=[own_outcome]) == before
        if not Assessment.objects.filter(pk=pk, criterion__outcome=own_outcome).exists():
            assert response.status_code in (403, 404) or refused_as_too_big(response, data)


@HOSTILE
@given(
    outcome=st.one_of(st.sampled_from([1, 2]), PK),
    slug=st.one_of(st.sampled_from(["2024-25-q4", "2024-25-q3"]), SLUG_LIKE),
    data=fields(text=["Good progress on governance."], version=["1", "2"]),
)
def test_lead_director_summary_survives_anything(world, outcome, slug, data):
    outcomes = world.cycle.outcomes
    outcome_pk = outcomes[outcome].pk if outcome in outcomes else outcome
    mine = [outcomes[1]]  # the director's own outcome: its summaries are theirs to write
    with undone():
        before = world.snapshot(except_summaries_of=mine)
        response = world.client("director").post(
            reverse("outcomes:signoff_outcome", args=[slug, outcome_pk]), data
        )
        assert_fine(response, data)
        assert world.snapshot(except_summaries_of=mine) == before
        if outcome_pk != outcomes[1].pk:
            assert response.status_code in (403, 404)


# --------------------------------------------------------------------------- the programme office


@HOSTILE
@given(
    close_first=st.booleans(),
    data=fields(
        title=["Quarter to June 2025"],
        slug=["2025-26-q1", "2024-25-q4"],
        short_label=["Jun 25"],
        start=["2025-04-01", "0001-01-01", "9999-12-31"],
        end=["2025-06-30", "9999-12-31", "2025-02-30"],
        deadline=["2031-07-21", "31/07/2025", "0001-01-01"],
    ),
)
def test_period_open_survives_anything(world, close_first, data):
    with undone():
        if close_first:
            ReportingPeriod.objects.filter(pk=world.cycle.period.pk).update(state=PeriodState.CLOSED)
        before = world.snapshot()
        for name in ("start", "end", "deadline"):
            if name in data:
                data.update(date_input(name, data.pop(name)))  # the day, month and year boxes
        response = world.client("programme").post(reverse("outcomes:period_open"), data)
        assert_fine(response, data)
        if response.status_code == 302:
            assert ReportingPeriod.objects.filter(state=PeriodState.OPEN).count() == 1
        else:
            assert world.snapshot() == before  # a refused form saves nothing


@HOSTILE
@given(
    action=st.sampled_from(["period_close", "period_publish", "period_reopen"]),
    slug=st.one_of(st.sampled_from(["2024-25-q4", "2024-25-q3"]), SLUG_LIKE),
    as_who=st.sampled_from(["programme", "programme", "officer", "commissioner"]),
    data=fields(reason=["The Cabinet report was corrected."]),
)
def test_period_close_publish_and_reopen_survive_anything(world, action, slug, as_who, data):
    with undone():
        before = world.snapshot()
        response = world.client(as_who).post(reverse(f"outcomes:{action}", args=[slug]), data)
        assert_fine(response, data)
        if as_who != "programme":
            assert response.status_code in (403, 404)
            assert world.snapshot() == before


@HOSTILE
@given(
    slug=st.one_of(st.sampled_from(["2024-25-q4", "2024-25-q3"]), SLUG_LIKE),
    as_who=st.sampled_from(["programme", "programme", "programme", "director"]),
    data=fields(finding_key=["same-as-previous:1b"], reason=["Checked with the officer."]),
    use_real_key=st.booleans(),
)
def test_check_acknowledge_survives_anything(world, slug, as_who, data, use_real_key):
    if use_real_key and world.warning_keys:
        data = {**data, "finding_key": world.warning_keys[0]}
    with undone():
        before = world.snapshot()
        response = world.client(as_who).post(reverse("outcomes:check_acknowledge", args=[slug]), data)
        assert_fine(response, data)
        if as_who != "programme":
            assert response.status_code in (403, 404)
            assert world.snapshot() == before


# --------------------------------------------------------------------------- filters and pages


@HOSTILE
@given(
    as_who=st.sampled_from(["commissioner", "officer", "democratic"]),
    query=query(period=["2024-25-q3", "2024-25-q4"], outcomes=["all"]),
)
def test_dashboard_period_filter_survives_anything(world, as_who, query):
    with undone():
        response = world.client(as_who).get(reverse("reporting:dashboard"), query)
    assert_fine(response, query)


@HOSTILE
@given(
    as_who=st.sampled_from(["commissioner", "officer"]),
    query=query(
        period=["2024-25-q3", "2024-25-q4"],
        priority=["1"],
        workstream=["1"],
        direction=["A", "Z"],
        outcome=["1", "2"],
        rag=["R", "A", "G", "none"],
        movement=["up", "down", "same", "new"],
        owner=["1", "none"],
        status=["submitted", "draft"],
        export=["csv", "xlsx", "pdf"],
        page=["1", "2", "last", "0", "-1"],
    ),
)
def test_criteria_filters_and_export_survive_anything(world, as_who, query):
    with undone():
        response = world.client(as_who).get(reverse("reporting:criteria"), query)
        asked = world.client(as_who).post(
            reverse("reporting:criteria_export", args=["csv"]) + f"?{urlencode(query, doseq=True)}"
        )
    assert_fine(response, query)
    assert_fine(asked, query)


@HOSTILE
@given(
    slug=st.one_of(st.sampled_from(["2024-25-q3", "2024-25-q4"]), SLUG_LIKE, QUERY_SCALAR.map(path_part)),
    fmt=st.one_of(
        st.sampled_from(["xlsx", "json", "html", "page", "PDF", "csv"]),
        SLUG_LIKE,
        QUERY_SCALAR.map(path_part),
    ),
    as_who=st.sampled_from(["democratic", "officer"]),
)
def test_report_download_format_survives_anything(world, slug, fmt, as_who):
    # The PDF itself is not in the mix: 1,000 renders would take minutes; test_pdf_* below cover it.
    with undone():
        response = world.client(as_who).get(f"/reports/{slug}/download.{fmt}")
        assert_fine(response)
        page = world.client(as_who).get(f"/reports/{slug}/")
        assert_fine(page)


@HOSTILE
@given(
    target=st.one_of(st.sampled_from(["1a", "2a", "missing"]), PK),
    as_who=st.sampled_from(["officer", "commissioner", "director"]),
    query=query(period=["2024-25-q3"]),
)
def test_history_page_survives_anything(world, target, as_who, query):
    criteria = world.cycle.criteria
    pk = criteria[target].pk if target in criteria else (10**9 if target == "missing" else target)
    with undone():
        response = world.client(as_who).get(reverse("outcomes:criterion_history", args=[pk]), query)
    assert_fine(response, query)


# --------------------------------------------------------------------------- what is shown and written


# What a form lets through (anything but NUL, which forms refuse and PostgreSQL cannot store),
# stored and then shown in every page and format that reads it. Control characters are the
# classic trap: XML, and so the Excel formats, cannot hold most of them.
STORED_TEXT = st.one_of(
    st.sampled_from([value for value in CORPUS if "\x00" not in value]),
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=200),
    st.text(st.characters(max_codepoint=0x20, blacklist_characters="\x00"), min_size=1, max_size=20),
)


@hypothesis_settings(
    max_examples=max(1, EXAMPLES // 20),  # eleven pages and two workbooks per example
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(narrative=STORED_TEXT, summary=STORED_TEXT, comment=STORED_TEXT)
def test_any_text_a_form_accepts_is_shown_and_exported_without_error(world, narrative, summary, comment):
    """Every page and file (except the PDF, covered below) that shows a narrative, summary or comment."""
    cycle = world.cycle
    period = cycle.period.slug
    criterion = cycle.criteria["1a"].pk
    with undone():
        Assessment.objects.filter(pk=cycle.assessments["1a"].pk).update(
            narrative=narrative, return_comment=comment, status=AssessmentStatus.RETURNED
        )
        OutcomeSummary.objects.filter(period=cycle.period, outcome=cycle.outcomes[1]).update(text=summary)
        pages = [
            ("democratic", reverse("reporting:report", args=[period])),
            ("commissioner", reverse("reporting:criteria") + f"?period={period}"),
            ("commissioner", reverse("reporting:dashboard") + f"?period={period}"),
            ("commissioner", reverse("outcomes:criterion_history", args=[criterion])),
            ("officer", reverse("outcomes:assessment_edit", args=[cycle.assessments["1a"].pk])),
            ("officer", reverse("outcomes:my_updates")),
            ("director", reverse("outcomes:signoff_outcome", args=[period, cycle.outcomes[1].pk])),
        ]
        for who, url in pages:
            response = world.client(who).get(url)
            assert response.status_code == 200, (url, response.status_code)
        for fmt in ("xlsx", "json"):
            response = file_of(world.client("democratic"), period, fmt)
            assert response.status_code == 200, (fmt, response.status_code)
        for fmt in ("xlsx", "csv"):
            response = criteria_file_of(world.client("commissioner"), fmt, {"period": period})
            assert response.status_code == 200, (fmt, response.status_code)


SCRIPT_NARRATIVE = '<script>alert("x")</script> & <b>bold</b>'


@pytest.fixture
def marked_up(world):
    """1a's narrative is markup: published last quarter, and saved by its officer this quarter."""
    cycle = world.cycle
    Assessment.objects.filter(pk=world.last_assessments["1a"]).update(narrative=SCRIPT_NARRATIVE)
    response = world.client("officer").post(
        reverse("outcomes:assessment_edit", args=[cycle.assessments["1a"].pk]),
        {
            "rag": "A",
            "narrative": SCRIPT_NARRATIVE,
            "version": "2",
            "action": "submit",
            "reason": "<i>why</i>",
        },
    )
    assert response.status_code == 302
    return world


def _escaped(body: str) -> None:
    assert "<script>alert(" not in body
    assert "<b>bold</b>" not in body
    assert "&lt;script&gt;alert(" in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body


def test_markup_in_a_narrative_is_escaped_in_the_html_report(marked_up):
    for slug in marked_up.slugs:
        response = marked_up.client("democratic").get(reverse("reporting:report", args=[slug]))
        assert response.status_code == 200
        _escaped(response.content.decode())


def test_markup_in_a_narrative_is_escaped_on_the_update_page_and_in_its_history(marked_up):
    cycle = marked_up.cycle
    update = marked_up.client("officer").get(
        reverse("outcomes:assessment_edit", args=[cycle.assessments["1a"].pk])
    )
    assert update.status_code == 200
    _escaped(update.content.decode())
    history = marked_up.client("commissioner").get(
        reverse("outcomes:criterion_history", args=[cycle.criteria["1a"].pk])
    )
    assert history.status_code == 200
    _escaped(history.content.decode())
    assert "<i>why</i>" not in history.content.decode()


def test_markup_in_a_narrative_appears_as_literal_text_in_the_pdf(marked_up):
    from pypdf import PdfReader

    response = file_of(marked_up.client("democratic"), marked_up.cycle.last.slug, "pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.getvalue())).pages)
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", SCRIPT_NARRATIVE).replace('"', "") in flat.replace('"', "").replace(
        "“", ""
    ).replace("”", "")


FORMULA_NARRATIVES = {"1a": '=HYPERLINK("http://x","y")', "1b": "+1", "2a": "-1", "2b": "@SUM(A1)"}


@pytest.fixture
def formulas(world):
    """Last quarter's published narratives begin with = + - @, as an attacker (or a careless paste) would."""
    for reference, narrative in FORMULA_NARRATIVES.items():
        Assessment.objects.filter(pk=world.last_assessments[reference]).update(narrative=narrative)
    return world


def _cells_holding(workbook_bytes: bytes, texts) -> dict[str, list]:
    workbook = load_workbook(io.BytesIO(workbook_bytes))
    found: dict[str, list] = {text: [] for text in texts}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in found:
                    found[cell.value].append(cell)
    return found


def test_formula_like_narratives_are_text_in_the_report_workbook(formulas):
    response = file_of(formulas.client("democratic"), formulas.cycle.last.slug, "xlsx")
    assert response.status_code == 200
    found = _cells_holding(response.getvalue(), FORMULA_NARRATIVES.values())
    for text, cells in found.items():
        assert cells, f"{text!r} is missing from the workbook"
        assert all(cell.data_type == "s" for cell in cells), f"{text!r} was written as a formula"


def test_formula_like_narratives_are_text_in_the_criteria_export(formulas):
    client = formulas.client("commissioner")
    response = criteria_file_of(client, "xlsx", {"period": formulas.cycle.last.slug})
    assert response.status_code == 200
    found = _cells_holding(response.getvalue(), FORMULA_NARRATIVES.values())
    for text, cells in found.items():
        assert cells, f"{text!r} is missing from the export"
        assert all(cell.data_type == "s" for cell in cells), f"{text!r} was written as a formula"

    csv_file = criteria_file_of(client, "csv", {"period": formulas.cycle.last.slug})
    rows = list(csv.reader(io.StringIO(csv_file.getvalue().decode("utf-8-sig"))))
    cells = {cell for row in rows for cell in row}
    for text in FORMULA_NARRATIVES.values():
        assert "'" + text in cells  # a leading apostrophe: the spreadsheet shows it as text
        assert text not in cells


def test_a_long_reason_for_changing_a_submitted_update_is_kept_whole(world):
    """Found by bench/deadline_day.py: PostgreSQL refused reasons over 100 characters with a 500."""
    reason = "Corrected after the finance team confirmed the outturn. " * 30  # 1,710 characters
    response = world.client("officer").post(
        reverse("outcomes:assessment_edit", args=[world.cycle.assessments["1a"].pk]),
        {"rag": "G", "narrative": "All done.", "version": "2", "action": "submit", "reason": reason},
    )
    assert response.status_code == 302
    latest = Assessment.history.filter(id=world.cycle.assessments["1a"].pk).latest("history_id")
    assert latest.history_change_reason == reason.strip()
    assert latest.narrative == "All done."


def test_an_over_long_username_is_refused_like_a_wrong_password(settings, make_user):
    """Found on PostgreSQL: django-axes stored the 10,001-character name in a 255-character column (a 500)."""
    settings.AXES_ENABLED = True
    make_user(Role.OFFICER, username="officer")
    response = Client().post(reverse("login"), {"username": "x" * 10_001, "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_a_nul_byte_in_the_dashboards_period_is_refused_not_an_error(world):
    """Found on PostgreSQL, which cannot compare text holding a NUL byte (a 500)."""
    response = world.client("commissioner").get(reverse("reporting:dashboard"), {"period": "2024\x00-25-q3"})
    assert response.status_code == 404


def test_the_ids_of_other_officers_updates_are_refused_and_left_alone(world):
    other = world.cycle.assessments["2a"]
    response = world.client("officer").post(
        reverse("outcomes:assessment_edit", args=[other.pk]),
        {"rag": "R", "narrative": "Overwritten!", "version": "1", "action": "submit"},
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert (other.narrative, other.version) == ("", 1)


def test_a_period_opened_in_the_year_9999_still_has_working_pages(world):
    ReportingPeriod.objects.filter(pk=world.cycle.period.pk).update(state=PeriodState.CLOSED)
    client = world.client("programme")
    response = client.post(
        reverse("outcomes:period_open"),
        {
            "title": "Far future",
            "slug": "far-future",
            "short_label": "9999",
            **date_input("start", "9999-01-01"),
            **date_input("end", "9999-12-31"),
            **date_input("deadline", "9999-12-31"),
        },
    )
    assert response.status_code == 302
    for url in (
        reverse("outcomes:period_detail", args=["far-future"]),
        reverse("reporting:dashboard") + "?period=far-future",
        reverse("reporting:report", args=["far-future"]),
        reverse("outcomes:completion", args=["far-future"]),
    ):
        assert client.get(url).status_code == 200, url
