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
from outcomes.forms import AssessmentForm, WithdrawForm
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
    # A submitted or approved update is read, not edited: changing it starts with "Withdraw to edit".
    withdrawable = editable and assessment.status in HANDED_IN_STATUSES
    needs_reason = bool(form and form.errors.get("reason"))
    if needs_reason:
        # Shown only when a change to a handed-in update lacks its reason: never labelled "(optional)".
        form.fields["reason"].required = True
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
            "form": form if (editable and not withdrawable) or form is not None and form.errors else None,
            "editable": editable,
            "withdrawable": withdrawable,
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
    if current.status in HANDED_IN_STATUSES:
        retry.fields["reason"].required = True  # asked for here, so labelled as needed
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
    if (
        permissions.can_edit_assessment(request.user, assessment)
        and assessment.status not in HANDED_IN_STATUSES
    ):
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
    return _saved(request, assessment, saved, submitted=form.submitting, going_next=form.going_next)


def _saved(
    request: HttpRequest, before: Assessment, saved: Assessment, *, submitted: bool, going_next: bool = False
) -> HttpResponse:
    reference = saved.criterion.reference
    here = reverse("outcomes:assessment_edit", args=[saved.pk])
    if saved.version == before.version:
        messages.info(request, f"Nothing changed in {reference}, so nothing was saved.")
    elif submitted:
        messages.success(request, f"{reference} submitted to the Lead Director.")
        return redirect(reverse("outcomes:my_updates"))
    else:
        messages.success(request, f"Draft of {reference} saved.")
    if not going_next:
        return redirect(here)
    following = selectors.assessment_next_for_owner(assessment=saved, user=request.user)
    if following is None:
        messages.info(request, f"{reference} is the last of your success criteria in {saved.period.title}.")
        return redirect(reverse("outcomes:my_updates"))
    return redirect(reverse("outcomes:assessment_edit", args=[following.pk]))


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def assessment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a submitted or approved update to edit it, after a warning that it leaves the
    Lead Director's list."""
    try:
        assessment = selectors.assessment_for_update(pk=pk)
    except Assessment.DoesNotExist as error:
        raise Http404("No such update.") from error
    if not permissions.owns_assessment(request.user, assessment):
        raise NotYourCriterion()
    edit_url = reverse("outcomes:assessment_edit", args=[assessment.pk])
    if not permissions.can_edit_assessment(request.user, assessment):
        messages.info(request, str(PeriodClosed.for_updates(assessment.period)))
        return redirect(edit_url)
    if request.method != "POST":
        if assessment.status not in HANDED_IN_STATUSES:
            return redirect(edit_url)  # nothing to withdraw: the form is already there
        form = WithdrawForm(initial={"version": assessment.version})
        return _withdraw_page(request, assessment, form)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _withdraw_page(request, assessment, form, status=400)
    try:
        services.assessment_withdraw(
            assessment=assessment,
            by=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except StaleEdit:
        messages.error(
            request,
            f"{assessment.criterion.reference} was changed since you opened that page, so it was not "
            "withdrawn. Read it as it is now.",
        )
        return redirect(edit_url)
    except DomainError as error:
        errors = [] if show_on_form(form, error) else [str(error)]
        return _withdraw_page(request, assessment, form, errors=errors, status=400)
    messages.success(
        request,
        f"{assessment.criterion.reference} withdrawn: it is a draft again and no longer waiting for "
        "the Lead Director. Submit it again when it is ready.",
    )
    return redirect(edit_url)


def _withdraw_page(
    request: HttpRequest, assessment: Assessment, form: WithdrawForm, *, errors=None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "outcomes/assessment_withdraw.html",
        {
            "assessment": assessment,
            "criterion": assessment.criterion,
            "period": assessment.period,
            "form": form,
            "errors": errors or [],
        },
        status=status,
    )
