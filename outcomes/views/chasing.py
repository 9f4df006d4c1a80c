"""The Programme Office chases people: one person, every owner with outstanding updates, or every Lead
Director with sign-offs pending. Chasing someone again within a day asks for confirmation first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.people import display_name
from core.refusals import refusals_forbidden
from outcomes import permissions, services
from outcomes.exceptions import ChaseNeedsConfirmation, DomainError
from outcomes.forms import ChaseForm
from outcomes.models import ReportingPeriod

CHASE_ONLY = "Only the Programme Office can send reminders."


def _return_to(request: HttpRequest, form: ChaseForm, period: ReportingPeriod) -> str:
    wanted = form.cleaned_data.get("next") if form.is_valid() else ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("outcomes:completion", args=[period.slug])


def _outcome_message(request: HttpRequest, result: services.RemindersSent, who: tuple[str, str]) -> None:
    sent = len(result.sent)
    text = f"Reminder emailed to {sent} {who[0] if sent == 1 else who[1]}."
    if result.no_email:
        text += (
            f" {len(result.no_email)} without an email address could not be reminded: "
            f"{', '.join(result.no_email)}."
        )
    if result.failed:
        text += f" {len(result.failed)} could not be sent; try again later."
        # Not a success: a reminder that did not go is said as plainly as one that did.
        messages.error(request, text)
    else:
        messages.success(request, text)


def _chase(request: HttpRequest, slug: str, *, who: tuple[str, str], chase, action_url: str) -> HttpResponse:
    """Run one chase service; a recent chase turns into the confirmation page, a refusal into a message."""
    if not permissions.can_chase(request.user):
        raise PermissionDenied(CHASE_ONLY)
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), slug=slug)
    form = ChaseForm(request.POST)
    back = _return_to(request, form, period)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        result = chase(period=period, by=request.user, again_after=form.cleaned_data["again_after"])
    except ChaseNeedsConfirmation as recent:
        return render(
            request,
            "outcomes/chase_confirm.html",
            {
                "period": period,
                "recent": sorted(recent.recent.items(), key=lambda item: display_name(item[0])),
                "seen_up_to": recent.seen_up_to.isoformat(),
                "action_url": action_url,
                "back": back,
            },
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(back)
    _outcome_message(request, result, who)
    return redirect(back)


@require_POST
@refusals_forbidden
def chase_outstanding_owners(request: HttpRequest, slug: str) -> HttpResponse:
    return _chase(
        request,
        slug,
        who=("owner with outstanding updates", "owners with outstanding updates"),
        chase=services.reminder_chase,
        action_url=reverse("outcomes:completion_chase", args=[slug]),
    )


@require_POST
@refusals_forbidden
def chase_lead_directors(request: HttpRequest, slug: str) -> HttpResponse:
    return _chase(
        request,
        slug,
        who=("Lead Director with sign-offs pending", "Lead Directors with sign-offs pending"),
        chase=services.reminder_chase_lead_directors,
        action_url=reverse("outcomes:chase_lead_directors", args=[slug]),
    )


@require_POST
@refusals_forbidden
def chase_person(request: HttpRequest, slug: str, person_pk: int) -> HttpResponse:
    if not permissions.can_chase(request.user):
        raise PermissionDenied(CHASE_ONLY)
    person = get_object_or_404(get_user_model(), pk=person_pk)

    def chase(**kwargs):
        return services.reminder_chase_person(person=person, **kwargs)

    return _chase(
        request,
        slug,
        who=(f"person: {display_name(person)}", f"people: {display_name(person)}"),
        chase=chase,
        action_url=reverse("outcomes:chase_person", args=[slug, person.pk]),
    )
