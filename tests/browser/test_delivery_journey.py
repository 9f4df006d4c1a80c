"""Delivery in a real browser: an owner marks a milestone at risk with a note; a board member opens
their board's exception report and finds it. axe checks every page on the way, at full width and
reflowed to 320 CSS pixels."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Milestone
from tests.browser.helpers import check_page, page_text, sign_in
from tests.delivery_world import DeliveryWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Cabinet moved the savings decision to July."


@pytest.fixture
def world(make_user) -> DeliveryWorld:
    from accounts.roles import Role

    return DeliveryWorld(
        officer=make_user(Role.OFFICER, username="officer"),
        programme_office=make_user(Role.PROGRAMME_OFFICE, username="programme"),
        commissioner=make_user(Role.COMMISSIONER, username="commissioner"),
        democratic_services=make_user(Role.DEMOCRATIC_SERVICES, username="democratic"),
    )


def test_an_owner_flags_a_milestone_at_risk_and_the_board_member_finds_it(browser_session, world):
    journey = "delivery"
    officer = browser_session.open("officer")
    sign_in(officer, username="officer")
    officer.goto(reverse("outcomes:my_updates"))
    assert "Delivery: milestones you own" in page_text(officer)
    check_page(officer, journey=journey, step="my-updates")
    officer.get_by_role("link", name="Update milestone M1").click()
    officer.wait_for_load_state()
    check_page(officer, journey=journey, step="milestone")
    officer.get_by_label("At risk").check()
    officer.get_by_label("Progress note").fill(NOTE)
    officer.get_by_role("button", name="Save update").click()
    officer.wait_for_load_state()
    assert "is now recorded as at risk" in page_text(officer)
    assert NOTE in page_text(officer)
    check_page(officer, journey=journey, step="milestone-updated")
    world.m1.refresh_from_db()
    assert (world.m1.status, world.m1.note) == ("at_risk", NOTE)

    member = browser_session.open("board member")
    sign_in(member, username="board-member")
    member.goto(reverse("delivery:home"))
    check_page(member, journey=journey, step="delivery-home")
    member.get_by_role("link", name="Financial Recovery Board").first.click()
    member.wait_for_load_state()
    text = page_text(member)
    assert "Exception report: Financial Recovery Board" in text
    card = member.locator("#milestone-m1")
    assert "At risk" in card.inner_text() and NOTE in card.inner_text()
    assert "Audit committee refreshed" not in text  # another board's milestone
    check_page(member, journey=journey, step="exception-report")

    # Reflow: at 320 CSS pixels nothing but the marked table region scrolls sideways.
    member.set_viewport_size({"width": 320, "height": 800})
    overflow = member.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px at 320px"
    check_page(member, journey=journey, step="exception-report-320")

    office = browser_session.open("programme office")
    sign_in(office, username="programme")
    for name, url in [
        ("milestones", reverse("delivery:milestone_list", args=[world.plan.slug])),
        ("milestone-new", reverse("delivery:milestone_create", args=[world.plan.slug])),
        ("raid", reverse("delivery:raid_list", args=[world.plan.slug])),
        ("raid-new", reverse("delivery:raid_create", args=[world.plan.slug])),
        ("boards", reverse("delivery:board_list")),
        ("board-edit", reverse("delivery:board_edit", args=[world.finance_board.slug])),
        ("status-labels", reverse("delivery:status_labels")),
        ("dashboard", reverse("reporting:dashboard")),
    ]:
        office.goto(url)
        check_page(office, journey=journey, step=name)
    office.goto(reverse("delivery:milestone_create", args=[world.plan.slug]))
    office.get_by_role("button", name="Save").click()
    office.wait_for_load_state()
    assert "There is a problem" in page_text(office)
    check_page(office, journey=journey, step="milestone-new-errors")
    assert Milestone.objects.count() == 3
