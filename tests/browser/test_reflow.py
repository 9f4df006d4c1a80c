"""Reflow (WCAG 2.2, 1.4.10): at 320 CSS pixels no page scrolls sideways, for every role.

Each role signs in on a phone-sized window, with Thurrock's plan and an open quarter loaded,
and visits every page its home page and navigation link to, plus one of each detail page. Only a
wide table may scroll sideways, and then inside its own labelled `.app-table-scroll` region.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.browser.helpers import check_page, sign_in
from tests.browser.journeys import quarter_under_way

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320
# A long unbroken string in user text, which must wrap rather than push the page wider.
LONG_URL = (
    "https://www.thurrock.gov.uk/improvement-and-recovery-plan/evidence/complaints-monitoring-2025-q4.pdf"
)

# Addresses a person follows that are not pages to read: files, signing out, the admin.
NOT_PAGES = ("/download", "/account/sign-out/", "/admin/", "/account/ping/")

# Every element whose right edge is past the window, other than inside a table's own scroll
# region. Visually hidden text counts: absolutely positioned, it widens the page from wherever
# it sits unless a positioned ancestor clips it.
OVERFLOWING_JS = """(width) => {
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.app-table-scroll, [hidden], script, style')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    // The outermost element past the edge says where; its children would repeat it.
    const parentBox = el.parentElement.getBoundingClientRect();
    if (box.right > width + 1 && !(parentBox.right > width + 1 && el.parentElement !== document.body)) {
      const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : [];
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + classes.filter(Boolean).map(c => '.' + c).join('');
      const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
      found.push(`${name} (right edge ${Math.round(box.right)}px): ${text}`);
    }
  }
  return found;
}"""

# A scroll region must say what it holds and be reachable by keyboard.
REGIONS_JS = """() => Array.from(document.querySelectorAll('.app-table-scroll')).filter(el =>
  el.getAttribute('role') !== 'region' || el.getAttribute('tabindex') !== '0'
  || !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))
).map(el => el.outerHTML.slice(0, 120))"""


@pytest.fixture
def world(thurrock, make_user):
    """Thurrock's plan with the quarter to March 2025 open, a metric, a board and a milestone."""
    from outcomes.models import Assessment, Metric, MetricValue
    from plans.models import Board, Milestone, Objective

    quarter = quarter_under_way(plan=thurrock, make_user=make_user)
    commissioner = make_user(Role.COMMISSIONER, username="commissioner")
    make_user(Role.DEMOCRATIC_SERVICES, username="democratic")
    member = make_user(Role.BOARD_MEMBER, username="board-member")

    Assessment.objects.filter(period=quarter.period, criterion=quarter.repeated).update(
        narrative=f"Evidence is published at {LONG_URL} and reviewed monthly."
    )
    metric = Metric.objects.create(
        plan=thurrock,
        outcome=quarter.outcome,
        code="GOV-01",
        name="Complaints answered within the statutory deadline",
        unit="%",
        definition=f"See {LONG_URL}",
    )
    metric.criteria.add(quarter.criterion)
    MetricValue.objects.create(
        metric=metric, period=quarter.period, value=Decimal("85"), target=Decimal("90"), note=LONG_URL
    )
    objective = (
        Objective.objects.filter(workstream__priority__plan=thurrock)
        .select_related("workstream__priority")
        .first()
    )
    milestone = Milestone.objects.create(
        plan=thurrock,
        objective=objective,
        reference="M1",
        title="Savings plan agreed by Cabinet",
        owner=quarter.officer,
        start_date=dt.date(2025, 1, 1),
        due_date=dt.date(2025, 5, 31),
        status="at_risk",
        note=f"Cabinet moved the decision to July; see {LONG_URL}",
    )
    # Thurrock's seed has its boards already; the finance board oversees the milestone's priority.
    board = Board.objects.filter(priorities=objective.workstream.priority).first() or Board.objects.create(
        slug="financial-recovery-board", name="Financial Recovery Board"
    )
    board.priorities.add(objective.workstream.priority)
    board.members.add(member, commissioner)
    december = thurrock.periods.get(slug="2024-25-q3")
    return {
        "plan": thurrock,
        "quarter": quarter,
        "metric": metric,
        "milestone": milestone,
        "board": board,
        "december": december,
    }


