"""Staff corrections made in the Django admin: the same locks, version check and freeze as every page.

The admin is where a data error is put right while a period is open. It is no side door: a closed or
published period's record changes only after the Programme Office re-opens it, and a save based on
a page loaded before someone else's save is refused, never written over theirs.
"""

from __future__ import annotations

from django.db import transaction

from core.rag import Rag
from outcomes import permissions
from outcomes.exceptions import InvalidTransition, NotAllowed, PeriodClosed, ReasonRequired, StaleEdit
from outcomes.models import (
    NARRATIVE_MAX_LENGTH,
    Assessment,
    AssessmentStatus,
    OutcomeSummary,
    PeriodState,
    ReportingPeriod,
)
from outcomes.services._common import (
    COMMENT_MAX_LENGTH,
    _check_reason_length,
    _clean_text,
    _lock_assessment,
    _lock_period,
    _stamp,
)


def _check_correction(*, by, period: ReportingPeriod, current, expected_version: int, reason: str) -> None:
    if not permissions.can_correct_in_admin(by, current._meta.model_name):
        raise NotAllowed("Only staff with permission to change the record can correct it.")
    if period.state != PeriodState.OPEN:
        raise PeriodClosed(
            f"{period.title} is {period.get_state_display().lower()}, so its record cannot be changed "
            "here. The Programme Office re-opens it, with a reason, to correct it."
        )
    if current.version != expected_version:
        raise StaleEdit(current)
    if not reason:
        raise ReasonRequired("Enter the reason for this change.")
    _check_reason_length(reason)


def assessment_correct(
    *,
    assessment: Assessment,
    by,
    expected_version: int,
    reason: str,
    rag: str,
    narrative: str,
    status: str,
    return_comment: str = "",
    carried_forward: bool = False,
    quotes_previous: bool = False,
) -> Assessment:
    """A staff correction of one assessment in an open period, kept in history with the reason."""
    rag, narrative, reason = rag or "", _clean_text(narrative), _clean_text(reason)
    return_comment = _clean_text(return_comment)
    if rag not in Rag.values and rag != "":
        raise InvalidTransition("Choose Red, Amber or Green.")
    if status not in AssessmentStatus.values:
        raise InvalidTransition("Choose a status.")
    if len(narrative) > NARRATIVE_MAX_LENGTH or len(return_comment) > COMMENT_MAX_LENGTH:
        raise InvalidTransition("The text is too long to keep.")
    with transaction.atomic():
        period = _lock_period(assessment.period_id)
        current = _lock_assessment(assessment.pk)
        _check_correction(
            by=by, period=period, current=current, expected_version=expected_version, reason=reason
        )
        current.rag, current.narrative, current.status = rag, narrative, status
        current.return_comment = return_comment
        current.carried_forward, current.quotes_previous = carried_forward, quotes_previous
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=reason)
        current.save()
    return current


def outcome_summary_correct(
    *, summary: OutcomeSummary, by, expected_version: int, reason: str, text: str
) -> OutcomeSummary:
    """A staff correction of a Lead Director Summary in an open period, kept in history with the reason."""
    text, reason = _clean_text(text), _clean_text(reason)
    if len(text) > NARRATIVE_MAX_LENGTH:
        raise InvalidTransition(f"The summary must be {NARRATIVE_MAX_LENGTH:,} characters or fewer.")
    with transaction.atomic():
        period = _lock_period(summary.period_id)
        current = (
            OutcomeSummary.objects.select_for_update(of=("self",))
            .select_related("outcome", "updated_by")
            .get(pk=summary.pk)
        )
        _check_correction(
            by=by, period=period, current=current, expected_version=expected_version, reason=reason
        )
        current.text = text
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=reason)
        current.save()
    return current
