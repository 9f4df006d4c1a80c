"""A commissioner checks that every Direction is answered, and by what, down to the ratings."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from outcomes.models import AssessmentStatus, PeriodState
from plans.models import Direction, Objective, Workstream
from reporting.explorer import plan_explorer
from tests.factories import (
    AssessmentFactory,
    DirectionFactory,
    ObjectiveFactory,
    OutcomeFactory,
    PlanFactory,
    PriorityFactory,
    SuccessCriterionFactory,
    WorkstreamFactory,
    quarter_period,
)

MATRIX = "/directions/"


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def mapped_plan(db):
    """Directions A–J; a plan whose objectives answer A, B and C only."""
    from plans.models import Action, Theme, ThemeWorkstream

    directions = {letter: DirectionFactory(letter=letter, title=f"Title {letter}") for letter in "ABCDEFGHIJ"}
    Direction.objects.filter(letter="A").update(wording="An action plan to achieve financial sustainability.")
    plan = PlanFactory(slug="enhanced", title="Enhanced Plan", version_date=dt.date(2023, 10, 1))
    leadership = PriorityFactory(plan=plan, number=1, title="Leadership")
    finance = PriorityFactory(plan=plan, number=2, title="Finance")
    purpose = WorkstreamFactory(priority=leadership, number=1, title="Purpose")
    money = WorkstreamFactory(priority=finance, number=1, title="Money")
    one = OutcomeFactory(plan=plan, number=1, title="Improvement in assurance")
    two = OutcomeFactory(plan=plan, number=2, title="Improvement in value for money")
    objective_a = ObjectiveFactory(
        workstream=money, number=1, text="Balance the budget.", outputs="A budget."
    )
    objective_a.directions.add(directions["A"], directions["C"])
    two.claimed_by_objectives.add(objective_a)
    objective_b = ObjectiveFactory(workstream=purpose, number=1, text="Agree a purpose.", assurance="Survey.")
    objective_b.directions.add(directions["B"])
    one.claimed_by_objectives.add(objective_b)
    two.claimed_by_objectives.add(objective_b)

    published = quarter_period(plan, "p-dec", end=dt.date(2024, 12, 31), state=PeriodState.PUBLISHED)
    draft = quarter_period(plan, "p-mar", end=dt.date(2025, 3, 31), state=PeriodState.OPEN)
    for outcome, letter, rag in ((one, "a", "R"), (one, "b", "G"), (two, "a", "A"), (two, "b", "A")):
        criterion = SuccessCriterionFactory(outcome=outcome, letter=letter)
        AssessmentFactory(period=published, criterion=criterion, rag=rag, status=AssessmentStatus.APPROVED)
        AssessmentFactory(period=draft, criterion=criterion, rag="G", status=AssessmentStatus.DRAFT)

    earlier = PlanFactory(
        slug="action-plan",
        title="Improvement and Recovery Plan",
        version_date=dt.date(2022, 12, 1),
        status="superseded",
    )
    theme = Theme.objects.create(plan=earlier, number=1, title="Financial Sustainability")
    workstream = ThemeWorkstream.objects.create(theme=theme, number=1, title="Capital and Treasury group")
    Action.objects.create(
        workstream=workstream,
        number=1,
        objective_ref="Direction B",
        description="Produce a compliant Treasury Management Strategy.",
        lead_officer="KR",
        status="On Track",
    )
    Action.objects.create(
        workstream=workstream,
        number=2,
        objective_ref="STRAT01",
        description="Not about a Direction.",
    )
    return plan


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(MATRIX)
    assert response.status_code == 302


def test_someone_without_a_role_is_refused(client, mapped_plan, make_user):
    client.force_login(make_user(None, username="nobody"))
    assert client.get(MATRIX).status_code == 403
    assert client.get("/directions/A/").status_code == 403


def test_matrix_shows_which_objectives_answer_each_direction(client, mapped_plan, commissioner):
    client.force_login(commissioner)
    response = client.get(MATRIX)
    assert response.status_code == 200
    rows = {row.direction.letter: row for row in response.context["matrix"].rows}
    assert [e.reference for e in rows["A"].objectives] == ["2.1.1"]
    assert [e.reference for e in rows["B"].objectives] == ["1.1.1"]
    assert [o.number for o in rows["B"].outcomes] == [1, 2]
    # The matrix: a row per workstream (grouped by priority), a column per Direction.
    grid = {
        f"{priority.number}.{workstream.number}": [[e.reference for e in cell] for cell, _ in cells]
        for priority, rows in response.context["matrix"].grid
        for workstream, cells in rows
    }
    assert grid["2.1"][0] == ["2.1.1"]  # Money answers A
    assert grid["2.1"][2] == ["2.1.1"]  # and C
    assert grid["1.1"][1] == ["1.1.1"]  # Purpose answers B
    assert grid["1.1"][0] == [] and grid["2.1"][9] == []
    page = response.content.decode()
    assert 'scope="rowgroup"' in page and "Priority 1: Leadership" in page and "1.1 Purpose" in page
    assert '#objective-2-1-1">2.1.1<span class="govuk-visually-hidden"> objective</span></a>' in page


def test_matrix_shows_the_published_ratings_of_the_claimed_outcomes_criteria(
    client, mapped_plan, commissioner
):
    client.force_login(commissioner)
    response = client.get(MATRIX)
    rows = {row.direction.letter: row for row in response.context["matrix"].rows}
    # B claims outcomes 1 and 2: R, G, A, A in December (the open March period is not used).
    assert (rows["B"].counts.red, rows["B"].counts.amber, rows["B"].counts.green) == (1, 2, 1)
    assert (rows["A"].counts.red, rows["A"].counts.amber, rows["A"].counts.green) == (0, 2, 0)
    assert "Criteria ratings, Dec 24" in _text(response.content.decode())


def test_a_direction_that_nothing_answers_is_flagged(client, mapped_plan, commissioner):
    client.force_login(commissioner)
    response = client.get(MATRIX)
    unanswered = [d.letter for d in response.context["matrix"].unanswered]
    assert unanswered == list("DEFGHIJ")
    text = _text(response.content.decode())
    assert "7 Directions not answered by any objective of this plan" in text
    assert "Not answered" in text


def test_direction_page_shows_its_wording_and_everything_that_answers_it(client, mapped_plan, commissioner):
    client.force_login(commissioner)
    response = client.get(reverse("plans:direction_detail", args=["A"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "An action plan to achieve financial sustainability." in page
    assert "Objective 2.1.1" in page and "Balance the budget." in page and "A budget." in page
    assert "2. Improvement in value for money" in page
    assert "direction=A" in page  # drill-down to the criteria list
    assert "No objective of" not in page


def test_direction_page_lists_actions_of_the_earlier_action_plan_that_name_it(
    client, mapped_plan, commissioner
):
    client.force_login(commissioner)
    page = client.get("/directions/B/").content.decode()
    assert "Produce a compliant Treasury Management Strategy." in page
    assert "Not about a Direction." not in page


def test_direction_page_warns_when_nothing_answers_it(client, mapped_plan, commissioner):
    client.force_login(commissioner)
    page = client.get("/directions/J/").content.decode()
    assert "No objective of Enhanced Plan answers this Direction." in page


def test_an_unknown_direction_is_not_found(client, mapped_plan, commissioner):
    client.force_login(commissioner)
    assert client.get("/directions/Z/").status_code == 404
    assert client.get("/directions/?plan=no-such-plan").status_code == 404


def test_every_role_may_read_the_directions(client, mapped_plan, make_user):
    from accounts.roles import Role

    for role in Role.values:
        client.force_login(make_user(role, username=f"d-{role}"))
        assert client.get(MATRIX).status_code == 200, role


# --------------------------------------------------------------------------- Thurrock


def test_every_direction_is_answered_by_the_enhanced_plan(client, thurrock, commissioner):
    client.force_login(commissioner)
    response = client.get(MATRIX)
    matrix = response.context["matrix"]
    assert matrix.plan.slug == "irp-2023-10"
    assert [row.direction.letter for row in matrix.rows] == list("ABCDEFGHIJ")
    for row in matrix.rows:
        assert row.is_answered, f"Direction {row.direction.letter} is not answered"
    assert matrix.unanswered == []
    assert "not answered by any objective" not in response.content.decode()


def test_removing_a_directions_mapping_flags_it(client, thurrock, commissioner):
    Objective.directions.through.objects.filter(direction__letter="J").delete()
    client.force_login(commissioner)
    response = client.get(MATRIX)
    assert [d.letter for d in response.context["matrix"].unanswered] == ["J"]
    assert "1 Direction not answered by any objective of this plan" in _text(response.content.decode())
    page = client.get("/directions/J/").content.decode()
    assert "answers this Direction." in page and "No objective of" in page


# --------------------------------------------------------------------------- ratings totals
# A commissioner reads a plan's ratings at every level: priority, workstream, objective, and
# each cell of the matrix, totalled from the criteria of the outcomes they claim.

PLAN = "/plans/enhanced/"


def _counts(counts) -> tuple[int, int, int]:
    return (counts.red, counts.amber, counts.green)


def test_each_priority_workstream_and_objective_totals_its_claimed_outcomes_ratings(
    client, mapped_plan, commissioner
):
    client.force_login(commissioner)
    response = client.get(PLAN)
    explorer = response.context["explorer"]
    leadership, finance = explorer.priorities
    # Objective 1.1.1 claims outcomes 1 (R, G) and 2 (A, A) in December, the latest published.
    assert _counts(leadership.counts) == (1, 2, 1)
    assert _counts(leadership.workstreams[0].counts) == (1, 2, 1)
    assert _counts(leadership.workstreams[0].objectives[0].counts) == (1, 2, 1)
    assert _counts(finance.counts) == (0, 2, 0)
    text = _text(response.content.decode()).replace("&nbsp;", "")
    assert "Ratings are those in Quarter to December 2024" in text
    assert "Ratings, Dec 24 R Red 1 A Amber 2 G Green 1" in text


def test_an_outcome_claimed_twice_is_counted_once_in_its_workstream(mapped_plan):
    purpose = Workstream.objects.get(priority__plan=mapped_plan, title="Purpose")
    second = Objective.objects.create(workstream=purpose, number=2, text="Publish the purpose.")
    mapped_plan.outcomes.get(number=2).claimed_by_objectives.add(second)
    section = plan_explorer(plan=mapped_plan).priorities[0]
    assert _counts(section.workstreams[0].objectives[1].counts) == (0, 2, 0)
    assert _counts(section.workstreams[0].counts) == (1, 2, 1)  # not (1, 4, 1)
    assert _counts(section.counts) == (1, 2, 1)


def test_contents_link_to_every_priority_and_priorities_and_workstreams_fold(
    client, mapped_plan, commissioner
):
    client.force_login(commissioner)
    page = client.get(PLAN).content.decode()
    contents = page[
        page.index('id="contents-title"') : page.index("</nav>", page.index('id="contents-title"'))
    ]
    assert '<a class="govuk-link" href="#priority-1">Priority 1: Leadership</a>' in contents
    assert '<a class="govuk-link" href="#priority-2">Priority 2: Finance</a>' in contents
    assert 'id="priority-1"' in page and 'id="priority-2"' in page
    summaries = re.findall(r'<span class="govuk-details__summary-text">([^<]+)</span>', page)
    assert "Priority 1's 1 workstream" in summaries
    assert "Workstream 1.1's 1 objective" in summaries
    # The headings stay outside the folds, so a link from the contents always lands on one.
    assert page.index('id="priority-1"') < page.index("Priority 1's 1 workstream")


def test_the_directions_matrix_gives_each_cell_its_rating_mix_in_words_and_tags(
    client, mapped_plan, commissioner
):
    client.force_login(commissioner)
    response = client.get("/directions/")
    grid = {
        f"{priority.number}.{workstream.number}": cells
        for priority, rows in response.context["matrix"].grid
        for workstream, cells in rows
    }
    purpose_b_cell, purpose_b_counts = grid["1.1"][1]
    assert [e.reference for e in purpose_b_cell] == ["1.1.1"]
    assert [(style.label, n) for style, n in purpose_b_counts.mix()] == [
        ("Red", 1),
        ("Amber", 2),
        ("Green", 1),
    ]
    assert [(style.label, n) for style, n in grid["2.1"][0][1].mix()] == [("Amber", 2)]
    page = response.content.decode()
    matrix = page[page.index('id="direction-matrix"') :]
    assert "1.1.1 objective 1 Red , 2 Amber , 1 Green" in _text(matrix).replace("&nbsp;", " ")
    assert (
        '<strong class="govuk-tag app-rag app-rag--amber govuk-!-font-size-14">2&nbsp;Amber</strong>'
        in matrix
    )


def test_assurance_approaches_read_as_lists(client, mapped_plan, commissioner):
    from plans.models import AssuranceApproach

    AssuranceApproach.objects.create(
        plan=mapped_plan,
        number=1,
        approach="Independent Staff Survey",
        workstreams_covered="Improving leadership\n\n- Leading with purpose\n\n- Building capability",
        focus="Assuring and testing:\n\n1. whether roles are clear.\n\n2. whether collaboration improves.",
        outcomes_tested_text="- Outcome 1\n- Outcome 2",
    )
    client.force_login(commissioner)
    page = client.get(PLAN).content.decode()
    section = page[page.index('id="assurance"') :]
    assert '<h3 class="govuk-heading-m">Independent Staff Survey</h3>' in section
    bullets = '<ul class="govuk-list govuk-list--bullet">'
    assert f"{bullets}<li>Leading with purpose</li><li>Building capability</li></ul>" in section
    assert f"{bullets}<li>Outcome 1</li><li>Outcome 2</li></ul>" in section
    assert "<p>1. whether roles are clear.</p>" in section
    assert '<a class="govuk-link" href="#assurance">How improvement is assured</a>' in page