def detail_pages(role: str, world) -> list[str]:
    """One of each detail page the role may open (the rest are reached from links)."""
    plan, quarter = world["plan"], world["quarter"]
    period, december = quarter.period, world["december"]
    reading = [
        reverse("outcomes:criterion_history", args=[quarter.criterion.pk]),
        reverse("reporting:outcome_period", args=[quarter.outcome.pk, december.slug]),
        reverse("reporting:metric_detail", args=[world["metric"].pk]),
        reverse("plans:plan_detail", args=[plan.slug]),
        reverse("plans:direction_detail", args=["A"]),
    ]
    reports = [reverse("reporting:report", args=[december.slug])]
    # An open quarter's outcome page is for those who follow the quarter before publication.
    open_outcome = [reverse("reporting:outcome_period", args=[quarter.outcome.pk, period.slug])]
    delivery = [
        reverse("delivery:milestone_list", args=[plan.slug]),
        reverse("delivery:exception_report", args=[plan.slug, world["board"].slug]),
    ]
    by_role = {
        Role.OFFICER: [
            reverse("outcomes:assessment_edit", args=[quarter.assessment().pk]),
            reverse("delivery:milestone_update", args=[world["milestone"].pk]),
        ],
        Role.LEAD_DIRECTOR: [
            reverse("outcomes:signoff_outcome", args=[period.slug, quarter.outcome.pk]),
            *open_outcome,
        ],
        Role.PROGRAMME_OFFICE: [
            reverse("outcomes:period_detail", args=[period.slug]),
            reverse("outcomes:period_detail", args=[december.slug]),
            reverse("outcomes:completion", args=[period.slug]),
            reverse("outcomes:period_checks", args=[period.slug]),
            reverse("outcomes:period_open"),
            reverse("outcomes:metric_import", args=[plan.slug]),
            reverse("outcomes:metric_create", args=[plan.slug]),
            reverse("outcomes:metric_edit", args=[world["metric"].pk]),
            reverse("delivery:raid_list", args=[plan.slug]),
            reverse("delivery:milestone_edit", args=[world["milestone"].pk]),
            reverse("delivery:board_list"),
            reverse("delivery:status_labels"),
            *reports,
            *open_outcome,
            *delivery,
        ],
        Role.COMMISSIONER: [*reports, *open_outcome, *delivery],
        Role.DEMOCRATIC_SERVICES: [
            *reports,
            # A draft's file, not yet asked for: the page that offers to prepare it.
            reverse("reporting:report_export", args=[period.slug, "pdf"]),
            # The same page for a board's exception report and for the criteria list's file.
            reverse("delivery:exception_export", args=[plan.slug, world["board"].slug, "pdf"]),
            reverse("reporting:criteria_export", args=["csv"]) + f"?period={december.slug}",
            *open_outcome,
            *delivery,
        ],
        Role.BOARD_MEMBER: [reverse("delivery:exception_report", args=[plan.slug, world["board"].slug])],
    }
    return reading + by_role[role]


def linked_pages(page) -> list[str]:
    """The signed-in pages linked from the navigation and the home page's content, in order."""
    hrefs = page.evaluate(
        """() => Array.from(document.querySelectorAll('#navigation a[href], main a[href]'))
                .map(a => a.getAttribute('href'))"""
    )
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        address = parts.path + (f"?{parts.query}" if parts.query else "")
        if any(marker in address for marker in NOT_PAGES) or address in found:
            continue
        found.append(address)
    return found


def assert_reflows(page, address: str) -> int:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    overflowing = page.evaluate(OVERFLOWING_JS, WIDTH)
    assert width <= WIDTH and not overflowing, (
        f"{address} is {width}px wide at {WIDTH}px; past the right edge:\n" + "\n".join(overflowing[:15])
    )
    bad_regions = page.evaluate(REGIONS_JS)
    assert not bad_regions, f"{address}: scroll regions without a role, label or tabindex: {bad_regions}"
    return width


USERNAMES = {
    Role.OFFICER: "officer",
    Role.LEAD_DIRECTOR: "director",
    Role.PROGRAMME_OFFICE: "programme",
    Role.COMMISSIONER: "commissioner",
    Role.DEMOCRATIC_SERVICES: "democratic",
    Role.BOARD_MEMBER: "board-member",
}


