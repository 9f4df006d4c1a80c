"""A period's pre-publication checks: the findings, links to fix them, and acknowledging warnings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from core.refusals import refusals_forbidden
from outcomes import services
from outcomes.checks import CheckResult, FixedBy, Rule, period_check
from outcomes.checks.grouping import GROUP_BY_OUTCOME, PlanPeople, filtered, grouped
from outcomes.exceptions import DomainError
from outcomes.forms import AcknowledgeForm, ChecksFilterForm
from outcomes.models import PeriodState, ReportingPeriod
from outcomes.permissions import can_acknowledge_findings, can_chase, can_view_checks


def _auto_id(finding_key: str) -> str:
    """One acknowledge form per warning on the page: ids stay unique, and error links reach them."""
    safe = "".join(c if c.isalnum() else "-" for c in finding_key)[:120]
    return f"ack-{safe}-%s"


def _acknowledge_form(finding_key: str, data=None) -> AcknowledgeForm:
    if data is not None:
        return AcknowledgeForm(data, auto_id=_auto_id(data.get("finding_key", "")))
    return AcknowledgeForm(initial={"finding_key": finding_key}, auto_id=_auto_id(finding_key))


def _period(slug: str) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.select_related("plan"), slug=slug)


def _chosen(request: HttpRequest) -> tuple[ChecksFilterForm, dict, list]:
    """The GET form's choices; a value not offered is named in the error summary and ignored."""
    data = request.GET.copy()
    data.setdefault("group", GROUP_BY_OUTCOME)
    form = ChecksFilterForm(data)
    form.is_valid()
    chosen = {name: form.cleaned_data.get(name) or "" for name in form.fields if name not in form.errors}
    chosen["group"] = chosen.get("group") or GROUP_BY_OUTCOME
    errors = [
        {"text": error, "href": f"#{form[name].auto_id}"}
        for name, messages in form.errors.items()
        for error in messages
    ]
    return form, chosen, errors


def _page(
    request: HttpRequest,
    period: ReportingPeriod,
    result: CheckResult,
    *,
    form: AcknowledgeForm | None = None,
    errors: list | None = None,
    status: int = 200,
) -> HttpResponse:
    failed_key = form["finding_key"].value() if form is not None else None
    can_acknowledge = can_acknowledge_findings(request.user)
    filter_form, chosen, filter_errors = _chosen(request)
    may_chase = can_chase(request.user) and period.state != PeriodState.PUBLISHED
    people = PlanPeople.for_period(
        period, last_chased=services.chases_last_sent(period=period) if may_chase else {}
    )
    shown = filtered(
        result.publication_blockers, severity=chosen.get("severity", ""), rule=chosen.get("rule", "")
    )
    groups = grouped(shown, by=chosen["group"], user=request.user, period=period, people=people)
    # Lead Directors with an update waiting for their approval: the page offers to chase them all.
    leads_to_chase = {
        actor.person.pk
        for actor in (people.actor(f) for f in result.publication_blockers if f.rule == Rule.NOT_APPROVED)
        if actor.fixed_by == FixedBy.LEAD_DIRECTOR and actor.person is not None
    }
    for group in groups:
        for line in group.lines:
            for item in line.items:
                if can_acknowledge and not item.finding.blocks:
                    key = item.finding.key
                    item.acknowledge = {
                        "form": form if key == failed_key else _acknowledge_form(key),
                        "failed": key == failed_key,
                    }
    unacknowledged = result.unacknowledged_warnings
    return render(
        request,
        "outcomes/checks.html",
        {
            "period": period,
            "result": result,
            "blocking": result.blocking,
            "warnings": unacknowledged,
            "acknowledged": result.acknowledged_warnings,
            "can_acknowledge": can_acknowledge,
            "can_chase_people": may_chase,
            "leads_to_chase": len(leads_to_chase) if may_chase else 0,
            "filter_form": filter_form,
            "groups": groups,
            "shown_count": len(shown),
            "shown_lines": sum(len(group.lines) for group in groups),
            "filtered": bool(chosen.get("severity") or chosen.get("rule")),
            "form": form,
            "errors": (errors or []) + filter_errors,
        },
        status=400 if filter_errors and status == 200 else status,
    )


@require_safe
def period_checks(request: HttpRequest, slug: str) -> HttpResponse:
    period = _period(slug)
    if not can_view_checks(request.user):
        raise PermissionDenied(
            "Only the Programme Office, Lead Directors, Commissioners and Democratic Services "
            "can see a period’s pre-publication checks."
        )
    return _page(request, period, period_check(period=period))


@require_POST
@refusals_forbidden
def check_acknowledge(request: HttpRequest, slug: str) -> HttpResponse:
    period = _period(slug)
    if not can_acknowledge_findings(request.user):
        raise PermissionDenied("Only the Programme Office can acknowledge a pre-publication warning.")
    form = _acknowledge_form("", request.POST)
    errors: list = []
    if form.is_valid():
        try:
            services.check_acknowledge(
                period=period,
                finding_key=form.cleaned_data["finding_key"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            errors = [str(error)]
        else:
            messages.success(request, "Warning acknowledged. It no longer stops publication.")
            return redirect(reverse("outcomes:period_checks", args=[period.slug]))
    return _page(request, period, period_check(period=period), form=form, errors=errors, status=422)
