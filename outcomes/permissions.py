"""Who may do what in the update cycle. Views and services both ask here, so the rule is said once.

Officers edit only the criteria they own, only while the period is open. Lead Directors act only
on the outcomes they lead. The Programme Office runs periods. Commissioners and Democratic
Services read. Superusers (staff admin) pass role checks, but ownership is never assumed: an
admin who is not a criterion's owner cannot edit it here (the Django admin is theirs).
"""

from __future__ import annotations

from accounts.roles import DRAFT_READERS, EVERYONE, Role, has_role, roles_of
from outcomes.models import Assessment, Outcome, PeriodState, ReportingPeriod, SuccessCriterion


def is_owner(user, criterion: SuccessCriterion) -> bool:
    return user.is_authenticated and criterion.owner_id is not None and criterion.owner_id == user.pk


def is_lead_director(user, outcome: Outcome) -> bool:
    return (
        user.is_authenticated
        and outcome.lead_director_id is not None
        and outcome.lead_director_id == user.pk
        and has_role(user, Role.LEAD_DIRECTOR)
    )


# --------------------------------------------------------------------------- officers


def can_use_my_updates(user) -> bool:
    return has_role(user, Role.OFFICER)


def can_view_assessment(user, assessment: Assessment) -> bool:
    """The update page: its owner, and everyone who may read draft periods; anyone once published."""
    if is_owner(user, assessment.criterion):
        return True
    if assessment.period.state == PeriodState.PUBLISHED:
        return has_role(user, *EVERYONE)
    return has_role(user, *DRAFT_READERS)


def owns_assessment(user, assessment: Assessment) -> bool:
    """May this person ever edit it (as its owning officer), whatever the period's state?"""
    return owns_assessment_criterion(user, assessment.criterion)


def owns_assessment_criterion(user, criterion: SuccessCriterion) -> bool:
    """The officer who updates this criterion (owns_assessment, before a period is chosen)."""
    return is_owner(user, criterion) and has_role(user, Role.OFFICER)


def can_edit_assessment(user, assessment: Assessment) -> bool:
    return owns_assessment(user, assessment) and assessment.period.state == PeriodState.OPEN


# --------------------------------------------------------------------------- lead directors


def can_use_signoff(user) -> bool:
    return has_role(user, Role.LEAD_DIRECTOR)


def can_sign_off_outcome(user, outcome: Outcome, period: ReportingPeriod) -> bool:
    """Approve, return and write the summary: the outcome's lead, until the period is published."""
    return is_lead_director(user, outcome) and period.state != PeriodState.PUBLISHED


def self_approval_refusal(reference: str) -> str:
    return (
        f"You own {reference}, so you cannot approve your own update: another Lead Director or the "
        "Programme Office must approve it."
    )


def can_approve(user, assessment: Assessment) -> bool:
    """Nobody approves their own update. The outcome's lead approves the others' updates; an update the
    lead owns is approved by another Lead Director or the Programme Office."""
    criterion = assessment.criterion
    outcome = criterion.outcome
    if is_owner(user, criterion):
        return False
    if is_lead_director(user, outcome):
        return True
    owned_by_lead = criterion.owner_id is not None and criterion.owner_id == outcome.lead_director_id
    return owned_by_lead and has_role(user, Role.LEAD_DIRECTOR, Role.PROGRAMME_OFFICE)


# --------------------------------------------------------------------------- programme office


def can_run_periods(user) -> bool:
    return has_role(user, Role.PROGRAMME_OFFICE)


def can_view_completion(user) -> bool:
    return has_role(user, Role.PROGRAMME_OFFICE)


def can_chase(user) -> bool:
    return has_role(user, Role.PROGRAMME_OFFICE)


# --------------------------------------------------------------------------- staff corrections


def can_correct_in_admin(user, model_name: str) -> bool:
    """Staff who may change the record in the Django admin (the services still freeze closed periods)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(f"outcomes.change_{model_name}")
    )


# --------------------------------------------------------------------------- history


def can_view_history(user, criterion: SuccessCriterion) -> bool:
    """Everyone with a role may open a criterion's history; which periods they see is below."""
    return is_owner(user, criterion) or has_role(user, *EVERYONE)


def can_view_draft_history(user, criterion: SuccessCriterion) -> bool:
    """Edits in unpublished periods: the owner and those who may read draft periods."""
    return is_owner(user, criterion) or has_role(user, *DRAFT_READERS)


# --------------------------------------------------------------------------- pre-publication checks


def can_view_checks(user) -> bool:
    """A period's findings: for those who may read draft periods."""
    return has_role(user, *DRAFT_READERS)


def can_acknowledge_findings(user) -> bool:
    """Acting on findings belongs to whoever runs the periods."""
    return can_run_periods(user)


# --------------------------------------------------------------------------- the evaluation framework


def can_read_period(user, period: ReportingPeriod) -> bool:
    """A period's pages, evidence files and figures: everyone once published, draft readers before.

    The same rule as reporting.permissions.can_read_period, said here so outcomes can use it.
    """
    if period.state == PeriodState.PUBLISHED:
        return has_role(user, *EVERYONE)
    return has_role(user, *DRAFT_READERS)


def can_record_evidence(user, outcome: Outcome) -> bool:
    """A measure's evidence: the outcome's lead director or the Programme Office."""
    return is_lead_director(user, outcome) or has_role(user, Role.PROGRAMME_OFFICE)


def can_manage_metric_values(user) -> bool:
    """Importing figures into the metric library belongs to the Programme Office."""
    return has_role(user, Role.PROGRAMME_OFFICE)


def is_commissioner(user) -> bool:
    """Commissioners' judgement is theirs alone: a staff admin without the role may not write it."""
    return user.is_authenticated and Role.COMMISSIONER in roles_of(user)


def can_write_judgement(user) -> bool:
    return is_commissioner(user)


def can_read_judgement(user, period: ReportingPeriod, *, for_publication: bool) -> bool:
    """Draft readers see the commissioners' judgement; everyone else once it is for publication."""
    if has_role(user, *DRAFT_READERS):
        return True
    return for_publication and can_read_period(user, period)
