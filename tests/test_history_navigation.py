"""A criterion's history sits in the section it was reached from, with breadcrumbs back up the plan,
and says which periods came from the council's own reports."""

from __future__ import annotations

import html
import re

from django.urls import reverse

from outcomes.models import SuccessCriterion


def _active(body: str) -> list[str]:
    return re.findall(r'aria-current="page">\s*<strong[^>]*>([^<]+)</strong>', body)


def _history(client, user, criterion) -> str:
    client.force_login(user)
    response = client.get(reverse("outcomes:criterion_history", args=[criterion.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_each_role_sees_the_navigation_item_it_came_from(client, officer, lead_director, commissioner, cycle):
    criterion = cycle.criteria["1a"]
    assert _active(_history(client, officer, criterion)) == ["My updates"]
    assert _active(_history(client, lead_director, criterion)) == ["Sign-off"]
    assert _active(_history(client, commissioner, criterion)) == ["Criteria"]


def test_breadcrumbs_lead_from_the_plan_to_the_outcome_to_the_criterion(client, officer, cycle):
    criterion = cycle.criteria["1a"]
    body = _history(client, officer, criterion)
    crumbs = body[
        body.index('class="govuk-breadcrumbs"') : body.index("</nav>", body.index("govuk-breadcrumbs"))
    ]
    plan_url = reverse("plans:plan_detail", args=[cycle.plan.slug])
    outcome_url = f"{reverse('reporting:criteria')}?outcome={cycle.outcomes[1].pk}"
    assert crumbs.index(plan_url) < crumbs.index(outcome_url) < crumbs.index('aria-current="page">1a')
    for url in (plan_url, outcome_url):
        assert client.get(url).status_code == 200, url


def test_periods_loaded_from_the_councils_reports_say_so_not_system(client, thurrock, commissioner):
    criterion = SuccessCriterion.objects.filter(outcome__plan__slug="irp-2023-10").order_by("pk").first()
    body = _history(client, commissioner, criterion)
    assert "Loaded from the council's report" in body
    assert "System" not in body[body.index("<main") : body.index("</main>")]
