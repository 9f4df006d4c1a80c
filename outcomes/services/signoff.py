"""Lead Directors' journey: approve or return an officer's update, and write the outcome's summary."""

from __future__ import annotations

from django.db import transaction

from outcomes import permissions
from outcomes.exceptions import (
    InvalidTransition,
    NotAllowed,
    NotYourOutcome,
    PeriodClosed,
    ReasonRequired,
    StaleEdit,
)
from outcomes.models import (
    HANDED_IN_STATUSES,
    NARRATIVE_MAX_LENGTH,
    Assessment,
    AssessmentStatus,
    OutcomeSummary,
    PeriodState,
    ReportingPeriod,
)
from outcomes.services._common import COMMENT_MAX_LENGTH, _clean_text, _lock_assessment, _lock_period, _stamp
from outcomes.services.returned_email import send_returned_email_after_commit


def _signoff_lock(
    assessment: Assessment, by, expected_version: int, *, approving: bool = False
) -> tuple[ReportingPeriod, Assessment]:
    period = _lock_period(assessment.period_id)
    current = _lock_assessment(assessment.pk)
    current.period = period
    outcome = current.criterion.outcome
    if approving and permissions.is_owner(by, current.criterion):
        raise NotAllowed(permissions.self_approval_refusal(current.criterion.reference))
    if approving and not permissions.can_approve(by, current):
        raise NotYourOutcome()
    if not approving and not permissions.is_lead_director(by, outcome):
        raise NotYourOutcome()
    if period.state == PeriodState.PUBLISHED:
        raise PeriodClosed(f"{period.title} is published: its record can no longer be changed.")
    if current.version != expected_version:
        raise StaleEdit(
            current,
            f"{current.criterion.reference} was changed since you opened this page. Nothing has been "
            "changed: read the update as it is now saved, then approve or return it.",
        )
    return period, current


def _approve(current: Assessment, *, by) -> None:
    """Record the approval of a locked, submitted update; any comment it was returned with is spent."""
    current.status = AssessmentStatus.APPROVED
    current.return_comment = ""
    current.version += 1
    current.updated_by = by
    _stamp(current, by=by, reason=None)
    current.save()


def assessment_approve(*, assessment: Assessment, by, expected_version: int) -> Assessment:
    """The Lead Director accepts a submitted update as it stands."""
    with transaction.atomic():
        _period, current = _signoff_lock(assessment, by, expected_version, approving=True)
        if current.status == AssessmentStatus.APPROVED:
            return current
        if current.status != AssessmentStatus.SUBMITTED:
            raise InvalidTransition(
                f"{current.criterion.reference} cannot be approved: it is "
                f"{current.get_status_display().lower()}, not submitted."
            )
        _approve(current, by=by)
    return current


def assessments_approve_shown(*, shown: list[tuple[int, int]], by) -> list[Assessment]:
    """ "Approve all shown": every (assessment id, version) the Lead Director saw, in one transaction.

    All or nothing: one that changed since the page was shown (StaleEdit), is no longer submitted,
    or is not theirs to approve refuses the lot, so nothing is approved that they did not read.
    """
    if not shown:
        raise InvalidTransition("There was nothing to approve: no submitted update was shown.")
    approved = []
    with transaction.atomic():
        for pk, expected_version in sorted(shown):  # a fixed order, so two batches cannot deadlock
            try:
                assessment = Assessment.objects.only("pk", "period_id").get(pk=pk)
            except Assessment.DoesNotExist as error:
                raise InvalidTransition(
                    "One of the updates shown no longer exists. Nothing was approved."
                ) from error
            _period, current = _signoff_lock(assessment, by, expected_version, approving=True)
            if current.status != AssessmentStatus.SUBMITTED:
                raise InvalidTransition(
                    f"{current.criterion.reference} is {current.get_status_display().lower()}, not "
                    "submitted, so nothing was approved. Read the list as it is now."
                )
            _approve(current, by=by)
            approved.append(current)
    return approved


def assessment_return(*, assessment: Assessment, by, comment: str, expected_version: int) -> Assessment:
    """Send an update back to its officer with a comment they see on their update page."""
    comment = _clean_text(comment)
    if not comment:
        raise ReasonRequired("Enter a comment telling the officer what to change.")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise InvalidTransition(f"The comment must be {COMMENT_MAX_LENGTH:,} characters or fewer.")
    with transaction.atomic():
        period, current = _signoff_lock(assessment, by, expected_version)
        if period.state != PeriodState.OPEN:
            raise InvalidTransition(
                f"{period.title} is closed, so the officer could not act on a returned update. "
                "Ask the Programme Office to re-open it first."
            )
        if current.status not in HANDED_IN_STATUSES:
            raise InvalidTransition(
                f"{current.criterion.reference} cannot be returned: it is "
                f"{current.get_status_display().lower()}, not submitted."
            )
        current.status = AssessmentStatus.RETURNED
        current.return_comment = comment
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=comment)
        current.save()
        send_returned_email_after_commit(assessment=current, comment=comment, by=by)
    return current


def outcome_summary_save(*, summary: OutcomeSummary, by, text: str, expected_version: int) -> OutcomeSummary:
    """The Lead Director Summary of one outcome in one period."""
    text = _clean_text(text)
    if len(text) > NARRATIVE_MAX_LENGTH:
        raise InvalidTransition(f"The summary must be {NARRATIVE_MAX_LENGTH:,} characters or fewer.")
    with transaction.atomic():
        period = _lock_period(summary.period_id)
        current = (
            OutcomeSummary.objects.select_for_update(of=("self",))
            .select_related("outcome", "updated_by")
            .get(pk=summary.pk)
        )
        if not permissions.is_lead_director(by, current.outcome):
            raise NotYourOutcome()
        if period.state == PeriodState.PUBLISHED:
            raise PeriodClosed(f"{period.title} is published: its record can no longer be changed.")
        if current.version != expected_version:
            raise StaleEdit(current)
        if current.text == text:
            return current
        current.text = text
        current.version += 1
        current.updated_by = by
        _stamp(current, by=by, reason=None)
        current.save()
    return current
