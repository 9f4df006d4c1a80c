"""The landing page: the plans, the reporting periods and where each role starts."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.navigation import primary_navigation
from accounts.roles import roles_of
from outcomes.selectors import period_list
from plans.selectors import plan_list
from reporting.permissions import can_read_period, can_read_reports
from reporting.todo import todos_for


def home(request: HttpRequest) -> HttpResponse:
    # Only what this person may open: an officer sees no draft period, nor a report link that would 403.
    user = request.user
    return render(
        request,
        "reporting/home.html",
        {
            "can_read_plans": can_read_reports(user),
            "plans": plan_list() if can_read_reports(user) else [],
            "periods": [period for period in period_list() if can_read_period(user, period)],
            "roles": sorted(roles_of(user)),
            "todos": todos_for(user),
            # Every section this person's roles open, home itself aside (the navigation's own rule).
            "start_here": [item for item in primary_navigation(request) if item["url"] != "/"],
        },
    )
