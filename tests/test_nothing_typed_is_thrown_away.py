"""When the period closes or someone else saves while a person is writing, their text comes back to them."""

from __future__ import annotations

from django.urls import reverse

from outcomes import services
from outcomes.models import PeriodState
from tests.scenarios import Cycle, post_update

TYPED = "Members agreed the <b>new</b> constitution on 12 March; the last two training sessions are booked."


def test_when_the_period_closes_while_an_officer_writes_their_text_is_shown_to_copy(
    client, officer, lead_director, programme_office
):
    cycle = Cycle(officer=officer, director=lead_director)
    client.force_login(officer)
    version = cycle.fresh("1a").version
    services.period_close(period=cycle.period, by=programme_office)

    response = post_update(client, cycle, "1a", rag="G", narrative=TYPED, version=version, action="submit")

    page = response.content.decode()
    assert response.status_code == 409
    assert "is closed, so its updates can no longer be changed" in page
    assert "Your text was not saved" in page
    assert "readonly>Members agreed the &lt;b&gt;new&lt;/b&gt; constitution" in page
    assert "You chose the rating: <strong>Green</strong>" in page
    assert cycle.fresh("1a").narrative == ""


def test_when_the_period_closes_between_the_check_and_the_save_the_text_is_still_shown(
    client, officer, lead_director, programme_office, monkeypatch
):
    cycle = Cycle(officer=officer, director=lead_director)
    client.force_login(officer)
    real = services.assessment_save_draft

    def closes_first(**kwargs):
        services.period_close(period=cycle.period, by=programme_office)
        return real(**kwargs)

    monkeypatch.setattr(services, "assessment_save_draft", closes_first)

    response = post_update(client, cycle, "1a", rag="A", narrative=TYPED)

    assert response.status_code == 409
    assert "Your text was not saved" in response.content.decode()
    assert "constitution on 12 March" in response.content.decode()


def test_when_someone_else_saves_the_officer_can_resubmit_their_text(client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    client.force_login(officer)
    loaded = cycle.fresh("1a")
    services.assessment_save_draft(
        assessment=loaded,
        by=officer,
        rag="R",
        narrative="Saved in another tab.",
        expected_version=loaded.version,
    )

    response = post_update(client, cycle, "1a", rag="G", narrative=TYPED, version=loaded.version)

    page = response.content.decode()
    assert response.status_code == 409
    assert "constitution on 12 March" in page
    assert f'name="version" value="{loaded.version + 1}"' in page


def test_a_stale_return_comment_comes_back_in_the_form_to_send_again(client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    assessment = cycle.fresh("1a")
    services.assessment_submit(
        assessment=assessment, by=officer, rag="G", narrative="Done.", expected_version=assessment.version
    )
    loaded = cycle.fresh("1a")
    services.assessment_submit(
        assessment=loaded,
        by=officer,
        rag="A",
        narrative="Done, mostly.",
        expected_version=loaded.version,
        reason="Not quite done",
    )
    client.force_login(lead_director)

    response = client.post(
        reverse("outcomes:assessment_return", args=[loaded.pk]),
        {"comment": "Please add the dates of the training.", "version": loaded.version},
    )

    assert response.status_code == 409
    assert "Please add the dates of the training." in response.content.decode()


def test_a_return_comment_typed_as_the_period_is_published_is_shown_to_copy(client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    row = cycle.fresh("1a")
    cycle.period.state = PeriodState.PUBLISHED
    cycle.period.save()
    client.force_login(lead_director)

    response = client.post(
        reverse("outcomes:assessment_return", args=[row.pk]),
        {"comment": "Please add the dates of the training.", "version": row.version},
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Your text was not saved" in page
    assert "readonly>Please add the dates of the training.</textarea>" in page


def test_a_summary_typed_as_the_period_is_published_is_shown_to_copy(client, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    cycle.period.state = PeriodState.PUBLISHED
    cycle.period.save()
    client.force_login(lead_director)

    response = client.post(
        reverse("outcomes:signoff_outcome", args=[cycle.period.slug, cycle.outcomes[1].pk]),
        {"text": "Governance is improving steadily.", "version": cycle.summary(1).version},
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "readonly>Governance is improving steadily.</textarea>" in page
    assert cycle.summary(1).text == ""
