"""Changes to delivery records. Each runs in one transaction with its history row (who and why).

Milestone and RAID edits carry the version the form was loaded with, and are refused if
someone else has saved since, rather than overwriting them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.people import display_name
from plans import permissions
from plans.delivery import effective_status, is_overdue, is_stale, status_label_table
from plans.exceptions import DeliveryError, DeliveryNotAllowed, DeliveryStaleEdit
from plans.models import (
    Board,
    DeliveryReminderKind,
    DeliveryReminderSent,
    Milestone,
    MilestoneStatus,
    Objective,
    Plan,
    RaidEntry,
    StatusLabel,
)

logger = logging.getLogger(__name__)

NOTE_MAX_LENGTH = 5_000
TEXT_MAX_LENGTH = 10_000
DUE_SOON_DAYS = 7
REPEAT_EVERY_DAYS = 7


def _clean(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _stamp(instance: Model, *, by, reason: str) -> None:
    instance._history_user = by
    instance._change_reason = reason or None


# --------------------------------------------------------------------------- milestones


def milestone_update(*, milestone: Milestone, by, status: str, note: str, expected_version: int) -> Milestone:
    """The owner records where a milestone stands and why. The note is the history's reason."""
    note = _clean(note)
    if status not in MilestoneStatus.values:
        raise DeliveryError("Choose the milestone's status.")
    if not note:
        raise DeliveryError("Enter a progress note saying what has changed.")
    if len(note) > NOTE_MAX_LENGTH:
        raise DeliveryError(f"The progress note must be {NOTE_MAX_LENGTH:,} characters or fewer.")
    with transaction.atomic():
        current = (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=milestone.pk)
        )
        if not permissions.can_update_milestone(by, current):
            raise DeliveryNotAllowed("You can only update the milestones you own.")
        if current.version != expected_version:
            raise DeliveryStaleEdit(current)
        current.status = status
        current.note = note
        current.version += 1
        current.last_update_at = timezone.now()
        current.updated_by = by
        _stamp(current, by=by, reason=note)
        current.save()
    return current


MILESTONE_FIELDS = (
    "reference",
    "title",
    "owner",
    "sponsor",
    "cabinet_sponsor",
    "lead",
    "start_date",
    "due_date",
    "due_as_written",
)


def milestone_create(*, plan: Plan, objective: Objective | None, by, values: dict) -> Milestone:
    """The Programme Office adds a milestone under one of the plan's objectives (or the plan)."""
    if not permissions.can_manage_delivery(by):
        raise DeliveryNotAllowed("Only the Programme Office can add milestones.")
    if objective is not None and objective.workstream.priority.plan_id != plan.pk:
        raise DeliveryError("That objective is not in this plan.")
    with transaction.atomic():
        if Milestone.objects.filter(plan=plan, reference=values["reference"]).exists():
            raise DeliveryError(
                f"This plan already has a milestone {values['reference']}: choose another reference."
            )
        milestone = Milestone(plan=plan, objective=objective, updated_by=by)
        for name in MILESTONE_FIELDS:
            setattr(milestone, name, values.get(name, getattr(milestone, name)))
        _stamp(milestone, by=by, reason="Milestone added")
        milestone.save()
    return milestone


def milestone_edit(
    *, milestone: Milestone, by, values: dict, expected_version: int, reason: str
) -> Milestone:
    """The Programme Office corrects a milestone's definition (not its status: that is the owner's)."""
    if not permissions.can_manage_delivery(by):
        raise DeliveryNotAllowed("Only the Programme Office can change a milestone.")
    reason = _clean(reason)
    if not reason:
        raise DeliveryError("Enter the reason for the change.")
    if len(reason) > NOTE_MAX_LENGTH:
        raise DeliveryError(f"The reason must be {NOTE_MAX_LENGTH:,} characters or fewer.")
    with transaction.atomic():
        current = (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=milestone.pk)
        )
        if current.version != expected_version:
            raise DeliveryStaleEdit(current)
        if (
            Milestone.objects.filter(plan_id=current.plan_id, reference=values["reference"])
            .exclude(pk=current.pk)
            .exists()
        ):
            raise DeliveryError(
                f"This plan already has a milestone {values['reference']}: choose another reference."
            )
        for name in MILESTONE_FIELDS:
            setattr(current, name, values[name])
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=reason)
        current.save()
    return current


