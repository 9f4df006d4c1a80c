"""A commissioner reads a plan's ratings at every level: priority, workstream, objective, and
each cell of the Directions matrix, totalled from the criteria of the outcomes they claim."""

import re

from plans.models import Objective, Workstream
from reporting.explorer import plan_explorer
from tests import test_directions

# The Directions tests' plan: two priorities, objectives answering A, B and C, rated in December.
mapped_plan = test_directions.mapped_plan
_text = test_directions._text

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
