"""A small 2023-shaped plan with milestones, a RAID log and two boards, for the delivery tests."""

from __future__ import annotations

import datetime as dt

from accounts.roles import Role
from plans.models import Board, Milestone, RaidEntry, StatusLabel
from tests.factories import ObjectiveFactory, PlanFactory, PriorityFactory, UserFactory, WorkstreamFactory

# plans/migrations/0002's defaults: a transactional test (the browser journeys) empties the table.
DEFAULT_STATUS_LABELS = [
    ("On Track", "on_track"),
    ("Medium Progress", "at_risk"),
    ("Not due to start", "not_started"),
]


def ensure_default_status_labels() -> None:
    for label, status in DEFAULT_STATUS_LABELS:
        StatusLabel.objects.get_or_create(label=label, defaults={"status": status})


class DeliveryWorld:
    """Priority 1 (finance, overseen by the finance board) and priority 2 (governance). The officer
    owns M1 (due 31 May 2025) and M2 (no due date); someone else owns M3 under priority 2."""

    def __init__(self, *, officer, programme_office, commissioner, democratic_services):
        ensure_default_status_labels()
        self.plan = PlanFactory(slug="plan-2025")
        self.finance = PriorityFactory(plan=self.plan, number=1, title="Improving financial sustainability")
        self.governance = PriorityFactory(plan=self.plan, number=2, title="Improving governance")
        self.finance_ws = WorkstreamFactory(priority=self.finance, number=1, title="Budget savings")
        self.governance_ws = WorkstreamFactory(priority=self.governance, number=1, title="Audit")
        self.objective = ObjectiveFactory(workstream=self.finance_ws, number=1, text="Close the budget gap.")
        self.objective.outputs = "A balanced budget for 2025/26."
        self.objective.save()
        self.other_objective = ObjectiveFactory(
            workstream=self.governance_ws, number=1, text="Strengthen audit."
        )
        self.officer = officer
        self.other_officer = UserFactory(role=Role.OFFICER, username="officer-b")
        self.programme_office = programme_office
        self.commissioner = commissioner
        self.democratic_services = democratic_services
        self.board_member = UserFactory(role=Role.BOARD_MEMBER, username="board-member")
        self.other_board_member = UserFactory(role=Role.BOARD_MEMBER, username="board-member-b")
        self.finance_board = Board.objects.create(
            slug="financial-recovery-board", name="Financial Recovery Board"
        )
        self.finance_board.priorities.add(self.finance)
        self.finance_board.members.add(self.board_member)
        self.governance_board = Board.objects.create(
            slug="governance-recovery-board", name="Governance Recovery Board"
        )
        self.governance_board.priorities.add(self.governance)
        self.governance_board.members.add(self.other_board_member)
        self.m1 = Milestone.objects.create(
            plan=self.plan,
            objective=self.objective,
            reference="M1",
            title="Savings plan agreed",
            owner=officer,
            start_date=dt.date(2025, 1, 1),
            due_date=dt.date(2025, 5, 31),
            due_as_written="May 2025",
            status="on_track",
        )
        self.m2 = Milestone.objects.create(
            plan=self.plan,
            objective=self.objective,
            reference="M2",
            title="Asset disposals reviewed",
            owner=officer,
            start_date=dt.date(2025, 1, 1),
            due_as_written="Ongoing",
            status="on_track",
        )
        self.m3 = Milestone.objects.create(
            plan=self.plan,
            objective=self.other_objective,
            reference="M3",
            title="Audit committee refreshed",
            owner=self.other_officer,
            start_date=dt.date(2025, 1, 1),
            due_date=dt.date(2025, 9, 30),
            status="on_track",
        )
        self.risk = RaidEntry.objects.create(
            plan=self.plan,
            priority=self.finance,
            reference="R1",
            description="Savings fall short",
            likelihood=4,
            impact=4,
        )
        self.low_risk = RaidEntry.objects.create(
            plan=self.plan,
            priority=self.governance,
            reference="R2",
            description="Training slips",
            likelihood=2,
            impact=2,
        )

    def people(self) -> dict:
        return {
            "officer": self.officer,
            "other_officer": self.other_officer,
            "programme_office": self.programme_office,
            "commissioner": self.commissioner,
            "democratic_services": self.democratic_services,
            "board_member": self.board_member,
            "other_board_member": self.other_board_member,
        }
