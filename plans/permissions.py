"""Who may read and change delivery: milestones, RAID logs, boards and their exception reports.

The Programme Office creates and edits milestones, RAID entries, boards and the status label
table; a milestone's owner updates its status and note; Commissioners read everything;
Democratic Services read and export; a Board member reads the exception reports of the boards
they sit on. Views and services both ask here.
"""

from __future__ import annotations

from accounts.roles import Role, has_role

DELIVERY_READERS = (Role.PROGRAMME_OFFICE, Role.COMMISSIONER, Role.DEMOCRATIC_SERVICES)
DELIVERY_EXPORTERS = (Role.PROGRAMME_OFFICE, Role.COMMISSIONER, Role.DEMOCRATIC_SERVICES)


def can_manage_delivery(user) -> bool:
    return has_role(user, Role.PROGRAMME_OFFICE)


def can_read_delivery(user) -> bool:
    """The milestone lists and RAID logs of every plan."""
    return has_role(user, *DELIVERY_READERS)


def can_open_delivery(user) -> bool:
    """The delivery section's front page: readers, and board members for their boards' reports."""
    return has_role(user, *DELIVERY_READERS, Role.BOARD_MEMBER)


def is_milestone_owner(user, milestone) -> bool:
    return user.is_authenticated and milestone.owner_id is not None and milestone.owner_id == user.pk


def can_update_milestone(user, milestone) -> bool:
    """Status and progress note: the milestone's owner, and only them."""
    return is_milestone_owner(user, milestone)


def can_view_milestone(user, milestone) -> bool:
    return is_milestone_owner(user, milestone) or can_read_delivery(user)


def can_read_board_report(user, board, *, member_board_ids: frozenset[int] | None = None) -> bool:
    if can_read_delivery(user):
        return True
    if not has_role(user, Role.BOARD_MEMBER):
        return False
    if member_board_ids is None:
        member_board_ids = board_ids_of(user)
    return board.pk in member_board_ids


def board_ids_of(user) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_irp_board_ids", None)
    if cached is None:
        cached = frozenset(user.boards.values_list("pk", flat=True))
        user._irp_board_ids = cached
    return cached


def can_export_delivery(user) -> bool:
    return has_role(user, *DELIVERY_EXPORTERS)
