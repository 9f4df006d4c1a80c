"""The Programme Office's journey: open, close, publish and re-open periods; completion and reminders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from core.people import display_name
from core.refusals import refusals_forbidden
from outcomes import permissions, selectors, services
from outcomes.exceptions import DomainError, PublicationBlocked
from outcomes.forms import PeriodDeadlineForm, PeriodOpenForm, PeriodReopenForm
from outcomes.models import PeriodState, ReportingPeriod
from outcomes.views import show_on_form

RUN_PERIODS_ONLY = "Only the Programme Office can run reporting periods."


def _require_programme_office(request: HttpRequest) -> None:
    if not permissions.can_run_periods(request.user):
        raise PermissionDenied(RUN_PERIODS_ONLY)


def _plan():
    from plans.selectors import plan_current

    plan = plan_current()
    if plan is None:
        raise Http404("No plan has been loaded yet.")
    return plan


def _period(slug: str) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.select_related("plan"), slug=slug)


@require_safe
def period_list(request: HttpRequest) -> HttpResponse:
    _require_programme_office(request)
    plan = _plan()
    periods = list(selectors.period_list(plan=plan))
    return render(
        request,
        "outcomes/period_list.html",
        {
            "plan": plan,
            "periods": periods,
            "open_period": next((p for p in periods if p.state == PeriodState.OPEN), None),
        },
    )


@require_safe
def period_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _require_programme_office(request)
    period = _period(slug)
    return render(
        request,
        "outcomes/period_detail.html",
        {
            "period": period,
            "publication": _publication_state(period),
            "history": selectors.period_state_history(period=period),
            "completion": selectors.completion_by_outcome(period=period),
            "lead_owned": selectors.lead_owned_waiting(period=period)
            if period.state != PeriodState.PUBLISHED
            else [],
        },
    )


def _publication_state(period: ReportingPeriod) -> dict | None:
    """For a closed period: how many findings stop publication, for the Publish button to say."""
    if period.state != PeriodState.CLOSED:
        return None
    blockers = services.publication_blockers(period=period)
    blocking = sum(1 for blocker in blockers if getattr(blocker, "blocks", True))
    return {"count": len(blockers), "blocking": blocking, "warnings": len(blockers) - blocking}


def _period_form_page(request, *, form, template: str, context: dict, change, done) -> HttpResponse:
    """A Programme Office form that changes a period. On a valid post, `change(cleaned_data)` calls the
    service and returns the period; `done(period)` says what happened, once the change is saved. A
    refusal about one input is shown beside it (400); any other stands above the form (409)."""
    errors: list = []
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                period = change(form.cleaned_data)
            except DomainError as error:
                if show_on_form(form, error):
                    status = 400
                else:
                    errors, status = [str(error)], 409
            else:
                messages.success(request, done(period))
                return redirect(reverse("outcomes:period_detail", args=[period.slug]))
        else:
            status = 400
    return render(request, template, {**context, "form": form, "errors": errors}, status=status)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _opened(period: ReportingPeriod) -> str:
    # Sent after the period's rows are committed, and counted as they really went.
    sent = services.reminders_send_opened(period=period)
    return f"{period.title} is open for updates. {sent.sentence}"


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def period_open(request: HttpRequest) -> HttpResponse:
    _require_programme_office(request)
    plan = _plan()
    if request.method == "POST":
        form = PeriodOpenForm(request.POST)
    else:
        form = PeriodOpenForm(initial=selectors.period_next_defaults(plan=plan))

    def change(data: dict) -> ReportingPeriod:
        return services.period_open_next(plan=plan, by=request.user, send_reminders=False, **data)

    return _period_form_page(
        request,
        form=form,
        template="outcomes/period_open.html",
        context={"plan": plan, "open_period": selectors.period_open(plan=plan)},
        change=change,
        done=_opened,
    )


@refusals_forbidden
def _confirm(request: HttpRequest, slug: str, *, action: str) -> HttpResponse:
    _require_programme_office(request)
    period = _period(slug)
    service = {"close": services.period_close, "publish": services.period_publish}[action]
    errors: list = []
    blockers: list = []
    status = 200
    if request.method == "POST":
        try:
            period = service(period=period, by=request.user)
        except PublicationBlocked as error:
            checks_url = reverse("outcomes:period_checks", args=[period.slug])
            errors, blockers, status = [{"text": str(error), "href": checks_url}], error.blockers, 409
        except DomainError as error:
            errors, status = [str(error)], 409
        else:
            done = "closed: officers can no longer change their updates" if action == "close" else "published"
            messages.success(request, f"{period.title} {done}.")
            return redirect(reverse("outcomes:period_detail", args=[period.slug]))
    return render(
        request,
        f"outcomes/period_{action}.html",
        {
            "period": period,
            "errors": errors,
            "blockers": blockers,
            "publication": _publication_state(period) if action == "publish" else None,
            "completion": selectors.completion_by_outcome(period=period),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def period_close(request: HttpRequest, slug: str) -> HttpResponse:
    return _confirm(request, slug, action="close")


@require_http_methods(["GET", "HEAD", "POST"])
def period_publish(request: HttpRequest, slug: str) -> HttpResponse:
    return _confirm(request, slug, action="publish")


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def period_reopen(request: HttpRequest, slug: str) -> HttpResponse:
    _require_programme_office(request)
    period = _period(slug)
    return _period_form_page(
        request,
        form=PeriodReopenForm(_posted(request)),
        template="outcomes/period_reopen.html",
        context={"period": period},
        change=lambda data: services.period_reopen(period=period, by=request.user, reason=data["reason"]),
        done=lambda period: f"{period.title} is open again. The reason is kept in its history.",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@refusals_forbidden
def period_change_deadline(request: HttpRequest, slug: str) -> HttpResponse:
    _require_programme_office(request)
    period = _period(slug)
    return _period_form_page(
        request,
        form=PeriodDeadlineForm(_posted(request)),
        template="outcomes/period_deadline.html",
        context={"period": period},
        change=lambda data: services.period_change_deadline(period=period, by=request.user, **data),
        done=lambda period: (
            f"The deadline is now {period.deadline:%-d %B %Y}. Every owner is being emailed the new date."
        ),
    )


@require_safe
def completion(request: HttpRequest, slug: str) -> HttpResponse:
    if not permissions.can_view_completion(request.user):
        raise PermissionDenied("Completion is for the Programme Office.")
    period = _period(slug)
    outstanding = selectors.outstanding_assessments(period=period)
    by_owner: dict = {}
    for assessment in outstanding:
        by_owner.setdefault(assessment.criterion.owner, []).append(assessment)
    last_chased = services.chases_last_sent(period=period)
    owners = sorted(
        ((owner, items, last_chased.get(owner.pk) if owner else None) for owner, items in by_owner.items()),
        key=lambda item: (item[0] is None, display_name(item[0])),
    )
    signoffs_pending = services.signoffs_pending_by_lead_director(period)
    lead_directors = sorted(
        ((lead, items, last_chased.get(lead.pk)) for lead, items in signoffs_pending.items()),
        key=lambda item: display_name(item[0]),
    )
    outcomes = selectors.completion_by_outcome(period=period)
    total = sum(o.total for o in outcomes)
    done = sum(o.count_submitted + o.count_approved for o in outcomes)
    return render(
        request,
        "outcomes/completion.html",
        {
            "period": period,
            "outcomes": outcomes,
            "owners": owners,
            "total": total,
            "done": done,
            "outstanding_count": len(outstanding),
            "can_chase": permissions.can_chase(request.user) and period.is_open and bool(outstanding),
            "can_chase_people": permissions.can_chase(request.user) and not period.is_published,
            "lead_directors": lead_directors,
        },
    )
