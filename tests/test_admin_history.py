"""Staff who correct an assessment in the admin leave a history record with their name and reason."""
from django.urls import reverse

from outcomes.models import Assessment


def test_editing_an_assessment_in_the_admin_records_who_and_why(client, thurrock, make_user):
    admin = make_user(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assessment = Assessment.objects.select_related("criterion__outcome").get(
        period__slug="2024-25-q3", criterion__outcome__number=1, criterion__letter="c"
    )
    url = reverse("admin:outcomes_assessment_change", args=[assessment.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "period": assessment.period_id,
            "criterion": assessment.criterion_id,
            "rag": "G",
            "narrative": assessment.narrative + " Final AGS signed off.",
            "status": assessment.status,
            "return_comment": "",
            "change_reason": "Correcting a typing error reported by the service lead",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = assessment.history.first()
    assert latest.rag == "G"
    assert latest.history_user == admin
    assert latest.history_change_reason == "Correcting a typing error reported by the service lead"
    history_page = client.get(reverse("admin:outcomes_assessment_history", args=[assessment.pk]))
    assert "Correcting a typing error" in history_page.content.decode()


def test_an_admin_edit_without_a_reason_is_refused(client, thurrock, make_user):
    admin = make_user(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assessment = Assessment.objects.filter(period__slug="2024-25-q3").first()
    rag_before, records_before = assessment.rag, assessment.history.count()
    url = reverse("admin:outcomes_assessment_change", args=[assessment.pk])
    response = client.post(
        url,
        {"period": assessment.period_id, "criterion": assessment.criterion_id,
         "rag": "R" if rag_before != "R" else "G",
         "narrative": assessment.narrative, "status": assessment.status, "return_comment": ""},
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.rag == rag_before
    assert assessment.history.count() == records_before
