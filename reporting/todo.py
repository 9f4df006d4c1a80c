"""What the home page asks of each person: their own work this quarter, counted, with the way in.

Read-only, across the apps (so it lives in reporting): each item is counted from the same selectors
and checks the pages themselves use, and offered only to those whose permissions open its page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role, has_role
from core.deadlines import deadline_status
from outcomes import permissions as outcome_permissions
from outcomes import selectors as outcome_selectors
from outcomes.checks import period_check
from outcomes.models import HANDED_IN_STATUSES, AssessmentStatus
from reporting.permissions import can_read_period, can_read_reports
from reporting.selectors import period_completion


@dataclass(frozen=True)
class ToDo:
    text: str  # the sentence, e.g. "3 updates due in 5 days"
    link_text: str
    url: str
    urgent: bool = False  # overdue or blocking: shown as a warning, in words too
    detail: str = ""  # a second line, e.g. the deadline's date


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _officer(user, today) -> list[ToDo]:
    rows = outcome_selectors.my_update_rows(user=user)  # one query, open periods only
    by_period: dict = {}
    for row in rows:
        by_period.setdefault(row.period, []).append(row)
    todos = []
    url = reverse("outcomes:my_updates")
    for period, period_rows in by_period.items():
        outstanding = [row for row in period_rows if row.status not in HANDED_IN_STATUSES]
        returned = sum(1 for row in period_rows if row.status == AssessmentStatus.RETURNED)
        if not outstanding:
            todos.append(
                ToDo(f"All {len(period_rows)} of your updates for {period.title} are in", "My updates", url)
            )
            continue
        status = deadline_status(period.deadline, today) if period.deadline else None
        text = _plural(len(outstanding), "update") + (f" {status.due}" if status else " to do")
        text += f" for {period.title}"
        if returned:
            text += f", {returned} returned to you"
        deadline = f"Deadline: {period.deadline:%A %-d %B %Y}" if period.deadline else "No deadline set"
        todos.append(
            ToDo(text, "Open my updates", url, urgent=bool(status and status.days_left <= 0), detail=deadline)
        )
    return todos


def _lead_director(user) -> list[ToDo]:
    waiting = outcome_selectors.signoff_waiting_count(user=user)
    text = f"{waiting} waiting for your sign-off" if waiting else "Nothing is waiting for your sign-off"
    return [ToDo(text, "Open sign-off", reverse("outcomes:signoff"))]


def _programme_office(user) -> list[ToDo]:
    todos = []
    for period in outcome_selectors.periods_unpublished():
        # The same checks the checks page and Publish run; only unpublished periods have any to act on.
        blocking = len(period_check(period=period).blocking)
        todos.append(
            ToDo(
                f"{period.title} checks: {blocking} blocking",
                "Open the checks",
                reverse("outcomes:period_checks", args=[period.slug]),
                urgent=blocking > 0,
            )
        )
    return todos


def _readers(user) -> list[ToDo]:
    """Commissioners and board members: how complete the quarter being written is, or the latest one."""
    todos = []
    dashboard = reverse("reporting:dashboard")
    for period in outcome_selectors.periods_unpublished():
        if not period.is_open or not can_read_period(user, period):
            continue
        done = period_completion(period=period)
        todos.append(
            ToDo(
                f"{period.title}: {done.handed_in} of {done.criteria} updates in ({done.percent_done}%)",
                "See the completion summary",
                f"{dashboard}?period={period.slug}#completion",
            )
        )
    if not todos:
        latest = outcome_selectors.period_latest_published()
        if latest is not None:
            todos.append(
                ToDo(
                    f"{latest.title} is the latest published quarter",
                    "See its dashboard",
                    f"{dashboard}?period={latest.slug}",
                )
            )
    return todos


def todos_for(user) -> list[ToDo]:
    """This person's work, role by role, in the order the quarter runs."""
    today = timezone.localdate()
    todos: list[ToDo] = []
    if outcome_permissions.can_use_my_updates(user):
        todos += _officer(user, today)
    if outcome_permissions.can_use_signoff(user):
        todos += _lead_director(user)
    if outcome_permissions.can_view_checks(user) and outcome_permissions.can_run_periods(user):
        todos += _programme_office(user)
    if has_role(user, Role.COMMISSIONER, Role.BOARD_MEMBER) and can_read_reports(user):
        todos += _readers(user)
    return todos
