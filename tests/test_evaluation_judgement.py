"""Commissioners record their own judgement of each outcome; it is shown beside the council's
self-assessment on the dashboard and the outcome page, with differences called out, and is
published only when the commissioners decide so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outcomes.models import Assessment, CommissionerJudgement, JudgementPublication

pytestmark = pytest.mark.django_db


def _judge(client, evaluation, *, outcome=1, rag="G", commentary="Well governed now.", period=None):
    url = reverse(
        "outcomes:judgement_edit", args=[(period or evaluation.last).slug, evaluation.outcomes[outcome].pk]
    )
    return client.post(url, {"rag": rag, "commentary": commentary})


def test_a_commissioner_records_a_judgement_with_history(client, commissioner, evaluation):
    client.force_login(commissioner)
    assert _judge(client, evaluation).status_code == 302
    judgement = CommissionerJudgement.objects.get()
    assert (judgement.rag, judgement.commentary) == ("G", "Well governed now.")
    assert _judge(client, evaluation, rag="A", commentary="On reflection, amber.").status_code == 302
    history = list(
        CommissionerJudgement.objects.get().history.order_by("history_date").values_list("rag", flat=True)
    )
    assert history == ["G", "A"]


@pytest.mark.parametrize("who", ["officer", "lead_director", "programme_office", "democratic_services"])
def test_nobody_else_can_write_the_commissioners_judgement(client, request, evaluation, who):
    client.force_login(request.getfixturevalue(who))
    assert _judge(client, evaluation).status_code == 403
    assert not CommissionerJudgement.objects.exists()


def test_a_staff_admin_without_the_role_cannot_write_it_either(client, make_user, evaluation):
    client.force_login(make_user(None, username="admin", is_staff=True, is_superuser=True))
    assert _judge(client, evaluation).status_code == 403


def test_a_judgement_needs_a_rating_and_a_commentary(client, commissioner, evaluation):
    client.force_login(commissioner)
    response = _judge(client, evaluation, rag="", commentary="")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Choose Red, Amber or Green" in body and "Enter the commentary" in body
    assert not CommissionerJudgement.objects.exists()


def test_the_outcome_page_shows_the_judgement_beside_the_council_and_calls_out_a_difference(
    client, commissioner, evaluation
):
    # December: outcome 1's criteria are A and R; the council's rating (most common, tie to the worse) is R.
    client.force_login(commissioner)
    _judge(client, evaluation, rag="G")
    response = client.get(
        reverse("reporting:outcome_period", args=[evaluation.outcomes[1].pk, evaluation.last.slug])
    )
    assert response.status_code == 200
    page = response.context["page"]
    assert page.council.letter == "R" and page.judgement.rag == "G" and page.differs
    body = response.content.decode()
    assert "Differs from the council" in body
    assert "Well governed now." in body
    assert "Measure 1." in body and "GOV-01" in body


def test_the_dashboard_lists_judgements_and_the_outcomes_where_they_differ(client, commissioner, evaluation):
    client.force_login(commissioner)
    _judge(client, evaluation, outcome=1, rag="G")
    _judge(client, evaluation, outcome=2, rag="G")  # outcome 2's only criterion is G: agrees
    response = client.get(f"/dashboard/?period={evaluation.last.slug}")
    panel = response.context["judgements"]
    assert [row.differs for row in panel.rows] == [True, False]
    assert "1 outcome where the commissioners" in response.content.decode()


def test_judgements_not_for_publication_are_hidden_from_officers(client, commissioner, officer, evaluation):
    client.force_login(commissioner)
    _judge(client, evaluation)
    outcome_url = reverse("reporting:outcome_period", args=[evaluation.outcomes[1].pk, evaluation.last.slug])
    client.force_login(officer)
    response = client.get(outcome_url)
    assert "Well governed now." not in response.content.decode()
    assert not client.get(f"/dashboard/?period={evaluation.last.slug}").context["judgements"].visible
    client.force_login(commissioner)
    decide = reverse("outcomes:judgement_publication", args=[evaluation.last.slug])
    assert client.post(decide, {"for_publication": "yes"}).status_code == 302
    assert JudgementPublication.objects.get().for_publication
    client.force_login(officer)
    assert "Well governed now." in client.get(outcome_url).content.decode()


def test_the_council_rating_counts_only_rated_criteria(evaluation):
    from core.rag import RagCounts
    from outcomes.evaluation_selectors import council_outcome_rating

    assert council_outcome_rating(RagCounts(red=1, amber=1)) == "R"
    assert council_outcome_rating(RagCounts(amber=2, green=1, not_rated=5)) == "A"
    assert council_outcome_rating(RagCounts(not_rated=3)) == ""
    assert Assessment.objects.exists()


def test_a_draft_outcome_page_is_refused_to_an_officer(client, officer, evaluation):
    client.force_login(officer)
    url = reverse("reporting:outcome_period", args=[evaluation.outcomes[1].pk, evaluation.period.slug])
    assert client.get(url).status_code == 403


def test_the_metric_pages_show_targets_ratings_and_a_chart_with_its_table(client, officer, evaluation):
    client.force_login(officer)
    library = client.get(reverse("reporting:metric_library"))
    body = library.content.decode()
    assert "GOV-01" in body and "Metrics without a target" in body and "GOV-02" in body
    detail = client.get(reverse("reporting:metric_detail", args=[evaluation.metrics["GOV-01"].pk]))
    text = detail.content.decode()
    assert 'role="img"' in text and "<title" in text
    assert "Amber (A)" in text  # 85 against 90 with 10% tolerance, told in words in the table