# --------------------------------------------------------------------------- RAID log

RAID_FIELDS = (
    "reference",
    "kind",
    "description",
    "owner",
    "likelihood",
    "impact",
    "mitigation",
    "status",
    "review_date",
    "escalated_to",
    "priority",
    "workstream",
    "theme",
    "theme_workstream",
)


def _check_raid_values(plan: Plan, values: dict) -> None:
    for name in ("likelihood", "impact"):
        value = values.get(name)
        if value is not None and not 1 <= value <= 5:
            raise DeliveryError(f"The {name} must be from 1 to 5.")
    levels = {
        "priority": lambda level: level.plan_id,
        "workstream": lambda level: level.priority.plan_id,
        "theme": lambda level: level.plan_id,
        "theme_workstream": lambda level: level.theme.plan_id,
    }
    for name, plan_of in levels.items():
        level = values.get(name)
        if level is not None and plan_of(level) != plan.pk:
            raise DeliveryError("That priority, theme or workstream is not in this plan.")


def raid_create(*, plan: Plan, by, values: dict) -> RaidEntry:
    if not permissions.can_manage_delivery(by):
        raise DeliveryNotAllowed("Only the Programme Office can add to the RAID log.")
    _check_raid_values(plan, values)
    with transaction.atomic():
        if RaidEntry.objects.filter(plan=plan, reference=values["reference"]).exists():
            raise DeliveryError(
                f"This plan's RAID log already has {values['reference']}: choose another reference."
            )
        entry = RaidEntry(plan=plan, updated_by=by)
        for name in RAID_FIELDS:
            setattr(entry, name, values.get(name))
        _stamp(entry, by=by, reason="Added to the RAID log")
        entry.save()
    return entry


def raid_edit(*, entry: RaidEntry, by, values: dict, expected_version: int, reason: str) -> RaidEntry:
    if not permissions.can_manage_delivery(by):
        raise DeliveryNotAllowed("Only the Programme Office can change the RAID log.")
    reason = _clean(reason)
    if not reason:
        raise DeliveryError("Enter the reason for the change.")
    if len(reason) > NOTE_MAX_LENGTH:
        raise DeliveryError(f"The reason must be {NOTE_MAX_LENGTH:,} characters or fewer.")
    _check_raid_values(entry.plan, values)
    with transaction.atomic():
        current = (
            RaidEntry.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=entry.pk)
        )
        if current.version != expected_version:
            raise DeliveryStaleEdit(current)
        if (
            RaidEntry.objects.filter(plan_id=current.plan_id, reference=values["reference"])
            .exclude(pk=current.pk)
            .exists()
        ):
            raise DeliveryError(
                f"This plan's RAID log already has {values['reference']}: choose another reference."
            )
        for name in RAID_FIELDS:
            setattr(current, name, values.get(name))
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=reason)
        current.save()
    return current


# --------------------------------------------------------------------------- boards and labels


def board_mapping_save(*, board: Board, by, sees_everything: bool, priorities, themes, members) -> Board:
    """What a board oversees and who sits on it."""
    if not permissions.can_manage_delivery(by):
        raise DeliveryNotAllowed("Only the Programme Office can change what a board oversees.")
    with transaction.atomic():
        current = Board.objects.select_for_update().get(pk=board.pk)
        if current.sees_everything != sees_everything:
            current.sees_everything = sees_everything
            _stamp(current, by=by, reason="Board mapping changed")
            current.save()
        current._history_user = by
        current.priorities.set(priorities)
        current.themes.set(themes)
        current.members.set(members)
    return current


def status_label_save(*, by, label: str, status: str) -> StatusLabel:
    """Add or change how a plan label reads as a status."""
    if not permissions.can_manage_delivery(by):
        raise DeliveryNotAllowed("Only the Programme Office can change the status labels.")
    label = " ".join(_clean(label).split())
    if not label:
        raise DeliveryError("Enter the plan's label.")
    if len(label) > 100:
        raise DeliveryError("The label must be 100 characters or fewer.")
    if status not in MilestoneStatus.values:
        raise DeliveryError("Choose the status the label stands for.")
    with transaction.atomic():
        row = StatusLabel.objects.select_for_update().filter(label__iexact=label).first()
        if row is None:
            row = StatusLabel(label=label, status=status)
        elif row.status == status:
            return row
        row.status = status
        _stamp(row, by=by, reason="Status label mapping changed")
        row.save()
    return row


