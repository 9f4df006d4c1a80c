"""Anyone on the programme can walk a plan from priorities to objectives, or themes to actions."""

import datetime as dt

import pytest

from outcomes.models import PeriodState
from plans.models import Action, LeadPerson, Theme, ThemeWorkstream
from tests.factories import (
    DirectionFactory,
    ObjectiveFactory,
    OutcomeFactory,
    PlanFactory,
    PriorityFactory,
    ReportingPeriodFactory,
    WorkstreamFactory,
)


@pytest.fixture
def plans(db):
    earlier = PlanFactory(
        slug="irp-old",
        title="Improvement and Recovery Plan",
        version_date=dt.date(2022, 12, 1),
        status="superseded",
    )
    theme = Theme.objects.create(plan=earlier, number=1, title="Financial Sustainability")
    workstream = ThemeWorkstream.objects.create(theme=theme, number=1, title="MTFS, Saving Programme")
    Action.objects.create(
        workstream=workstream,
        number=1,
        objective_ref="Direction A",
        description="Develop savings programme.",
        db_sponsor="JW",
        cabinet_sponsor="GS",
        lead_officer="JF (with Leadership Group)",
        start="01/10/22",
        start_date=dt.date(2022, 10, 1),
        due="22/02/23 for 2023/24",
        due_date=dt.date(2023, 2, 22),
        status="Medium Progress",
    )
    LeadPerson.objects.create(plan=earlier, kind="officer", initials="JW", name="Jo Wright", title="S151")

    enhanced = PlanFactory(
        slug="irp-new",
        title="Enhanced Improvement and Recovery Plan",
        version_date=dt.date(2023, 10, 1),
        supersedes=earlier,
        approval_date=dt.date(2023, 10, 25),
        approved_by="Full Council",
    )
    priority = PriorityFactory(
        plan=enhanced, number=1, title="Improving leadership", lead_member_role="Leader"
    )
    workstream = WorkstreamFactory(priority=priority, number=2, title="Building our corporate capability")
    outcome = OutcomeFactory(plan=enhanced, number=12, title="Improvement in corporate capability")
    OutcomeFactory(plan=enhanced, number=5, title="Improvement in public confidence")
    objective = ObjectiveFactory(
        workstream=workstream,
        number=3,
        text="Redesign and restructure the Council.",
        outputs="Revised corporate design.",
        assurance="Independent staff survey.",
        outcome_text="Improvements in corporate capability.",
    )
    objective.directions.add(DirectionFactory(letter="G", title="Personnel"))
    outcome.claimed_by_objectives.add(objective)
    ReportingPeriodFactory(plan=enhanced, slug="new-dec", state=PeriodState.PUBLISHED)
    return earlier, enhanced


def test_plan_list_links_every_plan_newest_first(client, plans, officer):
    client.force_login(officer)
    response = client.get("/plans/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("/plans/irp-new/") < page.index("/plans/irp-old/")
    assert "Supersedes Improvement and Recovery Plan (December 2022)" in page


def test_enhanced_plan_shows_priorities_workstreams_and_objectives_with_outputs_and_assurance(
    client, plans, commissioner
):
    client.force_login(commissioner)
    response = client.get("/plans/irp-new/")
    assert response.status_code == 200
    page = response.content.decode()
    for words in (
        "Priority 1: Improving leadership",
        "Workstream 1.2: Building our corporate capability",
        "Objective 1.2.3",
        "Redesign and restructure the Council.",
        "Revised corporate design.",
        "Independent staff survey.",
        "Full Council",
    ):
        assert words in page, words
    assert '/directions/G/">Direction G</a>' in page


def test_objectives_link_to_the_outcomes_they_claim_and_back(client, plans, commissioner):
    client.force_login(commissioner)
    response = client.get("/plans/irp-new/")
    page = response.content.decode()
    claims = {
        outcome.number: [e.reference for e in entries]
        for outcome, entries in response.context["outcome_claims"]
    }
    assert claims == {5: [], 12: ["1.2.3"]}
    outcome_pk = response.context["outcome_claims"][1][0].pk
    assert f"/criteria/?period=new-dec&amp;outcome={outcome_pk}" in page
    assert 'href="#objective-1-2-3"' in page and 'id="objective-1-2-3"' in page
    assert "No objective claims it" in page


def test_action_plan_shows_themes_actions_sponsors_leads_dates_and_status(client, plans, officer):
    client.force_login(officer)
    response = client.get("/plans/irp-old/")
    page = response.content.decode()
    for words in (
        "Theme 1: Financial Sustainability",
        "MTFS, Saving Programme",
        "Develop savings programme.",
        "JF (with Leadership Group)",
        "22/02/23 for 2023/24",
        "Medium Progress",
        "Jo Wright",
    ):
        assert words in page, words
    assert "superseded by" in page


def test_home_page_links_each_plan(client, plans, officer):
    client.force_login(officer)
    page = client.get("/").content.decode()
    assert 'href="/plans/irp-new/"' in page


def test_an_unknown_plan_is_not_found(client, plans, officer):
    client.force_login(officer)
    assert client.get("/plans/no-such-plan/").status_code == 404


def test_someone_without_a_role_is_refused(client, plans, make_user):
    client.force_login(make_user(None, username="nobody"))
    assert client.get("/plans/").status_code == 403
    assert client.get("/plans/irp-new/").status_code == 403


def test_plan_pages_are_read_only(client, plans, commissioner):
    client.force_login(commissioner)
    for url in ("/plans/", "/plans/irp-new/", "/directions/", "/directions/G/"):
        assert client.post(url, {}).status_code == 405, url
