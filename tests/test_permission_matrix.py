"""Who may do what: every role against every action, checked on the server.

Each cell builds the same small plan (tests.scenarios.Cycle), lets one person try one
action through the web, and checks both the answer and the database: a refused action (403, or
the sign-in page for someone signed out) changes nothing at all, forged POSTs included.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from outcomes import services
from outcomes.models import (
    Assessment,
    CommissionerJudgement,
    JudgementPublication,
    Measure,
    MeasureEvidence,
    OutcomeSummary,
    ReminderSent,
    ReportingPeriod,
)
from tests.factories import UserFactory
from tests.scenarios import Cycle, date_input, days_from_today

OK, DENIED, SIGN_IN = "ok", "denied", "sign-in"

ACTORS = [
    "officer",
    "other_officer",  # an officer who owns none of outcome 1's criteria
    "lead_director",
    "other_lead_director",
    "programme_office",
    "commissioner",
    "democratic_services",
    "board_member",  # reads what is published; delivery's own matrix is in test_delivery_pages.py
    "staff_admin",
    "anonymous",
]


def snapshot() -> tuple:
    """Everything an action could change."""
    return (
        list(
            Assessment.objects.order_by("pk").values_list(
                "rag", "narrative", "status", "version", "criterion__owner"
            )
        ),
        list(ReportingPeriod.objects.order_by("pk").values_list("slug", "state")),
        list(OutcomeSummary.objects.order_by("pk").values_list("text", "version")),
        ReminderSent.objects.count(),
        len(mail.outbox),
        list(CommissionerJudgement.objects.order_by("pk").values_list("rag", "commentary")),
        list(JudgementPublication.objects.values_list("for_publication")),
        list(MeasureEvidence.objects.order_by("pk").values_list("status", "note")),
    )


def _post_update(client, cycle, ref, *, action="save_draft"):
    assessment = cycle.fresh(ref)
    return client.post(
        cycle.url(ref),
        {
            "rag": "R",
            "narrative": "Forged or not, this is new text.",
            "version": assessment.version,
            "action": action,
        },
    )


def act_view_my_updates(client, cycle, actor):
    return client.get(reverse("outcomes:my_updates"))


def act_view_update_page(client, cycle, actor):
    return client.get(cycle.url("1a"))


def act_edit_own(client, cycle, actor):
    if actor is not None:
        criterion = cycle.criteria["1a"]
        criterion.owner = actor
        criterion.save()
    return _post_update(client, cycle, "1a")


def act_submit_own(client, cycle, actor):
    if actor is not None:
        criterion = cycle.criteria["1a"]
        criterion.owner = actor
        criterion.save()
    return _post_update(client, cycle, "1a", action="submit")


def _someone_elses(cycle, actor) -> str:
    return "1b" if actor == cycle.other_officer else "2a"


def act_edit_others(client, cycle, actor):
    return _post_update(client, cycle, _someone_elses(cycle, actor))


def act_submit_others(client, cycle, actor):
    return _post_update(client, cycle, _someone_elses(cycle, actor), action="submit")


def act_approve(client, cycle, actor):
    submitted = services.assessment_submit(
        assessment=cycle.fresh("1a"), by=cycle.officer, rag="G", narrative="Done.", expected_version=1
    )
    return client.post(
        reverse("outcomes:assessment_approve", args=[submitted.pk]), {"version": submitted.version}
    )


def act_return(client, cycle, actor):
    submitted = services.assessment_submit(
        assessment=cycle.fresh("1a"), by=cycle.officer, rag="G", narrative="Done.", expected_version=1
    )
    return client.post(
        reverse("outcomes:assessment_return", args=[submitted.pk]),
        {"comment": "Please redo.", "version": submitted.version},
    )


def act_write_summary(client, cycle, actor):
    url = reverse("outcomes:signoff_outcome", args=[cycle.period.slug, cycle.outcomes[1].pk])
    return client.post(url, {"text": "Outcome 1 is on track.", "version": 1})


def act_view_signoff(client, cycle, actor):
    return client.get(reverse("outcomes:signoff"))


def act_open_period(client, cycle, actor):
    services.period_close(period=cycle.period, by=cycle.programme_office)
    return client.post(
        reverse("outcomes:period_open"),
        {
            "title": "Quarter to June 2025",
            "slug": "2025-26-q1",
            "short_label": "Jun 25",
            **date_input("start", "2025-04-01"),
            **date_input("end", "2025-06-30"),
            **date_input("deadline", days_from_today(21)),
        },
    )


def act_close_period(client, cycle, actor):
    return client.post(reverse("outcomes:period_close", args=[cycle.period.slug]))


def act_publish_period(client, cycle, actor):
    services.period_close(period=cycle.period, by=cycle.programme_office)
    return client.post(reverse("outcomes:period_publish", args=[cycle.period.slug]))


def act_reopen_period(client, cycle, actor):
    services.period_close(period=cycle.period, by=cycle.programme_office)
    return client.post(
        reverse("outcomes:period_reopen", args=[cycle.period.slug]), {"reason": "A correction."}
    )


def act_view_periods(client, cycle, actor):
    return client.get(reverse("outcomes:period_list"))


def act_view_completion(client, cycle, actor):
    return client.get(reverse("outcomes:completion", args=[cycle.period.slug]))


def act_chase(client, cycle, actor):
    return client.post(reverse("outcomes:completion_chase", args=[cycle.period.slug]))


def act_view_history(client, cycle, actor):
    return client.get(reverse("outcomes:criterion_history", args=[cycle.criteria["1a"].pk]))


def act_write_judgement(client, cycle, actor):
    url = reverse("outcomes:judgement_edit", args=[cycle.period.slug, cycle.outcomes[1].pk])
    return client.post(url, {"rag": "A", "commentary": "Progress, but not yet assured."})


def act_decide_judgement_publication(client, cycle, actor):
    url = reverse("outcomes:judgement_publication", args=[cycle.period.slug])
    return client.post(url, {"for_publication": "yes"})


def act_record_evidence(client, cycle, actor):
    measure, _ = Measure.objects.get_or_create(
        outcome=cycle.outcomes[1], number=1, defaults={"text": "A measure."}
    )
    url = reverse("outcomes:evidence_edit", args=[cycle.period.slug, measure.pk])
    return client.post(url, {"action": "status", "status": "evidenced", "note": "Minutes of May."})


def act_view_outcome_page(client, cycle, actor):
    return client.get(reverse("reporting:outcome_period", args=[cycle.outcomes[1].pk, cycle.period.slug]))


def act_view_metric_import(client, cycle, actor):
    return client.get(reverse("outcomes:metric_import", args=[cycle.plan.slug]))


# action → (function, is a write, who may do it)
OFFICERS = {"officer", "other_officer", "staff_admin"}
LEAD = {"lead_director"}
PROGRAMME = {"programme_office", "staff_admin"}
READERS = set(ACTORS) - {"anonymous"}
ACTIONS = {
    "view my updates": (act_view_my_updates, False, OFFICERS),
    "view an update page": (act_view_update_page, False, READERS - {"other_officer", "board_member"}),
    "edit own criterion": (act_edit_own, True, OFFICERS),
    "submit own criterion": (act_submit_own, True, OFFICERS),
    "edit another's criterion": (act_edit_others, True, set()),
    "submit another's criterion": (act_submit_others, True, set()),
    "approve": (act_approve, True, LEAD),
    "return": (act_return, True, LEAD),
    "write the summary": (act_write_summary, True, LEAD),
    "view sign-off": (act_view_signoff, False, {"lead_director", "other_lead_director", "staff_admin"}),
    "open a period": (act_open_period, True, PROGRAMME),
    "close a period": (act_close_period, True, PROGRAMME),
    "publish a period": (act_publish_period, True, PROGRAMME),
    "re-open a period": (act_reopen_period, True, PROGRAMME),
    "view periods": (act_view_periods, False, PROGRAMME),
    "view completion": (act_view_completion, False, PROGRAMME),
    "chase owners": (act_chase, True, PROGRAMME),
    "view history": (act_view_history, False, READERS),
    # The evaluation framework: only commissioners write their judgement (not even a staff admin).
    "write commissioners' judgement": (act_write_judgement, True, {"commissioner"}),
    "decide judgement publication": (act_decide_judgement_publication, True, {"commissioner"}),
    "record a measure's evidence": (
        act_record_evidence,
        True,
        {"lead_director", "programme_office", "staff_admin"},
    ),
    "view an outcome's draft page": (
        act_view_outcome_page,
        False,
        READERS - {"officer", "other_officer", "board_member"},
    ),
    "open the metric import page": (act_view_metric_import, False, PROGRAMME),
}


@pytest.fixture
def people(officer, lead_director, programme_office, commissioner, democratic_services):
    return {
        "officer": officer,
        "other_officer": UserFactory(role=Role.OFFICER, username="officer-b"),
        "lead_director": lead_director,
        "other_lead_director": UserFactory(role=Role.LEAD_DIRECTOR, username="director-b"),
        "programme_office": programme_office,
        "commissioner": commissioner,
        "democratic_services": democratic_services,
        "board_member": UserFactory(role=Role.BOARD_MEMBER, username="board-member"),
        "staff_admin": UserFactory(username="admin", is_staff=True, is_superuser=True),
        "anonymous": None,
    }


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(client, people, monkeypatch, actor_name, action):
    monkeypatch.setattr(services, "_publication_blockers", lambda period: [])  # checks are tested elsewhere
    cycle = Cycle(
        officer=people["officer"],
        director=people["lead_director"],
        other_officer=people["other_officer"],
        other_director=people["other_lead_director"],
    )
    cycle.programme_office = people["programme_office"]
    actor = people[actor_name]
    if actor is not None:
        client.force_login(actor)
    function, is_write, allowed = ACTIONS[action]
    expected = SIGN_IN if actor is None else OK if actor_name in allowed else DENIED

    # setup steps inside the action (submitting, closing) happen before the snapshot is compared
    before_holder = {}
    original_post, original_get = client.post, client.get

    def capture(method):
        def call(*args, **kwargs):
            before_holder["state"] = snapshot()
            return method(*args, **kwargs)

        return call

    client.post, client.get = capture(original_post), capture(original_get)
    response = function(client, cycle, actor)
    before = before_holder["state"]
    after = snapshot()

    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
        assert after == before
    elif expected == DENIED:
        assert response.status_code == 403, f"{actor_name} should not be able to {action}"
        assert after == before, f"{actor_name} changed something trying to {action}"
    else:
        assert response.status_code in (200, 302), f"{actor_name} should be able to {action}"
        if is_write:
            assert after != before, f"{actor_name}'s {action} changed nothing"
