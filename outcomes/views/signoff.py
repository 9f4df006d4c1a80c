"""Lead Directors' journey: the outcomes I lead, their updates beside last period's, approve or return,
and the Lead Director Summary."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.people import display_name
from core.refusals import refusals_forbidden
from outcomes import permissions, selectors, services
from outcomes.exceptions import DomainError, NotAllowed, NotYourOutcome, PeriodClosed, StaleEdit
from outcomes.forms import ApproveForm, OutcomeSummaryForm, ReturnForm
from outcomes.models import HANDED_IN_STATUSES, Assessment, AssessmentStatus, Outcome, ReportingPeriod

# An assessment longer than this is folded on the sign-off page, its first words shown.
FOLD_WORDS = 80


@require_safe
def signoff(request: HttpRequest) -> HttpResponse:
    if not permissions.can_use_signoff(request.user):
        raise PermissionDenied("Sign-off is for Lead Directors.")
    groups = []
    led_plans = Outcome.objects.filter(lead_director=request.user).values("plan_id")
    for period in selectors.periods_unpublished(plan_ids=led_plans):
        outcomes = selectors.signoff_outcomes(user=request.user, period=period)
        if outcomes:
            groups.append({"period": period, "outcomes": outcomes})
    return render(request, "outcomes/signoff.html", {"groups": groups})


def _outcome_and_period(
    request: HttpRequest, period_slug: str, outcome_pk: int
) -> tuple[ReportingPeriod, Outcome]:
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), slug=period_slug)
    outcome = get_object_or_404(
        Outcome.objects.select_related("lead_director"), pk=outcome_pk, plan_id=period.plan_id
    )
    if not permissions.is_lead_director(request.user, outcome):
        raise NotYourOutcome()
    return period, outcome


def _outcome_page(
    request: HttpRequest,
    period: ReportingPeriod,
    outcome: Outcome,
    *,
    summary_form: OutcomeSummaryForm | None = None,
    errors: list | None = None,
    status: int = 200,
    kept: list | None = None,
) -> HttpResponse:
    rows = selectors.signoff_rows(period=period, outcome=outcome)
    summary = selectors.outcome_summary_get(period=period, outcome=outcome)
    previous = selectors.period_previous(period=period)
    can_act = permissions.can_sign_off_outcome(request.user, outcome, period)
    if summary_form is None and can_act:
        summary_form = OutcomeSummaryForm(initial={"text": summary.text, "version": summary.version})
    return render(
        request,
        "outcomes/signoff_outcome.html",
        {
            "period": period,
            "previous_period": previous,
            "outcome": outcome,
            "rows": rows,
            "summary": summary,
            "form": summary_form,
            "can_act": can_act,
            "can_return": can_act and period.is_open,
            "errors": errors or [],
            "submitted": AssessmentStatus.SUBMITTED,
            "approved": AssessmentStatus.APPROVED,
            "returnable": HANDED_IN_STATUSES,
            "kept": kept or [],
            # Nobody approves their own update: these rows wait for another Lead Director or the PMO.
            "fold_words": FOLD_WORDS,
            "own_rows": {row.pk for row in rows if permissions.is_owner(request.user, row.criterion)},
            # "Approve all shown" carries each id with the version on screen, so nothing changed since
            # is approved unread.
            "approvable": [
                row
                for row in rows
                if can_act
                and row.status == AssessmentStatus.SUBMITTED
                and permissions.can_approve(request.user, row)
            ],
            "self_approval": permissions.self_approval_refusal("this criterion"),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def signoff_outcome(request: HttpRequest, period_slug: str, outcome_pk: int) -> HttpResponse:
    """GET: the outcome's updates side by side with last period's. POST: save the Lead Director Summary."""
    period, outcome = _outcome_and_period(request, period_slug, outcome_pk)
    if request.method != "POST":
        return _outcome_page(request, period, outcome)
    form = OutcomeSummaryForm(request.POST)
    if not form.is_valid():
        return _outcome_page(request, period, outcome, summary_form=form, status=400)
    summary = selectors.outcome_summary_get(period=period, outcome=outcome)
    try:
        saved = services.outcome_summary_save(
            summary=summary,
            by=request.user,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        )
    except StaleEdit as error:
        current = error.current
        who = display_name(current.updated_by, nobody="Someone")
        retry = OutcomeSummaryForm(initial={"text": form.cleaned_data["text"], "version": current.version})
        return _outcome_page(
            request,
            period,
            outcome,
            summary_form=retry,
            status=409,
            errors=[
                f"{who} saved the summary while you were editing. Nothing was overwritten: the saved "
                "summary is shown above your text below. Save again to replace it with yours."
            ],
        )
    except PeriodClosed as error:
        # Published while the director was writing: nothing can be saved, so their text is kept to copy.
        period.refresh_from_db()
        kept = [{"id": "summary", "label": "Your summary", "text": form.cleaned_data["text"]}]
        return _outcome_page(request, period, outcome, errors=[str(error)], status=409, kept=kept)
    except DomainError as error:
        return _outcome_page(request, period, outcome, summary_form=form, errors=[str(error)], status=409)
    if saved.version != summary.version:
        messages.success(request, f"Lead Director Summary for outcome {outcome.number} saved.")
    return redirect(reverse("outcomes:signoff_outcome", args=[period.slug, outcome.pk]))


def _assessment(pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related(
            "period__plan", "criterion__outcome__lead_director", "criterion__owner"
        ),
        pk=pk,
    )


@require_POST
@refusals_forbidden
def assessment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(pk)
    period, outcome = assessment.period, assessment.criterion.outcome
    if permissions.is_owner(request.user, assessment.criterion):
        raise NotAllowed(permissions.self_approval_refusal(assessment.criterion.reference))
    if not permissions.can_approve(request.user, assessment):
        raise NotYourOutcome()
    if not permissions.is_lead_director(request.user, outcome):
        # Another Lead Director or the Programme Office approving the lead's own update.
        return _approve_for_the_lead(request, assessment)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _outcome_page(request, period, outcome, errors=errors, status=400)
    try:
        services.assessment_approve(
            assessment=assessment, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except DomainError as error:
        return _outcome_page(request, period, outcome, errors=[str(error)], status=409)
    messages.success(request, f"{assessment.criterion.reference} approved.")
    return redirect(reverse("outcomes:signoff_outcome", args=[period.slug, outcome.pk]))


def _approve_for_the_lead(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    form = ApproveForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else -1
    try:
        services.assessment_approve(assessment=assessment, by=request.user, expected_version=version)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{assessment.criterion.reference} approved.")
    return redirect(reverse("outcomes:period_detail", args=[assessment.period.slug]))


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return an update to its officer with a comment they will see on their update page."""
    assessment = _assessment(pk)
    period, outcome = assessment.period, assessment.criterion.outcome
    if not permissions.is_lead_director(request.user, outcome):
        raise NotYourOutcome()
    if not permissions.can_sign_off_outcome(request.user, outcome, period):
        if request.method != "POST":
            raise Http404("This period is published; its updates can no longer be returned.")
        # Published while the director was writing: the comment cannot be saved, so it is kept to copy.
        comment = request.POST.get("comment", "")
        kept = [{"id": "comment", "label": "Your comment", "text": comment}] if comment.strip() else []
        return render(
            request,
            "outcomes/assessment_return.html",
            {
                "assessment": assessment,
                "period": period,
                "outcome": outcome,
                "form": None,
                "kept": kept,
                "errors": [f"{period.title} is published, so its updates can no longer be returned."],
            },
            status=409,
        )
    errors: list = []
    status = 200
    if request.method == "POST":
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.assessment_return(
                    assessment=assessment,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as error:
                errors, status = [str(error)], 409
                assessment = _assessment(pk)
                form = ReturnForm(
                    initial={"comment": form.cleaned_data["comment"], "version": assessment.version}
                )
            else:
                messages.success(request, f"{assessment.criterion.reference} returned to its officer.")
                return redirect(reverse("outcomes:signoff_outcome", args=[period.slug, outcome.pk]))
        else:
            status = 400
    else:
        form = ReturnForm(initial={"version": assessment.version})
    return render(
        request,
        "outcomes/assessment_return.html",
        {"assessment": assessment, "period": period, "outcome": outcome, "form": form, "errors": errors},
        status=status,
    )


def _shown(request: HttpRequest) -> list[tuple[int, int]] | None:
    """The "id:version" pairs the page carried; None when any is not two whole numbers."""
    pairs = []
    for value in request.POST.getlist("shown"):
        pk, _, version = value.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            return None
        pairs.append((int(pk), int(version)))
    return pairs


@require_POST
@refusals_forbidden
def approve_shown(request: HttpRequest, period_slug: str, outcome_pk: int) -> HttpResponse:
    """ "Approve all shown": first a page listing what will be approved, then approve them together."""
    period, outcome = _outcome_and_period(request, period_slug, outcome_pk)
    back = reverse("outcomes:signoff_outcome", args=[period.slug, outcome.pk])
    shown = _shown(request)
    if not shown:
        messages.error(request, "There was nothing to approve: no submitted update was shown.")
        return redirect(back)
    if request.POST.get("confirm") != "yes":
        rows = {row.pk: row for row in selectors.signoff_rows(period=period, outcome=outcome)}
        listed = [(rows.get(pk), version) for pk, version in shown]
        changed = [
            row.criterion.reference
            for row, version in listed
            if row is None or row.version != version or row.status != AssessmentStatus.SUBMITTED
        ]
        return render(
            request,
            "outcomes/signoff_approve_shown.html",
            {
                "period": period,
                "outcome": outcome,
                "rows": [row for row, _ in listed if row is not None],
                "shown": request.POST.getlist("shown"),
                "changed": changed,
            },
            status=409 if changed else 200,
        )
    try:
        approved = services.assessments_approve_shown(shown=shown, by=request.user)
    except StaleEdit as error:
        messages.error(
            request,
            f"{error.current.criterion.reference} changed since the list was shown, so nothing was approved. "
            "Read the updates as they are now.",
        )
        return redirect(back)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(back)
    references = ", ".join(a.criterion.reference for a in approved)
    messages.success(request, f"{len(approved)} update{'s' * (len(approved) != 1)} approved: {references}.")
    return redirect(back)
