"""Officers' journey: save a draft of an update, or submit it to the outcome's Lead Director."""

from __future__ import annotations

from typing import TypedDict, Unpack

from django.db import transaction

from core.rag import Rag
from outcomes import permissions, selectors
from outcomes.exceptions import (
    IncompleteAssessment,
    InvalidTransition,
    NothingToCarryForward,
    NotYourCriterion,
    PeriodClosed,
    ReasonRequired,
    StaleEdit,
)
from outcomes.models import (
    HANDED_IN_STATUSES,
    NARRATIVE_MAX_LENGTH,
    Assessment,
    AssessmentStatus,
    PeriodState,
    ReportingPeriod,
)
from outcomes.services._common import (
    _check_reason_length,
    _clean_text,
    _lock_assessment,
    _stamp,
    lock_period_for_save,
)

# Statuses a draft save leaves as they are (it only changes the content).
_DRAFT_STATUSES = (AssessmentStatus.NOT_STARTED, AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


def _lock_for_officer(
    assessment: Assessment, by, expected_version: int
) -> tuple[ReportingPeriod, Assessment]:
    """Hold the period's state, lock the assessment; refuse anyone but its owner, a closed period,
    a stale page.

    Saves of other criteria in the period go ahead meanwhile (see `lock_period_for_save`).
    """
    period = lock_period_for_save(assessment.period_id)
    current = _lock_assessment(assessment.pk)
    current.period = period
    if not permissions.owns_assessment(by, current):
        raise NotYourCriterion()
    if period.state != PeriodState.OPEN:
        raise PeriodClosed.for_updates(period)
    if current.version != expected_version:
        raise StaleEdit(current)
    return period, current


def _with_last_period(
    current: Assessment, *, rag: str, narrative: str, carried_forward: bool, quotes_previous: bool
) -> tuple[str, str, str]:
    """The rating, narrative and quoted text to save once last period's is carried forward or quoted.

    Last period's text is stored apart (`quoted_text`), never in place of the officer's words; a
    position carried forward with nothing written says so in the plan's words, as the council does.
    """
    if carried_forward and quotes_previous:
        raise InvalidTransition(
            "Choose either “Position unchanged since last report” or quoting last period's "
            "assessment beneath yours, not both.",
            field="quotes_previous",
        )
    if not (carried_forward or quotes_previous):
        return rag, narrative, ""
    previous = selectors.assessment_previous(assessment=current)
    if carried_forward:
        if previous is None or not previous.narrative:
            raise NothingToCarryForward()
        label = current.period.plan.carried_forward_label
        return rag or previous.rag, narrative or label, previous.narrative
    if previous is None or not previous.narrative:
        raise InvalidTransition("There is no assessment from the last report to quote.")
    return rag, narrative, previous.narrative


def _is_no_change(current: Assessment, *, submit: bool, content: tuple) -> bool:
    """A save that changes neither the content nor the status is not a new version."""
    content_changed = content != (
        current.rag,
        current.narrative,
        current.carried_forward,
        current.quotes_previous,
        current.quoted_text,
    )
    unchanged_status = current.status in (HANDED_IN_STATUSES if submit else _DRAFT_STATUSES)
    return not content_changed and unchanged_status


def _officer_write(
    *,
    assessment: Assessment,
    by,
    rag: str,
    narrative: str,
    expected_version: int,
    submit: bool,
    carried_forward: bool = False,
    quotes_previous: bool = False,
    reason: str = "",
) -> Assessment:
    rag = rag or ""
    narrative = _clean_text(narrative)
    reason = _clean_text(reason)
    if rag not in Rag.values and rag != "":
        raise InvalidTransition("Choose Red, Amber or Green.")
    _check_reason_length(reason)
    with transaction.atomic():
        _period, current = _lock_for_officer(assessment, by, expected_version)
        rag, narrative, quoted_text = _with_last_period(
            current,
            rag=rag,
            narrative=narrative,
            carried_forward=carried_forward,
            quotes_previous=quotes_previous,
        )
        if len(narrative) > NARRATIVE_MAX_LENGTH:
            raise InvalidTransition(
                f"The assessment of progress must be {NARRATIVE_MAX_LENGTH:,} characters or fewer."
            )
        if submit and (not rag or not narrative):
            missing = tuple(name for name, value in (("rag", rag), ("narrative", narrative)) if not value)
            raise IncompleteAssessment(missing=missing)
        content = (rag, narrative, carried_forward, quotes_previous, quoted_text)
        if _is_no_change(current, submit=submit, content=content):
            return current
        if current.status in HANDED_IN_STATUSES and not submit:
            # Saving a draft used to take it off the Lead Director's list with no word of it:
            # taking an update back is its own, deliberate step (assessment_withdraw).
            raise InvalidTransition(
                f"{current.criterion.reference} has been {current.get_status_display().lower()}, so a draft "
                "cannot be saved over it. Nothing was saved: withdraw it to edit it first."
            )
        if current.status in HANDED_IN_STATUSES and not reason:
            raise ReasonRequired(
                f"Enter the reason for changing this update: it has already been "
                f"{current.get_status_display().lower()}.",
                field="reason",
            )
        current.rag = rag
        current.narrative = narrative
        current.carried_forward = carried_forward
        current.quotes_previous = quotes_previous
        current.quoted_text = quoted_text
        current.status = AssessmentStatus.SUBMITTED if submit else AssessmentStatus.DRAFT
        if submit:
            current.return_comment = ""  # answered; the comment stays in history
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=reason)
        current.save()
    return current


class OfficerUpdate(TypedDict, total=False):
    """What an officer may change on an update; left out means empty (or not ticked)."""

    carried_forward: bool
    quotes_previous: bool
    reason: str  # needed to change an update already submitted or approved


def assessment_save_draft(
    *,
    assessment: Assessment,
    by,
    rag: str,
    narrative: str,
    expected_version: int,
    **update: Unpack[OfficerUpdate],
) -> Assessment:
    """Keep work in progress: needs no rating or narrative. Taking back a submitted one needs a reason."""
    return _officer_write(
        assessment=assessment,
        by=by,
        rag=rag,
        narrative=narrative,
        expected_version=expected_version,
        submit=False,
        **update,
    )


def assessment_submit(
    *,
    assessment: Assessment,
    by,
    rag: str,
    narrative: str,
    expected_version: int,
    **update: Unpack[OfficerUpdate],
) -> Assessment:
    """Send the update to the Lead Director. Needs a rating and an assessment of progress."""
    return _officer_write(
        assessment=assessment,
        by=by,
        rag=rag,
        narrative=narrative,
        expected_version=expected_version,
        submit=True,
        **update,
    )


def assessment_withdraw(*, assessment: Assessment, by, reason: str, expected_version: int) -> Assessment:
    """The officer takes back a submitted or approved update to edit it: it becomes a draft again and
    leaves the Lead Director's list. Needs a reason, kept in the criterion's history."""
    reason = _clean_text(reason)
    if not reason:
        raise ReasonRequired("Enter the reason for withdrawing this update.", field="reason")
    _check_reason_length(reason)
    with transaction.atomic():
        _period, current = _lock_for_officer(assessment, by, expected_version)
        if current.status not in HANDED_IN_STATUSES:
            raise InvalidTransition(
                f"{current.criterion.reference} is {current.get_status_display().lower()}, not submitted "
                "or approved, so there is nothing to withdraw: you can edit it now."
            )
        current.status = AssessmentStatus.DRAFT
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=reason)
        current.save()
    return current
