"""The Publish button says how many findings stop publication, and is disabled, saying why, while any do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outcomes import services
from outcomes.exceptions import PublicationBlocked


@pytest.fixture
def closed(cycle, programme_office):
    services.period_close(period=cycle.period, by=programme_office)
    return cycle


def test_a_closed_period_with_findings_has_a_disabled_publish_button_that_counts_them(
    client, closed, programme_office
):
    client.force_login(programme_office)
    blockers = services.publication_blockers(period=closed.period)
    assert blockers  # nothing is rated or approved yet

    for name in ("period_detail", "period_publish"):
        body = client.get(reverse(f"outcomes:{name}", args=[closed.period.slug])).content.decode()
        assert f"Publish ({len(blockers)} blocking findings)" in body
        assert "disabled" in body and 'aria-describedby="publish-blocked"' in body
        assert "This period cannot be published until" in body
        assert reverse("outcomes:period_checks", args=[closed.period.slug]) in body

    # The service refuses too: the button is only its messenger.
    with pytest.raises(PublicationBlocked):
        services.period_publish(period=closed.period, by=programme_office)


def test_with_nothing_in_the_way_the_publish_button_works(client, closed, programme_office, monkeypatch):
    monkeypatch.setattr(services, "_publication_blockers", lambda period: [])
    client.force_login(programme_office)

    body = client.get(reverse("outcomes:period_detail", args=[closed.period.slug])).content.decode()

    assert "blocking finding" not in body
    assert f'href="{reverse("outcomes:period_publish", args=[closed.period.slug])}">Publish</a>' in body


def test_a_closed_periods_page_counts_findings_with_the_same_queries_at_any_size(
    db, client, programme_office
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from outcomes.models import PeriodState, ReportingPeriod
    from outcomes.scale import build_synthetic_plan

    client.force_login(programme_office)
    counts = []
    for factor in (1, 3):
        period = ReportingPeriod.objects.filter(plan=build_synthetic_plan(factor=factor, periods=2)).last()
        ReportingPeriod.objects.filter(pk=period.pk).update(state=PeriodState.CLOSED)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("outcomes:period_detail", args=[period.slug]))
        assert "blocking finding" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
