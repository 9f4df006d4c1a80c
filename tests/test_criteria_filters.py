"""A commissioner narrows the criteria to what matters, shares the link and downloads the rows."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.roles import Role
from outcomes.models import AssessmentStatus, PeriodState
from tests.exports import criteria_file_of
from tests.factories import (
    AssessmentFactory,
    DirectionFactory,
    ObjectiveFactory,
    OutcomeFactory,
    PlanFactory,
    PriorityFactory,
    SuccessCriterionFactory,
    UserFactory,
    WorkstreamFactory,
    quarter_period,
)

CRITERIA = "/criteria/"


@pytest.fixture
def framework(db):
    """Outcome 1 (claimed by priority 1 / Direction A) and outcome 2 (priority 2 / Direction B)."""
    plan = PlanFactory(slug="plan", title="Enhanced Plan")
    ann = UserFactory(username="ann", first_name="Ann", last_name="Archer", role=Role.OFFICER)
    bob = UserFactory(username="bob", first_name="Bob", last_name="Baker", role=Role.OFFICER)
    direction_a, direction_b = DirectionFactory(letter="A"), DirectionFactory(letter="B")
    first = WorkstreamFactory(priority=PriorityFactory(plan=plan, number=1, title="Leadership"), number=1)
    second = WorkstreamFactory(priority=PriorityFactory(plan=plan, number=2, title="Finance"), number=1)
    one = OutcomeFactory(plan=plan, number=1, title="Improvement in assurance")
    two = OutcomeFactory(plan=plan, number=2, title="Improvement in value for money")
    objective = ObjectiveFactory(workstream=first, number=1)
    objective.directions.add(direction_a)
    one.claimed_by_objectives.add(objective)
    objective = ObjectiveFactory(workstream=second, number=1)
    objective.directions.add(direction_b)
    two.claimed_by_objectives.add(objective)

    sept = quarter_period(plan, "sept", end=dt.date(2024, 9, 30), state=PeriodState.PUBLISHED)
    dec = quarter_period(plan, "dec", end=dt.date(2024, 12, 31), state=PeriodState.PUBLISHED)
    mar = quarter_period(plan, "mar", end=dt.date(2025, 3, 31), state=PeriodState.OPEN)
    rows = [
        # outcome, letter, owner, Sept, Dec, Dec status, Dec narrative
        (one, "a", ann, "A", "G", AssessmentStatus.APPROVED, '=HYPERLINK("http://evil")'),
        (one, "b", ann, "G", "A", AssessmentStatus.APPROVED, "Slipped this quarter."),
        (one, "c", bob, "R", "R", AssessmentStatus.SUBMITTED, "+still red"),
        (two, "a", bob, "A", "A", AssessmentStatus.APPROVED, "@SUM(A1:A2)"),
        (two, "b", None, "R", "A", AssessmentStatus.APPROVED, "- better"),
    ]
    for outcome, letter, owner, sept_rag, dec_rag, status, narrative in rows:
        criterion = SuccessCriterionFactory(
            outcome=outcome, letter=letter, owner=owner, text=f"Criterion {outcome.number}{letter} text."
        )
        AssessmentFactory(period=sept, criterion=criterion, rag=sept_rag, status=AssessmentStatus.APPROVED)
        AssessmentFactory(period=dec, criterion=criterion, rag=dec_rag, status=status, narrative=narrative)
        AssessmentFactory(period=mar, criterion=criterion, rag="", status=AssessmentStatus.NOT_STARTED)
    return {"plan": plan, "ann": ann, "bob": bob, "one": one, "two": two, "first": first, "second": second}


def _refs(response) -> list[str]:
    return [row.reference for row in response.context["rows"]]


def _get(client, user, **params):
    client.force_login(user)
    return client.get(CRITERIA, params)


def _file(client, user, fmt, **filters):
    """The file of the filtered list, asked for and prepared by the worker as for a person."""
    client.force_login(user)
    return criteria_file_of(client, fmt, filters)


def test_the_list_defaults_to_the_latest_published_period(client, framework, commissioner):
    response = _get(client, commissioner)
    assert response.status_code == 200
    assert response.context["filterset"].period.slug == "dec"
    assert _refs(response) == ["1a", "1b", "1c", "2a", "2b"]
    assert "Success criteria: Quarter to December 2024" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"rag": "A"}, ["1b", "2a", "2b"]),
        ({"rag": "none"}, []),
        ({"movement": "up"}, ["1a", "2b"]),
        ({"movement": "down"}, ["1b"]),
        ({"movement": "same"}, ["1c", "2a"]),
        ({"status": "submitted"}, ["1c"]),
        ({"outcome": "two"}, ["2a", "2b"]),
        ({"owner": "ann"}, ["1a", "1b"]),
        ({"owner": "none"}, ["2b"]),
        ({"priority": "first"}, ["1a", "1b", "1c"]),
        ({"workstream": "second"}, ["2a", "2b"]),
        ({"direction": "B"}, ["2a", "2b"]),
        ({"period": "sept"}, ["1a", "1b", "1c", "2a", "2b"]),
    ],
)
def test_each_filter_narrows_the_list(client, framework, commissioner, params, expected):
    ids = {
        "two": framework["two"].pk,
        "ann": framework["ann"].pk,
        "first": framework["first"].priority_id,
        "second": framework["second"].pk,
    }
    params = {key: str(ids.get(value, value)) for key, value in params.items()}
    response = _get(client, commissioner, **params)
    assert response.status_code == 200, response.context["filterset"].errors
    assert _refs(response) == expected


def test_filters_that_match_nothing_say_so_and_offer_no_empty_download(client, framework, commissioner):
    # Every criterion of December was rated, so "not rated" matches none of them.
    response = _get(client, commissioner, rag="none")

    page = response.content.decode()
    assert response.status_code == 200 and _refs(response) == []
    assert "0 success criteria" in page
    assert "No success criterion matches these filters." in page
    assert "Download these" not in page and "file of the filtered criteria" not in page


def test_the_filters_offer_a_renamed_outcome_and_a_new_owner_at_once(client, framework, commissioner):
    # The choices are kept between requests: a change to the plan must show on the next page.
    page = _get(client, commissioner).content.decode()
    assert "2. Improvement in value for money" in page and "Cara Cole" not in page
    framework["two"].title = "Value for money restored"
    framework["two"].save()
    criterion = framework["two"].criteria.get(letter="b")
    criterion.owner = UserFactory(username="cara", first_name="Cara", last_name="Cole", role=Role.OFFICER)
    criterion.save()

    page = _get(client, commissioner).content.decode()

    assert "2. Value for money restored" in page and "Improvement in value for money" not in page
    assert "Cara Cole" in page


def test_filters_combine(client, framework, commissioner):
    response = _get(client, commissioner, rag="A", owner=framework["bob"].pk, movement="same")
    assert _refs(response) == ["2a"]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert "rating this period is Amber" in text and "owner is Bob Baker" in text
    assert "direction of travel is Unchanged" in text


def test_filters_are_kept_in_the_address_and_the_form(client, framework, commissioner):
    response = _get(client, commissioner, rag="A", movement="up")
    page = response.content.decode()
    assert '<option value="A" selected>Amber</option>' in page
    assert '<option value="up" selected>Improved</option>' in page
    assert (
        f'href="{reverse("reporting:criteria_export", args=["csv"])}?movement=up&amp;period=dec&amp;rag=A"'
        in page
    )
    assert (
        f'href="{reverse("reporting:criteria_export", args=["xlsx"])}?movement=up&amp;period=dec&amp;rag=A"'
        in page
    )
    assert 'method="get"' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rag": "X"}, "Select a rating from the list"),
        ({"movement": "sideways"}, "Select a direction of travel from the list"),
        ({"outcome": "not-a-number"}, "Select an outcome from the list"),
        ({"owner": "99999"}, "Select an owner from the list"),
        ({"period": "no-such-period"}, "Select a period you may see from the list"),
        ({"direction": "Z"}, "Select a Direction from the list"),
        ({"status": "lost"}, "Select a status from the list"),
        ({"export": "pdf"}, "Choose CSV or Excel for the download"),
    ],
)
def test_invalid_values_give_a_form_error_not_a_crash(client, framework, commissioner, params, message):
    response = _get(client, commissioner, **params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert message in page
    assert "<title>Error:" in page


def test_an_officer_may_not_choose_the_open_period(client, framework, officer):
    response = _get(client, officer, period="mar")
    assert response.status_code == 400
    assert "Select a period you may see from the list" in response.content.decode()
    assert "Quarter to March 2025" not in response.content.decode()


def test_a_commissioner_may_list_the_open_period_as_a_draft(client, framework, commissioner):
    response = _get(client, commissioner, period="mar", status="not_started")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 5
    assert "app-draft-banner__label" in response.content.decode()


def test_the_kept_list_shows_a_rating_saved_since_at_the_next_read(client, framework, commissioner):
    # The list is kept per period and query until the data it reads moves on.
    before = _get(client, commissioner, period="mar", rag="R")
    assert "1a" not in _refs(before)
    assessment = framework["one"].criteria.get(letter="a").assessments.get(period__slug="mar")
    assessment.rag = "R"
    assessment.save()

    after = _get(client, commissioner, period="mar", rag="R")

    assert "1a" in _refs(after)


def test_a_list_kept_for_a_commissioner_does_not_offer_an_officer_the_draft(
    client, framework, commissioner, officer
):
    # Same address, different readers: each role's own periods are offered in the menu.
    assert "Quarter to March 2025" in _get(client, commissioner).content.decode()

    page = _get(client, officer).content.decode()

    assert "Quarter to March 2025" not in page


def test_csv_export_has_the_filtered_rows_with_formulas_made_harmless(client, framework, commissioner):
    response = _file(client, commissioner, "csv", owner=framework["ann"].pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="criteria-dec.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:3] == ["Period", "Reference", "Outcome"]
    assert [row[1] for row in rows[1:]] == ["1a", "1b"]
    assert rows[1][-1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][7] == "Improved"


def test_csv_escapes_every_formula_prefix(client, framework, commissioner):
    response = _file(client, commissioner, "csv")
    narratives = [row[-1] for row in csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")))][1:]
    assert narratives == [
        '\'=HYPERLINK("http://evil")',
        "Slipped this quarter.",
        "'+still red",
        "'@SUM(A1:A2)",
        "'- better",
    ]


def test_excel_export_writes_formulas_as_text(client, framework, commissioner):
    response = _file(client, commissioner, "xlsx", movement="up")
    assert response.status_code == 200
    assert 'filename="criteria-dec.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Reference"
    assert [row[1] for row in rows[1:]] == ["1a", "2b"]
    narrative = sheet.cell(row=2, column=11)
    assert narrative.value == '=HYPERLINK("http://evil")'
    assert narrative.data_type == "s"  # text, not a formula
    assert sheet.cell(row=2, column=7).value == "Green"


def test_a_long_list_is_paged_and_the_pages_keep_the_filters(client, commissioner):
    from outcomes.scale import build_synthetic_plan

    build_synthetic_plan(factor=2, periods=2, open_last_period=False)  # 122 criteria
    response = _get(client, commissioner, status="approved")
    assert response.context["page"].paginator.count == 122
    assert len(response.context["rows"]) == 50
    page = response.content.decode()
    assert 'href="?status=approved&amp;page=2"' in page
    assert 'href="?status=approved&amp;page=3"' in page
    response = _get(client, commissioner, status="approved", page="3")
    assert len(response.context["rows"]) == 22
    assert _get(client, commissioner, page="not-a-page").status_code == 200


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    assert client.get(CRITERIA).status_code == 302


def test_someone_without_a_role_is_refused(client, framework, make_user):
    assert _get(client, make_user(None, username="nobody")).status_code == 403


def test_before_any_period_is_published_the_list_says_so(client, db, officer):
    response = _get(client, officer)
    assert response.status_code == 200
    assert "There is no reporting period you can see yet." in response.content.decode()


FILTER_NAMES = [
    "period",
    "priority",
    "workstream",
    "direction",
    "outcome",
    "rag",
    "movement",
    "owner",
    "status",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from([*FILTER_NAMES, "page", "export"]),
        st.text(
            alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=12
        ),
        max_size=5,
    )
)
def test_no_combination_of_values_breaks_the_list(client, framework, commissioner, params):
    response = _get(client, commissioner, **params)
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:  # a file asked for by an old ?export= address: its own page
        assert params.get("export") in ("csv", "xlsx")
        assert response["Location"].startswith(
            reverse("reporting:criteria_download", args=[params["export"]])
        )
        return
    page = response.content.decode("utf-8", errors="replace")
    if response.status_code == 400:
        assert "There is a problem" in page


# --------------------------------------------------------------------------- search, sort, read in place


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("SLIPPED", ["1b"]),  # the assessment's words, in any case
        ("criterion 2", ["2a", "2b"]),  # every word must appear, in the text or the assessment
        ("criterion 1C", ["1c"]),
        ("  still   red  ", ["1c"]),
        ("nothing like this", []),
    ],
)
def test_a_commissioner_searches_criteria_and_assessments_by_keyword(
    client, framework, commissioner, words, expected
):
    response = _get(client, commissioner, q=words)
    assert response.status_code == 200
    assert _refs(response) == expected


def test_search_combines_with_filters_and_is_named_above_the_list(client, framework, commissioner):
    response = _get(client, commissioner, q="criterion", owner=framework["ann"].pk)
    assert _refs(response) == ["1a", "1b"]
    assert "search is <strong>“criterion”</strong>" in response.content.decode()


def test_an_overlong_search_is_refused_with_a_message(client, framework, commissioner):
    response = _get(client, commissioner, q="x" * 201)
    assert response.status_code == 400
    assert "Search for 200 characters or fewer" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("rag", ["1c", "1b", "2a", "2b", "1a"]),  # red first
        ("-rag", ["1a", "1b", "2a", "2b", "1c"]),
        ("movement", ["1b", "1c", "2a", "1a", "2b"]),  # declined first
        ("owner", ["1a", "1b", "1c", "2a", "2b"]),  # Ann, Bob, then no owner
        ("-owner", ["1c", "2a", "1a", "1b", "2b"]),  # no owner stays last
        ("-outcome", ["2a", "2b", "1a", "1b", "1c"]),
        ("-ref", ["2b", "2a", "1c", "1b", "1a"]),
        ("ref", ["1a", "1b", "1c", "2a", "2b"]),
        ("nonsense", ["1a", "1b", "1c", "2a", "2b"]),  # unknown: the usual order, no error
        ("-", ["1a", "1b", "1c", "2a", "2b"]),
    ],
)
def test_the_list_sorts_by_a_column(client, framework, commissioner, sort, expected):
    response = _get(client, commissioner, sort=sort)
    assert response.status_code == 200
    assert _refs(response) == expected


def test_sorted_headers_say_so_and_their_links_reverse_the_order_keeping_filters(
    client, framework, commissioner
):
    response = _get(client, commissioner, sort="rag", owner=framework["bob"].pk)
    page = response.content.decode()
    assert _refs(response) == ["1c", "2a"]
    rag_header = re.search(
        r'<th scope="col" class="govuk-table__header" aria-sort="ascending">(.*?)</th>', page
    )
    assert rag_header and "Dec 24" in rag_header.group(1)
    assert f"owner={framework['bob'].pk}" in rag_header.group(1) and "sort=-rag" in rag_header.group(1)
    assert page.count('aria-sort="none"') == 4
    # The filter form keeps the order when the filters change.
    assert '<input type="hidden" name="sort" value="rag">' in page
    reversed_page = _get(client, commissioner, sort="-rag").content.decode()
    assert 'aria-sort="descending"' in reversed_page


def test_unsorted_list_says_it_is_in_reference_order(client, framework, commissioner):
    page = _get(client, commissioner, sort="nonsense").content.decode()
    assert re.search(
        r'aria-sort="ascending"><a class="govuk-link" href="\?[^"]*sort=-ref[^"]*">'
        r'Ref <span aria-hidden="true">▲</span><',
        page,
    )
    assert 'name="sort"' not in page


def test_each_assessment_can_be_read_in_place(client, framework, commissioner):
    page = _get(client, commissioner, q="slipped").content.decode()
    assert re.search(
        r'<details class="govuk-details[^"]*">\s*<summary class="govuk-details__summary">'
        r'<span class="govuk-details__summary-text">Show assessment'
        r'<span class="govuk-visually-hidden"> of 1b</span>',
        page,
    )
    assert "Slipped this quarter." in page
    march = _get(client, commissioner, period="mar").content.decode()
    assert "Show assessment" not in march and "No assessment written yet." in march


def test_the_download_keeps_the_search_and_the_order(client, framework, commissioner):
    response = _file(client, commissioner, "csv", q="criterion", sort="rag")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))[1:]
    assert [row[1] for row in rows] == ["1c", "1b", "2a", "2b", "1a"]
    response = _file(client, commissioner, "csv", q="slipped")
    assert [row[1] for row in csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")))][1:] == ["1b"]


def test_a_search_holding_a_nul_byte_is_refused_with_a_message(client, framework, commissioner):
    response = _get(client, commissioner, q="risk\x00")
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()
