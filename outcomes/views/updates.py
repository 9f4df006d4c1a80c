"""Officers' journey: the criteria I own in the open period, and the page where I update one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from core.rag import Rag
from core.refusals import refusals_forbidden
from outcomes import permissions, selectors, services
from outcomes.exceptions import DomainError, NotYourCriterion, PeriodClosed, StaleEdit
from outcomes.forms import AssessmentForm
from outcomes.models import HANDED_IN_STATUSES, Assessment, AssessmentStatus
from outcomes.views import show_on_form
from plans import selectors as plan_selectors


@require_safe
def my_updates(request: HttpRequest) -> HttpResponse:
    if not permissions.can_use_my_updates(request.user):
        raise PermissionDenied("“My updates” is for officers who own success criteria.")
    rows = selectors.my_update_rows(user=request.user)
    periods: dict = {}
    for row in rows:
        periods.setdefault(row.period, []).append(row)
    groups = [
        {
            "period": period,
            "rows": period_rows,
            "done": sum(1 for row in period_rows if row.status in HANDED_IN_STATUSES),
            "returned": sum(1 for row in period_rows if row.status == AssessmentStatus.RETURNED),
        }
        for period, period_rows in periods.items()
    ]
    milestones = plan_selectors.my_milestones(user=request.user)
    return render(request, "outcomes/my_updates.html", {"groups": groups, "milestones": milestones})


def _initial(assessment: Assessment) -> dict:
    return {
        "rag": assessment.rag,
        "narrative": assessment.narrative,
        "carried_forward": assessment.carried_forward,
        "quotes_previous": assessment.quotes_previous,
        "version": assessment.version,
    }


def _page(
    request: HttpRequest,
    assessment: Assessment,
    previous: Assessment | None,
    *,
    form: AssessmentForm | None,
    errors: list | None = None,
    status: int = 200,
    kept: dict | None = None,
) -> HttpResponse:
    definitions = selectors.rag_definition_list(plan_id=assessment.period.plan_id)
    editable = permissions.can_edit_assessment(request.user, assessment)
    needs_reason = assessment.status in HANDED_IN_STATUSES or bool(form and form.errors.get("reason"))
    return render(
        request,
        "outcomes/assessment_edit.html",
        {
            "assessment": assessment,
            "criterion": assessment.criterion,
            "outcome": assessment.criterion.outcome,
            "period": assessment.period,
            "previous": previous,
            "rag_hints": definitions,
            "form": form if editable or form is not None and form.errors else None,
            "editable": editable,
            "needs_reason": needs_reason,
            "errors": errors or [],
            **(kept or {}),
        },
        status=status,
    )


def _typed(request: HttpRequest) -> dict:
    """What the officer typed, as sent, for a page that cannot save it: shown read-only to copy from."""
    rating = request.POST.get("rag", "")
    kept = [
        {"id": name, "label": label, "text": request.POST.get(name, "")}
        for name, label in (
            ("narrative", "Your assessment of progress"),
            ("reason", "Your reason for the change"),
        )
        if request.POST.get(name, "").strip()
    ]
    return {"kept": kept, "kept_rating": Rag(rating).label if rating in Rag.values else ""}


def _conflict(
    request: HttpRequest, error: StaleEdit, form: AssessmentForm, previous: Assessment | None
) -> HttpResponse:
    """Both versions side by side; the officer's text kept in a form carrying the new version number."""
    current = selectors.assessment_for_update(pk=error.current.pk)
    mine = form.cleaned_data
    retry = AssessmentForm(
        initial={
            "rag": mine.get("rag", ""),
            "narrative": mine.get("narrative", ""),
            "carried_forward": mine.get("carried_forward", False),
            "quotes_previous": mine.get("quotes_previous", False),
            "reason": mine.get("reason", ""),
            "version": current.version,
        },
        previous_narrative=previous.narrative if previous else "",
    )
    return render(
        request,
        "outcomes/assessment_conflict.html",
        {
            "assessment": current,
            "criterion": current.criterion,
            "period": current.period,
            "previous": previous,
            "mine": mine,
            "form": retry,
            "rag_hints": selectors.rag_definition_list(plan_id=current.period.plan_id),
            "needs_reason": current.status in HANDED_IN_STATUSES,
            "errors": [str(error)],
        },
        status=409,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        assessment = selectors.assessment_for_update(pk=pk)
    except Assessment.DoesNotExist as error:
        raise Http404("No such update.") from error
    if not permissions.can_view_assessment(request.user, assessment):
        raise NotYourCriterion()
    previous = selectors.assessment_previous(assessment=assessment)
    if request.method == "POST":
        return _save(request, assessment, previous)
    form = None
    if permissions.can_edit_assessment(request.user, assessment):
        form = AssessmentForm(
            initial=_initial(assessment), previous_narrative=previous.narrative if previous else ""
        )
    return _page(request, assessment, previous, form=form)


def _save(request: HttpRequest, assessment: Assessment, previous: Assessment | None) -> HttpResponse:
    """Save a draft or submit; a refusal is shown beside the input it is about, or above the form."""
    if not permissions.owns_assessment(request.user, assessment):
        raise NotYourCriterion()
    if not assessment.period.is_open:
        error = PeriodClosed.for_updates(assessment.period)
        return _page(
            request, assessment, previous, form=None, errors=[str(error)], status=409, kept=_typed(request)
        )

    form = AssessmentForm(request.POST, previous_narrative=previous.narrative if previous else "")
    if not form.is_valid():
        return _page(request, assessment, previous, form=form, status=400)
    data = form.cleaned_data
    write = services.assessment_submit if form.submitting else services.assessment_save_draft
    try:
        saved = write(
            assessment=assessment,
            by=request.user,
            rag=data["rag"],
            narrative=data["narrative"],
            carried_forward=data["carried_forward"],
            # Absent when last period has no narrative to quote (the form leaves the field out).
            quotes_previous=data.get("quotes_previous", False),
            expected_version=data["version"],
            reason=data["reason"],
        )
    except StaleEdit as error:
        return _conflict(request, error, form, previous)
    except PeriodClosed as error:
        # Closed while the officer was writing: the page can no longer save, so it shows their text.
        assessment = selectors.assessment_for_update(pk=assessment.pk)
        return _page(
            request, assessment, previous, form=None, errors=[str(error)], status=409, kept=_typed(request)
        )
    except DomainError as error:
        errors = [] if show_on_form(form, error) else [str(error)]
        return _page(request, assessment, previous, form=form, errors=errors, status=400)
    return _saved(request, assessment, saved, submitted=form.submitting)


def _saved(request: HttpRequest, before: Assessment, saved: Assessment, *, submitted: bool) -> HttpResponse:
    reference = saved.criterion.reference
    if saved.version == before.version:
        messages.info(request, f"Nothing changed in {reference}, so nothing was saved.")
        return redirect(reverse("outcomes:assessment_edit", args=[saved.pk]))
    if submitted:
        messages.success(request, f"{reference} submitted to the Lead Director.")
        return redirect(reverse("outcomes:my_updates"))
    messages.success(request, f"Draft of {reference} saved.")
    return redirect(reverse("outcomes:assessment_edit", args=[saved.pk]))
