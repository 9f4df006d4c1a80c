"""A Lead Director reads long assessments folded, and approves every update shown after seeing the list."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from outcomes import services
from outcomes.exceptions import NotAllowed, NotYourOutcome, StaleEdit
from outcomes.models import AssessmentStatus


def submit(cycle, ref, by, narrative="Done."):
    current = cycle.fresh(ref)
    return services.assessment_submit(
        assessment=current, by=by, rag="G", narrative=narrative, expected_version=current.version
    )


@pytest.fixture
def director_client(client, lead_director):
    client.force_login(lead_director)
    return client


def outcome_url(cycle, number=1):
    return reverse("outcomes:signoff_outcome", args=[cycle.period.slug, cycle.outcomes[number].pk])


def approve_url(cycle, number=1):
    return reverse("outcomes:approve_shown", args=[cycle.period.slug, cycle.outcomes[number].pk])


def shown(*assessments):
    return [f"{a.pk}:{a.version}" for a in assessments]


def test_a_long_assessment_is_folded_with_show_more(director_client, cycle, officer):
    long_text = " ".join(f"word{n}" for n in range(200))
    submit(cycle, "1a", officer, narrative=long_text)
    submit(cycle, "1b", officer, narrative="Short and done.")

    body = director_client.get(outcome_url(cycle)).content.decode()

    assert body.count("Show more") == 1
    assert '<details class="govuk-details">' in body
    assert "word199" in body  # all of it is on the page, inside the fold
    assert "Short and done." in body


def test_approve_all_shown_lists_them_first_then_approves_them_together(director_client, cycle, officer):
    first, second = submit(cycle, "1a", officer), submit(cycle, "1b", officer)
    page = director_client.get(outcome_url(cycle)).content.decode()
    assert "Approve all shown" in page
    assert f'value="{first.pk}:{first.version}"' in page

    confirm = director_client.post(approve_url(cycle), {"shown": shown(first, second)})
    text = html.unescape(confirm.content.decode())
    assert confirm.status_code == 200
    assert "Approve 2 updates?" in text and "1a. Criterion 1a is met." in text and "1b." in text
    assert cycle.fresh("1a").status == AssessmentStatus.SUBMITTED  # nothing approved yet

    done = director_client.post(approve_url(cycle), {"shown": shown(first, second), "confirm": "yes"})
    assert done.status_code == 302
    assert [cycle.fresh(ref).status for ref in ("1a", "1b")] == [AssessmentStatus.APPROVED] * 2
    assert "2 updates approved: 1a, 1b." in html.unescape(director_client.get(done.url).content.decode())


def test_an_update_changed_since_the_list_was_shown_stops_the_whole_batch(director_client, cycle, officer):
    first, second = submit(cycle, "1a", officer), submit(cycle, "1b", officer)
    seen = shown(first, second)
    services.assessment_submit(
        assessment=second,
        by=officer,
        rag="A",
        narrative="Changed my mind.",
        expected_version=second.version,
        reason="New risk.",
    )

    confirm = director_client.post(approve_url(cycle), {"shown": seen})
    assert confirm.status_code == 409
    assert "Nothing has been approved" in html.unescape(confirm.content.decode())

    done = director_client.post(approve_url(cycle), {"shown": seen, "confirm": "yes"})
    assert done.status_code == 302
    assert [cycle.fresh(ref).status for ref in ("1a", "1b")] == [AssessmentStatus.SUBMITTED] * 2
    assert "1b changed since the list was shown" in html.unescape(
        director_client.get(done.url).content.decode()
    )


def test_the_service_never_approves_what_the_director_may_not(cycle, officer, lead_director):
    mine = submit(cycle, "1a", officer)
    theirs = submit(cycle, "2a", cycle.other_officer)
    with pytest.raises(NotYourOutcome):
        services.assessments_approve_shown(
            shown=[(mine.pk, mine.version), (theirs.pk, theirs.version)], by=lead_director
        )
    assert cycle.fresh("1a").status == AssessmentStatus.SUBMITTED  # all or nothing
    with pytest.raises(StaleEdit):
        services.assessments_approve_shown(shown=[(mine.pk, mine.version - 1)], by=lead_director)


def test_a_lead_directors_own_update_is_not_in_approve_all(director_client, cycle, officer, lead_director):
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    lead_director.groups.add(Group.objects.get(name=Role.OFFICER))
    cycle.criteria["1b"].owner = lead_director
    cycle.criteria["1b"].save()
    first = submit(cycle, "1a", officer)
    own = submit(cycle, "1b", lead_director)

    page = director_client.get(outcome_url(cycle)).content.decode()
    assert f'value="{own.pk}:{own.version}"' not in page
    with pytest.raises(NotAllowed):
        services.assessments_approve_shown(
            shown=[(first.pk, first.version), (own.pk, own.version)], by=lead_director
        )
    assert cycle.fresh("1a").status == AssessmentStatus.SUBMITTED


def test_another_director_cannot_use_this_outcomes_approve_all(client, cycle, officer):
    first = submit(cycle, "1a", officer)
    client.force_login(cycle.other_director)
    response = client.post(approve_url(cycle), {"shown": shown(first), "confirm": "yes"})
    assert response.status_code == 403
    assert cycle.fresh("1a").status == AssessmentStatus.SUBMITTED