@pytest.mark.parametrize("role", list(USERNAMES), ids=[str(role) for role in USERNAMES])
def test_no_page_a_role_reaches_scrolls_sideways_at_320_pixels(browser_session, world, role):
    page = browser_session.open(str(role))
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(reverse("login"))
    page.get_by_role("button", name="Sign in").click()  # the errors must fit too
    page.wait_for_load_state()
    assert_reflows(page, "the sign-in page with its errors")
    sign_in(page, username=USERNAMES[role])
    home = page.url
    # The header stays whole: the navigation folds behind "Menu", and opened it still fits.
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
        assert_reflows(page, "the home page with its menu open")
    addresses = [urlsplit(home).path, *linked_pages(page)]
    for address in detail_pages(role, world):
        if address not in addresses:
            addresses.append(address)

    details = detail_pages(role, world)
    failures, refused = [], []
    for number, address in enumerate(addresses, start=1):
        response = page.goto(address)
        if response.status == 403 and address not in details:
            # The home page still links some roles to pages they may not open (issue 16's home
            # page work removes those links); a refusal page is not a page to reflow.
            refused.append(address)
            continue
        assert response.status == 200, f"{role}: {address} answered {response.status}"
        try:
            assert_reflows(page, address)
            check_page(page, journey=f"reflow-{role}", step=f"{number:02d}")
        except AssertionError as failure:
            failures.append(str(failure))
    checked = len(addresses) - len(refused)
    print(f"reflow: {role} checked {checked} pages at {WIDTH}px; refused (403): {refused}")
    assert checked >= 8, f"{role} reached only {addresses}"
    assert not failures, f"{len(failures)} of {checked} pages fail for {role}:\n\n" + "\n\n".join(failures)


def test_the_commissioners_mid_quarter_pages_fit_a_phone_with_every_fold_open(browser_session, world):
    """Pages the walk reaches only with a choice made: the open quarter's dashboard, a searched and
    sorted criteria list, and the plan explorer and Directions matrix with their folds opened."""
    page = browser_session.open("commissioner-folds")
    page.set_viewport_size({"width": WIDTH, "height": 800})
    sign_in(page, username="commissioner")
    addresses = [
        f"{reverse('reporting:dashboard')}?period={world['quarter'].period.slug}",
        f"{reverse('reporting:criteria')}?q=risk&sort=-rag",
        reverse("plans:plan_detail", args=[world["plan"].slug]),
        reverse("plans:direction_list"),
    ]
    for address in addresses:
        assert page.goto(address).status == 200
        summaries = page.locator("details > summary")
        assert summaries.count() or address == addresses[-1], f"{address} has nothing to fold"
        for index in range(summaries.count()):
            if summaries.nth(index).is_visible():
                summaries.nth(index).click()  # a fold opened must fit too, nested ones included
        assert_reflows(page, address)


def test_the_withdraw_and_approve_all_confirmations_fit_a_phone(browser_session, world):
    """Pages the walk reaches only once updates are handed in: the officer's warning before taking
    back a submitted update, and the Lead Director's list before "Approve all shown"."""
    from outcomes import services
    from outcomes.models import Assessment, AssessmentStatus

    quarter = world["quarter"]
    own = quarter.assessment()
    services.assessment_submit(
        assessment=own,
        by=quarter.officer,
        rag="A",
        narrative=f"Half the actions are done; the evidence is at {LONG_URL}.",
        expected_version=own.version,
    )
    # A second of the director's updates waiting, so that "Approve all shown" is offered.
    other = (
        Assessment.objects.filter(period=quarter.period, criterion__outcome=quarter.outcome)
        .exclude(pk=own.pk)
        .order_by("criterion__letter")
        .first()
    )
    Assessment.objects.filter(pk=other.pk).update(status=AssessmentStatus.SUBMITTED)

    page = browser_session.open("officer-withdraw")
    page.set_viewport_size({"width": WIDTH, "height": 800})
    sign_in(page, username="officer")
    assert page.goto(reverse("outcomes:assessment_withdraw", args=[own.pk])).status == 200
    assert page.get_by_role("heading", level=1).count() == 1
    assert_reflows(page, "the withdraw confirmation")
    check_page(page, journey="reflow-confirmations", step="01-withdraw")

    page = browser_session.open("director-approve-all")
    page.set_viewport_size({"width": WIDTH, "height": 800})
    sign_in(page, username="director")
    page.goto(reverse("outcomes:signoff_outcome", args=[quarter.period.slug, quarter.outcome.pk]))
    page.get_by_role("button", name="Approve all shown").click()
    page.wait_for_load_state()
    assert page.url.endswith(
        reverse("outcomes:approve_shown", args=[quarter.period.slug, quarter.outcome.pk])
    ), page.url
    assert (
        Assessment.objects.filter(pk__in=[own.pk, other.pk], status=AssessmentStatus.SUBMITTED).count() == 2
    )
    assert_reflows(page, "the approve-all confirmation")
    check_page(page, journey="reflow-confirmations", step="02-approve-all")