# --------------------------------------------------------------------------- reminders


@dataclass
class DeliveryRemindersSent:
    sent: list[tuple[str, str]] = field(default_factory=list)  # (kind, email)
    failed: list[tuple[str, str]] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)


def _reminder_kind(milestone: Milestone, *, status: str, today: dt.date) -> str | None:
    if status == MilestoneStatus.COMPLETE or milestone.owner is None:
        return None
    if is_overdue(due_date=milestone.due_date, status=status, as_of=today):
        return DeliveryReminderKind.OVERDUE
    if milestone.due_date is not None and 0 <= (milestone.due_date - today).days <= DUE_SOON_DAYS:
        return DeliveryReminderKind.DUE_SOON
    last_update = timezone.localdate(milestone.last_update_at) if milestone.last_update_at else None
    created = timezone.localdate(milestone.created_at)
    if is_stale(
        status=status,
        as_of=today,
        last_update_on=last_update,
        start_date=milestone.start_date,
        created_on=created,
    ):
        return DeliveryReminderKind.STALE
    return None


def delivery_reminders_send_due(*, today: dt.date | None = None) -> DeliveryRemindersSent:
    """Owners hear once when a milestone is 7 days from due, then weekly while it is overdue or stale.

    Each (milestone, owner, reason) is logged with the day it went, so running twice on a day,
    or concurrently, never sends the same reminder twice that day.
    """
    today = today or timezone.localdate()
    table = status_label_table()
    recent = defaultdict(list)
    window_start = today - dt.timedelta(days=REPEAT_EVERY_DAYS - 1)
    for milestone_id, kind, sent_on in DeliveryReminderSent.objects.filter(
        Q(sent_on__gte=window_start) | Q(kind=DeliveryReminderKind.DUE_SOON)
    ).values_list("milestone_id", "kind", "sent_on"):
        recent[(milestone_id, kind)].append(sent_on)
    due: dict = defaultdict(list)
    milestones = (
        Milestone.objects.filter(owner__isnull=False)
        .exclude(status=MilestoneStatus.COMPLETE)
        .select_related("owner", "plan")
        .order_by("due_date", "pk")
    )
    for milestone in milestones:
        status = effective_status(status=milestone.status, plan_label=milestone.plan_label, table=table)
        kind = _reminder_kind(milestone, status=status, today=today)
        if kind is None or recent.get((milestone.pk, kind)):
            continue  # due-soon goes once; overdue and stale once a week
        due[milestone.owner].append((milestone, kind))
    result = DeliveryRemindersSent()
    for owner, items in due.items():
        if not owner.email:
            result.no_email.append(owner.username)
            continue
        try:
            with transaction.atomic():
                DeliveryReminderSent.objects.bulk_create(
                    [
                        DeliveryReminderSent(milestone=milestone, recipient=owner, kind=kind, sent_on=today)
                        for milestone, kind in items
                    ]
                )
                _delivery_email(owner, items).send()
        except IntegrityError:
            continue  # another run sent these today
        except Exception:  # noqa: BLE001 - one bad address must not stop the others
            logger.exception("Milestone reminder to %s failed", owner.email)
            result.failed.append(("milestones", owner.email))
            continue
        result.sent += [(kind, owner.email) for _, kind in items]
    return result


def _url(name: str, *args) -> str:
    try:
        return settings.SITE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _delivery_email(owner, items: list) -> EmailMessage:
    context = {
        "name": display_name(owner),
        "items": [
            {
                "reference": milestone.reference,
                "title": milestone.title,
                "due": milestone.due_date,
                "kind": DeliveryReminderKind(kind).label,
                "url": _url("delivery:milestone_update", milestone.pk),
            }
            for milestone, kind in items
        ],
        "stale_days": settings.DELIVERY_STALE_DAYS,
    }
    needs = "milestones need" if len(items) != 1 else "milestone needs"
    subject = f"{len(items)} improvement plan {needs} an update"
    body = render_to_string("delivery/email/milestones.txt", context)
    return EmailMessage(subject=subject, body=body, to=[owner.email])
