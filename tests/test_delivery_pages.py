"""Delivery pages: owners update milestones, the Programme Office keeps the log, boards read by exception.

Every role against every delivery page (the permission matrix for delivery), each refused request
changing nothing; bad input answered with an error summary and no change; query counts flat.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.urls import reverse

from plans.models import Board, Milestone, RaidEntry, StatusLabel
from tests.exports import delivery_file_of
from tests.factories import UserFactory
from tests.scenarios import date_input


def snapshot() -> tuple:
    return (
        list(Milestone.objects.order_by("pk").values_list("reference", "status", "note", "version", "owner")),
        list(RaidEntry.objects.order_by("pk").values_list("reference", "likelihood", "impact", "version")),
        list(Board.objects.order_by("pk").values_list("sees_everything", "priorities", "members")),
        list(StatusLabel.objects.order_by("label").values_list("label", "status")),
    )


# --------------------------------------------------------------------------- journeys


def test_an_owner_marks_their_milestone_at_risk_with_a_note(client, world):
    client.force_login(world.officer)
    page = client.get(reverse("outcomes:my_updates"))
    assert "Delivery: milestones you own" in page.content.decode()
    assert reverse("delivery:milestone_update", args=[world.m1.pk]) in page.content.decode()

    response = client.post(
        reverse("delivery:milestone_update", args=[world.m1.pk]),
        {"status": "at_risk", "note": "The savings target slipped a month.", "version": 1},
    )
    assert response.status_code == 302
    world.m1.refresh_from_db()
    assert (world.m1.status, world.m1.note, world.m1.version) == (
        "at_risk",
        "The savings target slipped a month.",
        2,
    )
    latest = world.m1.history.first()
    assert latest.history_user == world.officer
    assert latest.history_change_reason == "The savings target slipped a month."
    page = client.get(reverse("delivery:milestone_update", args=[world.m1.pk])).content.decode()
    assert "At risk" in page and "The savings target slipped a month." in page


def test_an_update_without_a_note_is_refused_with_an_error_summary_and_changes_nothing(client, world):
    client.force_login(world.officer)
    before = snapshot()
    response = client.post(
        reverse("delivery:milestone_update", args=[world.m1.pk]), {"status": "rubbish", "version": 1}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "There is a problem" in body
        and "Enter a progress note" in body
        and "Choose one of the statuses" in body
    )
    assert snapshot() == before


def test_two_people_editing_the_same_version_do_not_overwrite_each_other(client, world):
    client.force_login(world.officer)
    url = reverse("delivery:milestone_update", args=[world.m1.pk])
    assert client.post(url, {"status": "complete", "note": "Done.", "version": 1}).status_code == 302
    response = client.post(url, {"status": "off_track", "note": "Stale tab.", "version": 1})
    assert response.status_code == 409
    assert "saved a change while you were editing" in response.content.decode()
    world.m1.refresh_from_db()
    assert world.m1.status == "complete"


def test_the_programme_office_adds_a_milestone_beside_the_objectives_outputs(client, world):
    client.force_login(world.programme_office)
    page = client.get(reverse("delivery:milestone_list", args=[world.plan.slug])).content.decode()
    assert "A balanced budget for 2025/26." in page
    response = client.post(
        reverse("delivery:milestone_create", args=[world.plan.slug]),
        {
            "reference": "M4",
            "title": "Budget consulted on",
            "objective": world.objective.pk,
            "owner": world.officer.pk,
            **date_input("due_date", "2025-11-30"),
            "due_as_written": "November 2025",
        },
    )
    assert response.status_code == 302
    created = Milestone.objects.get(reference="M4")
    assert (created.objective, created.owner, created.due_date) == (
        world.objective,
        world.officer,
        dt.date(2025, 11, 30),
    )
    assert created.history.first().history_user == world.programme_office
    duplicate = client.post(
        reverse("delivery:milestone_create", args=[world.plan.slug]), {"reference": "M4", "title": "Again"}
    )
    assert duplicate.status_code == 409 and "already has a milestone M4" in duplicate.content.decode()


def test_the_programme_office_scores_a_risk_and_escalates_it(client, world):
    client.force_login(world.programme_office)
    response = client.post(
        reverse("delivery:raid_edit", args=[world.low_risk.pk]),
        {
            "reference": "R2",
            "kind": "risk",
            "level": f"priority:{world.governance.pk}",
            "description": "Training slips",
            "likelihood": "5",
            "impact": "3",
            "status": "open",
            "escalated_to": world.finance_board.pk,
            "reason": "Reviewed at the programme board.",
            "version": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    world.low_risk.refresh_from_db()
    assert (world.low_risk.score, world.low_risk.escalated_to) == (15, world.finance_board)
    assert world.low_risk.history.first().history_change_reason == "Reviewed at the programme board."


def test_a_board_member_reads_their_boards_exception_report_and_not_anothers(client, world):
    client.force_login(world.board_member)
    Milestone.objects.filter(pk=world.m1.pk).update(status="at_risk")
    home = client.get(reverse("delivery:home")).content.decode()
    assert "Financial Recovery Board" in home and "Governance Recovery Board" not in home
    url = reverse("delivery:exception_report", args=[world.plan.slug, world.finance_board.slug])
    page = client.get(url, {"as_of": "2025-06-30"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Savings plan agreed" in body and "Audit committee refreshed" not in body
    assert (
        client.get(
            reverse("delivery:exception_report", args=[world.plan.slug, world.governance_board.slug])
        ).status_code
        == 403
    )
    assert client.get(url.rstrip("/") + "/download.pdf").status_code == 403  # reading, not exporting


def test_democratic_services_download_the_exception_report(client, world):
    client.force_login(world.democratic_services)
    response = delivery_file_of(
        client, world.plan.slug, world.finance_board.slug, "json", {"as_of": "2025-06-30"}
    )
    assert response.status_code == 200
    assert json.loads(response.getvalue())["exceptions"] == ["M1", "M2"]  # M1 overdue, M2 has no due date


def test_a_bad_report_date_gets_an_error_summary(client, world):
    client.force_login(world.commissioner)
    response = client.get(
        reverse("delivery:exception_report", args=[world.plan.slug, "all"]), {"as_of": "31/06/2025"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The report&#x27;s date must be a real date" in body
    # The date as it was written is put back in the GOV.UK date input's boxes to be corrected.
    assert 'class="govuk-date-input"' in body and 'type="date"' not in body
    assert 'name="as_of-day" type="text" inputmode="numeric" value="31"' in body


def test_a_report_date_is_chosen_in_day_month_and_year_boxes(client, world):
    client.force_login(world.commissioner)
    url = reverse("delivery:exception_report", args=[world.plan.slug, "all"])

    response = client.get(url, {**date_input("as_of", "2025-06-30"), **date_input("since", "2025-06-01")})

    assert response.status_code == 200
    assert "As of 30 June 2025, compared with 1 June 2025." in response.content.decode()
    refused = client.get(url, {**date_input("as_of", "2025-06-30"), **date_input("since", "2025-07-01")})
    assert refused.status_code == 400
    assert "The previous report&#x27;s date must be before the report&#x27;s date" in refused.content.decode()


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("2025--30", "Due date must include a month"),
        ("2025-02-30", "Due date must be a real date"),
        ("3025-01-01", "Due date must be between 1900 and 2999"),
    ],
)
def test_a_bad_due_date_is_refused_beside_its_boxes_and_no_milestone_is_added(client, world, due, message):
    client.force_login(world.programme_office)

    response = client.post(
        reverse("delivery:milestone_create", args=[world.plan.slug]),
        {"reference": "M9", "title": "Budget consulted on", **date_input("due_date", due)},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert 'class="govuk-date-input"' in body and 'type="date"' not in body
    assert not Milestone.objects.filter(reference="M9").exists()


def test_the_dashboard_shows_the_delivery_panel(client, world):
    from plans.models import Plan

    Plan.objects.exclude(pk=world.plan.pk).delete()
    client.force_login(world.commissioner)
    body = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Delivery:" in body and "Top risks" in body and "Savings fall short" in body


def test_a_milestone_marked_off_track_shows_on_the_commissioners_kept_dashboard_at_once(client, world):
    """The delivery panel is kept apart from the ratings, until a milestone or risk changes."""
    import re

    from plans.models import Plan

    Plan.objects.exclude(pk=world.plan.pk).delete()

    def off_track() -> str:
        client.force_login(world.commissioner)
        page = client.get(reverse("reporting:dashboard")).content.decode()
        return re.search(r"Off track</strong></dt><dd[^>]*>(\d+ of \d+)<", page).group(1)

    before = off_track()
    assert off_track() == before  # read again from what was kept
    client.force_login(world.officer)
    answer = client.post(
        reverse("delivery:milestone_update", args=[world.m1.pk]),
        {"status": "off_track", "note": "The contract was not signed.", "version": 1},
    )
    assert answer.status_code == 302
    count, total = (int(n) for n in before.split(" of "))
    assert off_track() == f"{count + 1} of {total}"


# --------------------------------------------------------------------------- the permission matrix


def _update(client, world, person):
    return client.post(
        reverse("delivery:milestone_update", args=[world.m1.pk]),
        {"status": "off_track", "note": "Tried.", "version": 1},
    )


def _create_milestone(client, world, person):
    return client.post(
        reverse("delivery:milestone_create", args=[world.plan.slug]), {"reference": "M9", "title": "New"}
    )


def _edit_milestone(client, world, person):
    return client.post(
        reverse("delivery:milestone_edit", args=[world.m3.pk]),
        {"reference": "M3", "title": "Changed", "reason": "Why not.", "version": 1},
    )


def _create_raid(client, world, person):
    return client.post(
        reverse("delivery:raid_create", args=[world.plan.slug]),
        {"reference": "R9", "kind": "issue", "level": "plan", "description": "New", "status": "open"},
    )


def _edit_board(client, world, person):
    return client.post(
        reverse("delivery:board_edit", args=[world.finance_board.slug]), {"sees_everything": "on"}
    )


def _save_label(client, world, person):
    return client.post(reverse("delivery:status_labels"), {"label": "Delayed", "status": "off_track"})


def _ask_for_file(client, world, person):
    return client.post(
        reverse("delivery:exception_export", args=[world.plan.slug, world.finance_board.slug, "xlsx"])
    )


def _get(name, *args):
    def act(client, world, person):
        resolved = [
            getattr(world, a[1:]).pk
            if a.startswith(":")
            else getattr(world, a[1:]).slug
            if a.startswith("~")
            else a
            for a in args
        ]
        return client.get(reverse(name, args=resolved))

    return act


ACTORS = [
    "officer",
    "other_officer",
    "programme_office",
    "commissioner",
    "democratic_services",
    "board_member",
    "other_board_member",
    "staff_admin",
    "anonymous",
]
READERS = {"programme_office", "commissioner", "democratic_services", "staff_admin"}
PO = {"programme_office", "staff_admin"}
ACTIONS = {
    "update own milestone": (_update, True, {"officer"}),
    "open a milestone": (_get("delivery:milestone_update", ":m1"), False, READERS | {"officer"}),
    "add a milestone": (_create_milestone, True, PO),
    "change a milestone": (_edit_milestone, True, PO),
    "add to the RAID log": (_create_raid, True, PO),
    "change a board": (_edit_board, True, PO),
    "change a status label": (_save_label, True, PO),
    "open delivery": (_get("delivery:home"), False, READERS | {"board_member", "other_board_member"}),
    "list milestones": (_get("delivery:milestone_list", "plan-2025"), False, READERS),
    "read the RAID log": (_get("delivery:raid_list", "plan-2025"), False, READERS),
    "list boards": (_get("delivery:board_list"), False, READERS),
    "read the status labels": (_get("delivery:status_labels"), False, READERS),
    "read the finance board's report": (
        _get("delivery:exception_report", "plan-2025", "financial-recovery-board"),
        False,
        READERS | {"board_member"},
    ),
    "read the whole plan's report": (_get("delivery:exception_report", "plan-2025", "all"), False, READERS),
    "download the finance board's report": (
        _get("delivery:exception_download", "plan-2025", "financial-recovery-board", "xlsx"),
        False,
        READERS,
    ),
    "ask for the finance board's report as a file": (_ask_for_file, False, READERS),
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_delivery_permission_matrix(client, world, actor, action):
    people = {
        **world.people(),
        "staff_admin": UserFactory(username="admin", is_staff=True, is_superuser=True),
        "anonymous": None,
    }
    person = people[actor]
    if person is not None:
        client.force_login(person)
    function, is_write, allowed = ACTIONS[action]
    before = snapshot()
    response = function(client, world, person)
    after = snapshot()
    if person is None:
        assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))
        assert after == before
    elif actor in allowed:
        assert response.status_code in (200, 302), f"{actor} should be able to {action}"
        if is_write:
            assert after != before, f"{actor}'s {action} changed nothing"
    else:
        assert response.status_code == 403, f"{actor} should not be able to {action}"
        assert after == before


# --------------------------------------------------------------------------- flat query counts


from outcomes.scale import build_synthetic_plan  # noqa: E402

SIZES = [pytest.param(1, id="x1"), pytest.param(100, id="x100", marks=pytest.mark.slow)]


@pytest.mark.parametrize("factor", SIZES)
def test_delivery_pages_run_a_fixed_number_of_queries(
    client, programme_office, django_assert_num_queries, factor
):
    plan = build_synthetic_plan(factor=factor, periods=2)
    owner = plan.milestones.order_by("pk").first().owner
    board = Board.objects.create(slug="board", name="Board")
    board.priorities.set(plan.priorities.all())
    pages = [
        (reverse("delivery:exception_report", args=[plan.slug, "board"]), {"as_of": "2025-06-30"}, 16),
        (reverse("delivery:exception_report", args=[plan.slug, "all"]), {}, 11),
        (reverse("delivery:milestone_list", args=[plan.slug]), {}, 8),
        (reverse("delivery:raid_list", args=[plan.slug]), {}, 6),
        (reverse("delivery:home"), {}, 10),
    ]
    client.force_login(programme_office)
    for url, data, expected in pages:
        with django_assert_num_queries(expected):
            assert client.get(url, data).status_code == 200
    client.force_login(owner)
    milestone = plan.milestones.filter(owner=owner).first()
    with django_assert_num_queries(8):
        assert client.get(reverse("delivery:milestone_update", args=[milestone.pk])).status_code == 200
    with django_assert_num_queries(7):  # the officer's criteria and their milestones
        assert client.get(reverse("outcomes:my_updates")).status_code == 200
