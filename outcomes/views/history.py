"""A criterion's history: every rating, narrative and status change across periods, with who and why."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from outcomes import permissions
from outcomes.history import criterion_timeline
from outcomes.models import SuccessCriterion


@require_safe
def criterion_history(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(SuccessCriterion.objects.select_related("outcome__plan", "owner"), pk=pk)
    if not permissions.can_view_history(request.user, criterion):
        raise PermissionDenied("A criterion's history is for people with a role in the plan's reporting.")
    request.navigation_section = _section_for(request.user, criterion)
    timeline = criterion_timeline(
        criterion=criterion,
        include_unpublished=permissions.can_view_draft_history(request.user, criterion),
    )
    return render(request, "outcomes/criterion_history.html", {"criterion": criterion, "timeline": timeline})


def _section_for(user, criterion: SuccessCriterion) -> str:
    """The navigation item this person reached the history from: their updates, their sign-off, or
    the criteria list everyone has."""
    if permissions.owns_assessment_criterion(user, criterion):
        return "outcomes:my_updates"
    if permissions.is_lead_director(user, criterion.outcome) and permissions.can_use_signoff(user):
        return "outcomes:signoff"
    return "reporting:criteria"
