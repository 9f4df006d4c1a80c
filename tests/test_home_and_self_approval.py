"""The home page lists only what the visitor may open; nobody approves their own update."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.roles import Role
from outcomes import services
from outcomes.models import AssessmentStatus, PeriodState
from tests.scenarios import Cycle


def test_an_officer_sees_no_draft_period_nor_a_report_link_that_would_refuse_them(
    client, officer, lead_director
):
    cycle = Cycle(officer=officer, director=lead_director)  # December published, March open (a draft)
    client.force_login(officer)

    page = client.get("/").content.decode()

    assert "Quarter to December 2024" in page
    # The draft quarter is named only in the officer's own work (their updates due), never as a period.
    periods_table = page[page.index("Reporting periods") :]
    assert "Quarter to March 2025" not in periods_table
    assert reverse("reporting:report", args=[cycle.period.slug]) not in page
    assert client.get(reverse("reporting:report", args=[cycle.last.slug])).status_code == 200


def test_a_draft_reader_sees_the_draft_period_on_the_home_page(client, officer, lead_director, commissioner):
    Cycle(officer=officer, director=lead_director)
    client.force_login(commissioner)

    assert "Quarter to March 2025" in client.get("/").content.decode()


def _lead_owns_1a(cycle, lead_director):
    lead_director.groups.add(Group.objects.get(name=Role.OFFICER))  # a director who also owns a criterion
    criterion = cycle.criteria["1a"]
    criterion.owner = lead_director
    criterion.save()
    assessment = cycle.fresh("1a")
    return services.assessment_submit(
        assessment=assessment, by=lead_director, rag="G", narrative="My own update.", expected_version=1
    )


def test_a_lead_director_who_owns_the_criterion_cannot_approve_their_own_update(
    client, officer, lead_director, make_user
):
    cycle = Cycle(officer=officer, director=lead_director)
    submitted = _lead_owns_1a(cycle, lead_director)
    client.force_login(lead_director)

    page = client.get(reverse("outcomes:signoff_outcome", args=[cycle.period.slug, cycle.outcomes[1].pk]))
    response = client.post(
        reverse("outcomes:assessment_approve", args=[submitted.pk]), {"version": submitted.version}
    )

    sentence = "You own 1a, so you cannot approve your own update"
    assert "you cannot approve your own update: another Lead Director or the Programme Office" in (
        page.content.decode()
    )
    assert response.status_code == 403
    assert sentence in response.content.decode()
    assert cycle.fresh("1a").status == AssessmentStatus.SUBMITTED


def test_the_programme_office_approves_an_update_its_lead_director_owns(
    client, officer, lead_director, programme_office, make_user
):
    cycle = Cycle(officer=officer, director=lead_director)
    submitted = _lead_owns_1a(cycle, lead_director)
    client.force_login(programme_office)

    response = client.post(
        reverse("outcomes:assessment_approve", args=[submitted.pk]), {"version": submitted.version}
    )

    assert response.status_code == 302
    assert "1a approved." in [str(m) for m in get_messages(response.wsgi_request)]
    assert cycle.fresh("1a").status == AssessmentStatus.APPROVED


def test_the_programme_office_cannot_approve_an_officers_update_for_the_lead(
    client, officer, lead_director, programme_office
):
    cycle = Cycle(officer=officer, director=lead_director)
    assessment = cycle.fresh("1b")
    services.assessment_submit(
        assessment=assessment, by=officer, rag="G", narrative="Done.", expected_version=1
    )
    client.force_login(programme_office)

    response = client.post(reverse("outcomes:assessment_approve", args=[assessment.pk]), {"version": 2})

    assert response.status_code == 403
    assert cycle.fresh("1b").status == AssessmentStatus.SUBMITTED
    assert cycle.period.state == PeriodState.OPEN
