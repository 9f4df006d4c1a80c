"""The journeys' page checks can fail: axe finds a planted violation, and a keyboard user's
focus must be visible. Without these, "no violations" could mean "nothing was checked"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.helpers import assert_focus_visible, axe_violations, check_page, link, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_reports_a_missing_text_alternative_and_poor_contrast(browser_session):
    page = browser_session.open("visitor")
    page.goto(reverse("accessibility"))
    assert axe_violations(page) == []

    page.evaluate(
        """() => {
            const image = document.createElement('img');
            image.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
            const faint = document.createElement('p');
            faint.textContent = 'Text too faint to read';
            faint.className = 'govuk-body';
            document.querySelector('h1').after(image, faint);
            faint.style.color = '#c8c8c8';
        }"""
    )

    found = {violation["id"]: violation["impact"] for violation in axe_violations(page)}
    assert found == {"image-alt": "critical", "color-contrast": "serious"}
    with pytest.raises(AssertionError, match="image-alt"):
        check_page(page, journey="self-check", step="planted-violations")


def test_a_focused_link_shows_the_gov_uk_focus_style_and_an_unstyled_one_fails(browser_session):
    page = browser_session.open("visitor")
    page.goto(reverse("accessibility"))
    tab_to(page, link("Accessibility statement"))  # asserts the focus is visible

    page.evaluate(
        """() => {
            const el = document.activeElement;
            el.style.setProperty('background-color', 'transparent', 'important');
            el.style.setProperty('box-shadow', 'none', 'important');
            el.style.setProperty('outline', 'none', 'important');
        }"""
    )
    with pytest.raises(AssertionError, match="No visible focus indicator"):
        assert_focus_visible(page)
