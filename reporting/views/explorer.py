"""Read-only pages: the plan explorer and the Directions matrix, for everyone with a role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from plans import selectors
from plans.models import Direction, Plan
from plans.selectors import direction_actions, direction_get, plan_actions, plan_get
from reporting.explorer import direction_matrix, plan_explorer, plan_for_directions, plan_outcome_claims
from reporting.permissions import can_read_reports


def _require_reader(user) -> None:
    if not can_read_reports(user):
        raise PermissionDenied("The plans and Directions are for people with a role in the plan's reporting.")


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    return render(request, "plans/plan_list.html", {"plans": list(selectors.plan_list())})


@require_safe
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _require_reader(request.user)
    try:
        plan = plan_get(slug=slug)
    except Plan.DoesNotExist:
        raise Http404("No plan has that name.") from None
    explorer = plan_explorer(plan=plan)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "explorer": explorer,
            "themes": plan_actions(plan=plan),
            "outcome_claims": plan_outcome_claims(plan=plan, entries=list(explorer.entries)),
            "assurance_approaches": list(plan.assurance_approaches.prefetch_related("outcomes_tested")),
            "lead_people": list(plan.lead_people.all()),
            "superseded_by": Plan.objects.filter(supersedes=plan).first(),
            "period": explorer.period,
            "criteria_url": reverse("reporting:criteria"),
        },
    )


def _matrix_for(request: HttpRequest):
    try:
        plan = plan_for_directions(slug=request.GET.get("plan", "").strip() or None)
    except Plan.DoesNotExist:
        raise Http404("No plan has that name.") from None
    return direction_matrix(plan=plan)


@require_safe
def direction_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    matrix = _matrix_for(request)
    return render(
        request,
        "plans/direction_list.html",
        {"matrix": matrix, "criteria_url": reverse("reporting:criteria")},
    )


@require_safe
def direction_detail(request: HttpRequest, letter: str) -> HttpResponse:
    _require_reader(request.user)
    try:
        direction = direction_get(letter=letter)
    except Direction.DoesNotExist:
        raise Http404("No Direction has that letter.") from None
    matrix = _matrix_for(request)
    answer = next(row for row in matrix.rows if row.direction.pk == direction.pk)
    return render(
        request,
        "plans/direction_detail.html",
        {
            "direction": direction,
            "matrix": matrix,
            "answer": answer,
            "outcome_rows": [(o, matrix.outcome_counts.get(o.pk)) for o in answer.outcomes],
            "actions": direction_actions(direction=direction),
            "criteria_url": reverse("reporting:criteria"),
        },
    )
