"""A commissioner reads Thurrock's December 2024 position: the dashboard, the red criteria under
one Direction, and that criterion's history. Once with the pointer, once with the keyboard alone.

In December 2024 one criterion was rated Red: 6c (risk management). Outcome 6 is claimed by
objectives under Directions A, B, C, D and J, so "Red, Direction A" finds it.
"""

from __future__ import annotations

import pytest

from accounts.roles import Role
from tests.browser.helpers import (
    accessible_name,
    button,
    check_page,
    choose_option,
    keyboard_sign_in,
    link,
    page_text,
    press,
    sign_in,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED_CRITERION = "6c"
DIRECTION = "A: Financial sustainability and a multi-year savings plan"
DECEMBER = "Quarter to December 2024"


@pytest.fixture
def commissioner(thurrock, make_user):
    return make_user(Role.COMMISSIONER, username="commissioner", first_name="Cara", last_name="Mensah")


def assert_filtered_to_the_red_criterion(page) -> None:
    text = page_text(page)
    assert "1 success criterion" in text
    assert f"direction is {DIRECTION}" in text
    rows = page.locator("table.govuk-table tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("th").inner_text().startswith(RED_CRITERION)
    assert "Red" in rows.first.inner_text()


def assert_history_of_the_red_criterion(page) -> None:
    text = page_text(page)
    assert f"History of {RED_CRITERION}" in text
    assert DECEMBER in text
    assert "Risk Management Strategy 2024-2027" in text  # December's assessment of progress


def test_commissioner_filters_the_dashboard_to_red_under_one_direction_and_reads_the_history(
    browser_session, commissioner
):
    journey = "commissioner"
    page = browser_session.open("commissioner")
    sign_in(page, username="commissioner")
    check_page(page, journey=journey, step="01-home")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    check_page(page, journey=journey, step="02-dashboard")
    assert f"Dashboard: {DECEMBER}" in page_text(page)

    page.locator(".app-stat").first.get_by_role("link", name="Red (R)").click()
    check_page(page, journey=journey, step="03-red-criteria")
    assert "rating this period is Red" in page_text(page)
    page.get_by_label("Direction (optional)", exact=True).select_option(label=DIRECTION)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    check_page(page, journey=journey, step="04-red-under-direction-a")
    assert_filtered_to_the_red_criterion(page)

    page.get_by_role("link", name=accessible_name(f"{RED_CRITERION}: history of this criterion")).click()
    check_page(page, journey=journey, step="05-history")
    assert_history_of_the_red_criterion(page)


def test_the_commissioner_journey_with_the_keyboard_alone(browser_session, commissioner):
    page = browser_session.open("commissioner")
    keyboard_sign_in(page, username="commissioner")
    tab_to(page, link("Dashboard"))
    press(page, "Enter", navigates=True)
    tab_to(page, link("Red (R)", exact=False))
    press(page, "Enter", navigates=True)
    choose_option(page, element_id="id_direction", label=DIRECTION)
    tab_to(page, button("Apply filters"))
    press(page, "Enter", navigates=True)
    check_page(page, journey="commissioner-keyboard", step="04-red-under-direction-a")
    assert_filtered_to_the_red_criterion(page)
    tab_to(page, link(f"{RED_CRITERION}: history of this criterion"))
    press(page, "Enter", navigates=True)
    assert_history_of_the_red_criterion(page)
