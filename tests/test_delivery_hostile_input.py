"""Hostile input on the delivery forms: whatever arrives, a 4xx or a success, never a 5xx; nobody's
rows change but what the sender may change; markup sent back is escaped.

The same generated values as tests/test_hostile_input.py (1,000 examples per form unless
HYPOTHESIS_HOSTILE_EXAMPLES says otherwise), each example in a rolled-back savepoint.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from plans.models import Board, Milestone, RaidEntry, StatusLabel
from tests.delivery_world import DeliveryWorld
from tests.hostile import HOSTILE, PK, QUERY_VALUE, SignedIn, assert_fine, fields, undone


class HostileWorld(SignedIn):
    def __init__(self, world: DeliveryWorld):
        self.world = world
        super().__init__(world.people())


@pytest.fixture
def hostile(officer, programme_office, commissioner, democratic_services):
    return HostileWorld(
        DeliveryWorld(
            officer=officer,
            programme_office=programme_office,
            commissioner=commissioner,
            democratic_services=democratic_services,
        )
    )


def rows(*, except_milestones=(), except_raid=(), boards=True, labels=True) -> tuple:
    # SQLite cannot even compare an id beyond 64 bits: such an id names no row anyway.
    except_milestones = [pk for pk in except_milestones if pk < 2**63]
    except_raid = [pk for pk in except_raid if pk < 2**63]
    return (
        sorted(
            Milestone.objects.exclude(pk__in=except_milestones).values_list(
                "pk", "reference", "status", "note", "version", "owner", "due_date"
            )
        ),
        sorted(
            RaidEntry.objects.exclude(pk__in=except_raid).values_list(
                "pk", "reference", "likelihood", "impact", "version"
            )
        ),
        sorted(Board.objects.values_list("pk", "sees_everything", "priorities", "members")) if boards else [],
        sorted(StatusLabel.objects.values_list("label", "status")) if labels else [],
    )


MILESTONE_TARGETS = ["own", "others", "missing"]


def _milestone_pk(world: DeliveryWorld, target) -> int:
    if isinstance(target, int):
        return target
    return {"own": world.m1.pk, "others": world.m3.pk, "missing": 10**9}[target]


@HOSTILE
@given(
    target=st.one_of(st.sampled_from(MILESTONE_TARGETS), PK),
    data=fields(
        status=["at_risk", "complete", "on_track", ""], note=["Slipped a month."], version=["1", "2"]
    ),
)
def test_the_milestone_update_form_survives_anything(hostile, target, data):
    world = hostile.world
    pk = _milestone_pk(world, target)
    own = [world.m1.pk, world.m2.pk]
    with undone():
        before = rows(except_milestones=own)
        response = hostile.client("officer").post(reverse("delivery:milestone_update", args=[pk]), data)
        assert_fine(response, data)
        assert rows(except_milestones=own) == before
        if pk not in own:
            assert response.status_code in (403, 404)


MILESTONE_FIELDS = {
    "reference": ["M7", "M1"],
    "title": ["A new milestone."],
    "objective": ["1", "2", "999"],
    "owner": ["1", "2", "999"],
    "sponsor": ["JF"],
    "cabinet_sponsor": ["Cllr X"],
    "lead": ["KR"],
    # The GOV.UK date input's boxes (day, month, year), each one plausible, impossible or missing.
    **{
        f"start_date-{part}": values
        for part, values in (("day", ["1"]), ("month", ["1", "13"]), ("year", ["2025"]))
    },
    **{
        f"due_date-{part}": values
        for part, values in (("day", ["30", "31"]), ("month", ["6"]), ("year", ["2025", "3025"]))
    },
    "due_as_written": ["June 2025"],
}


@HOSTILE
@given(
    data=fields(**MILESTONE_FIELDS), as_who=st.sampled_from(["programme_office", "officer", "board_member"])
)
def test_the_add_a_milestone_form_survives_anything(hostile, data, as_who):
    with undone():
        before = rows()
        response = hostile.client(as_who).post(reverse("delivery:milestone_create", args=["plan-2025"]), data)
        assert_fine(response, data)
        if as_who != "programme_office":
            assert response.status_code == 403
        after = rows()
        assert after[1:] == before[1:]
        if response.status_code != 302:
            assert after == before


@HOSTILE
@given(
    target=st.one_of(st.sampled_from(MILESTONE_TARGETS), PK),
    data=fields(**MILESTONE_FIELDS, reason=["Corrected."], version=["1", "2"]),
)
def test_the_change_a_milestone_form_survives_anything(hostile, target, data):
    world = hostile.world
    pk = _milestone_pk(world, target)
    with undone():
        before = rows(except_milestones=[pk])
        response = hostile.client("programme_office").post(
            reverse("delivery:milestone_edit", args=[pk]), data
        )
        assert_fine(response, data)
        assert rows(except_milestones=[pk]) == before


RAID_FIELDS = {
    "reference": ["R9", "R1"],
    "kind": ["risk", "issue", "dependency"],
    "level": ["plan", "priority:1", "workstream:1", "theme:1", "priority:x", "priority:99999999999999999999"],
    "description": ["Funding may not arrive."],
    "owner": ["1", "999"],
    "likelihood": ["", "1", "5", "6", "0"],
    "impact": ["", "3", "5", "-1"],
    "mitigation": ["Talk to DLUHC."],
    "status": ["open", "closed"],
    **{
        f"review_date-{part}": values
        for part, values in (("day", ["30"]), ("month", ["9", "2"]), ("year", ["2025"]))
    },
    "escalated_to": ["", "1", "2", "999"],
}


@HOSTILE
@given(data=fields(**RAID_FIELDS), as_who=st.sampled_from(["programme_office", "commissioner"]))
def test_the_add_to_the_raid_log_form_survives_anything(hostile, data, as_who):
    with undone():
        before = rows()
        response = hostile.client(as_who).post(reverse("delivery:raid_create", args=["plan-2025"]), data)
        assert_fine(response, data)
        after = rows()
        assert after[0] == before[0] and after[2:] == before[2:]
        if response.status_code != 302:
            assert after == before


@HOSTILE
@given(
    target=st.one_of(st.sampled_from(["R1", "R2", "missing"]), PK),
    data=fields(**RAID_FIELDS, reason=["Reviewed."], version=["1", "2"]),
)
def test_the_change_a_raid_entry_form_survives_anything(hostile, target, data):
    world = hostile.world
    pk = (
        target
        if isinstance(target, int)
        else {"R1": world.risk.pk, "R2": world.low_risk.pk, "missing": 10**9}[target]
    )
    with undone():
        before = rows(except_raid=[pk])
        response = hostile.client("programme_office").post(reverse("delivery:raid_edit", args=[pk]), data)
        assert_fine(response, data)
        assert rows(except_raid=[pk]) == before


@HOSTILE
@given(
    slug=st.one_of(
        st.sampled_from(["financial-recovery-board", "nope"]),
        st.from_regex(r"[-a-z0-9_]{1,40}", fullmatch=True),
    ),
    data=fields(
        sees_everything=["on", ""],
        priorities=["1", "2", "999", "x"],
        themes=["1", "x"],
        members=["1", "2", "999"],
    ),
)
def test_the_board_mapping_form_survives_anything(hostile, slug, data):
    with undone():
        before = rows(boards=False)
        response = hostile.client("programme_office").post(reverse("delivery:board_edit", args=[slug]), data)
        assert_fine(response, data)
        assert rows(boards=False) == before


@HOSTILE
@given(
    data=fields(label=["Delayed", "On Track", "medium progress"], status=["off_track", "complete", "red"]),
    as_who=st.sampled_from(["programme_office", "democratic_services"]),
)
def test_the_status_label_form_survives_anything(hostile, data, as_who):
    with undone():
        before = rows(labels=False)
        labels_before = sorted(StatusLabel.objects.values_list("label", "status"))
        response = hostile.client(as_who).post(reverse("delivery:status_labels"), data)
        assert_fine(response, data)
        assert rows(labels=False) == before
        if response.status_code != 302:
            assert sorted(StatusLabel.objects.values_list("label", "status")) == labels_before


@HOSTILE
@given(
    board=st.sampled_from(["financial-recovery-board", "governance-recovery-board", "all", "nope"]),
    fmt=st.sampled_from(["", "pdf", "xlsx", "json", "docx"]),
    query=st.fixed_dictionaries(
        {},
        optional={
            "as_of": st.one_of(
                st.sampled_from(["2025-06-30", "2025-02-30", "9999-12-31", "0001-01-01"]), QUERY_VALUE
            ),
            "since": st.one_of(st.sampled_from(["2025-06-01", "2026-01-01"]), QUERY_VALUE),
            # The page's own form sends the date input's boxes.
            "as_of-day": st.one_of(st.sampled_from(["30", "31"]), QUERY_VALUE),
            "as_of-month": st.sampled_from(["6", "13"]),
            "as_of-year": st.sampled_from(["2025", "3025"]),
        },
    ),
    as_who=st.sampled_from(["board_member", "democratic_services"]),
)
def test_the_exception_report_and_its_downloads_survive_anything(hostile, board, fmt, query, as_who):
    if fmt and fmt != "pdf":  # the PDF is slow to print a thousand times; its path is the same
        url = reverse("delivery:exception_download", args=["plan-2025", board, fmt])
    else:
        url = reverse("delivery:exception_report", args=["plan-2025", board])
    with undone():
        before = rows()
        response = hostile.client(as_who).get(url, query)
        assert_fine(response, query)
        if fmt:  # asking for the file: the dates ride in the address, as the page's form sends them
            export = reverse("delivery:exception_export", args=["plan-2025", board, fmt])
            assert_fine(hostile.client(as_who).post(f"{export}?{urlencode(query, doseq=True)}"), query)
        assert rows() == before
