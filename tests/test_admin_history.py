"""Staff who correct an assessment in the admin leave a history record with their name and reason.

Only while its period is open: a closed or published period's record is read-only in the admin
(tests/test_published_record_is_frozen.py).
"""

from django.urls import reverse

from tests.scenarios import Cycle


def _post(assessment, **changes) -> dict:
    data = {
        "rag": assessment.rag,
        "narrative": assessment.narrative,
        "status": assessment.status,
        "return_comment": "",
        "expected_version": assessment.version,
    }
    data.update(changes)
    return data


def test_editing_an_assessment_in_the_admin_records_who_and_why(client, officer, lead_director, make_user):
    cycle = Cycle(officer=officer, director=lead_director)
    admin = make_user(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assessment = cycle.fresh("1a")
    url = reverse("admin:outcomes_assessment_change", args=[assessment.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _post(
            assessment,
            rag="G",
            narrative="Final AGS signed off.",
            change_reason="Correcting a typing error reported by the service lead",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = assessment.history.first()
    assert latest.rag == "G"
    assert latest.history_user == admin
    assert latest.history_change_reason == "Correcting a typing error reported by the service lead"
    history_page = client.get(reverse("admin:outcomes_assessment_history", args=[assessment.pk]))
    assert "Correcting a typing error" in history_page.content.decode()


def test_an_admin_edit_without_a_reason_is_refused(client, officer, lead_director, make_user):
    cycle = Cycle(officer=officer, director=lead_director)
    admin = make_user(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assessment = cycle.fresh("1a")
    rag_before, records_before = assessment.rag, assessment.history.count()
    url = reverse("admin:outcomes_assessment_change", args=[assessment.pk])
    response = client.post(url, _post(assessment, rag="R" if rag_before != "R" else "G"))
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.rag == rag_before
    assert assessment.history.count() == records_before


def test_a_reason_of_zero_width_characters_is_no_reason(client, officer, lead_director, make_user):
    cycle = Cycle(officer=officer, director=lead_director)
    client.force_login(make_user(username="admin", is_staff=True, is_superuser=True))
    assessment = cycle.fresh("1a")
    url = reverse("admin:outcomes_assessment_change", args=[assessment.pk])
    response = client.post(url, _post(assessment, rag="G", change_reason="\u200b\u200b"))
    assert response.status_code == 200
    assert "Enter the reason for this change" in response.content.decode()
    assert cycle.fresh("1a").rag == assessment.rag
