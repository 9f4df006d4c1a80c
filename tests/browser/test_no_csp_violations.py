"""The strict Content Security Policy ('self' only) blocks nothing the app itself serves.

The journeys' browser contexts already keep the policy and fail on console errors; this test
visits every page of those journeys in one context, reads the policy header, checks that the
app's own script ran (it marks the page `govuk-frontend-supported`) and that the page reported
no violation. A second test proves the detector works: an inline script and an inline style,
which the app must never use, are refused and reported.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from outcomes.models import Assessment, SuccessCriterion
from tests.browser.helpers import sign_in
from tests.browser.journeys import quarter_under_way

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def journey_pages(quarter) -> dict[str, list[str]]:
    """Who may open which page, for every page the journeys reach."""
    period, outcome, criterion = quarter.period, quarter.outcome, quarter.criterion
    assessment = Assessment.objects.get(period=period, criterion=criterion)
    red = SuccessCriterion.objects.get(outcome__plan=period.plan, outcome__number=6, letter="c")
    return {
        "officer": [
            reverse("home"),
            reverse("outcomes:my_updates"),
            reverse("outcomes:assessment_edit", args=[assessment.pk]),
            reverse("outcomes:criterion_history", args=[criterion.pk]),
        ],
        "director": [
            reverse("outcomes:signoff"),
            reverse("outcomes:signoff_outcome", args=[period.slug, outcome.pk]),
        ],
        "programme": [
            reverse("outcomes:period_list"),
            reverse("outcomes:period_detail", args=[period.slug]),
            reverse("outcomes:period_close", args=[period.slug]),
            reverse("outcomes:period_checks", args=[period.slug]),
            reverse("outcomes:period_publish", args=[period.slug]),
        ],
        "commissioner": [
            reverse("reporting:dashboard"),
            reverse("reporting:criteria") + "?rag=R&direction=A",
            reverse("outcomes:criterion_history", args=[red.pk]),
        ],
        "democratic": [
            reverse("reporting:report_list"),
            reverse("reporting:report", args=["2024-25-q3"]),
        ],
    }


def test_every_journey_page_runs_under_the_content_security_policy_without_a_violation(
    browser_session, thurrock, make_user
):
    quarter = quarter_under_way(plan=thurrock, make_user=make_user)
    make_user(Role.COMMISSIONER, username="commissioner")
    make_user(Role.DEMOCRATIC_SERVICES, username="democratic")
    page = browser_session.open("csp")
    visited = []

    def visit(path: str) -> None:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        policy = response.header_value("content-security-policy") or ""
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, f"{path}: policy {policy!r}"
        assert "unsafe-inline" not in policy
        page.wait_for_function("() => document.body.classList.contains('govuk-frontend-supported')")
        assert page.evaluate("() => window.cspViolations") == [], f"{path} broke the policy"
        visited.append(path)

    visit(reverse("login"))
    visit(reverse("accessibility"))
    for who, paths in journey_pages(quarter).items():
        page.context.clear_cookies()
        sign_in(page, username=who)
        for path in paths:
            visit(path)
    assert len(visited) == 18


def test_an_inline_script_or_style_would_be_refused_and_reported(browser_session, thurrock, make_user):
    make_user(Role.COMMISSIONER, username="commissioner")
    page = browser_session.open("csp")
    sign_in(page, username="commissioner")
    page.goto(reverse("reporting:dashboard"))

    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.inlineScriptRan = true';
            document.body.append(script);
            document.querySelector('h1').setAttribute('style', 'color: red');
        }"""
    )
    page.wait_for_function("() => window.cspViolations.length >= 2")

    assert page.evaluate("() => window.inlineScriptRan") is None
    assert page.evaluate("() => getComputedStyle(document.querySelector('h1')).color") != "rgb(255, 0, 0)"
    violations = page.evaluate("() => window.cspViolations")
    assert any(v.startswith("script-src") for v in violations), violations
    assert any(v.startswith("style-src") for v in violations), violations
    # The session saw them as console errors too, which fail any journey; here they are expected.
    assert sum("CSP violation" in problem for problem in browser_session.problems) >= 2
    browser_session.problems.clear()
