"""The landing page: the plans, the reporting periods and where each role starts."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.navigation import primary_navigation
from accounts.roles import roles_of
from outcomes.selectors import period_list
from plans.selectors import plan_list


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/home.html",
        {
            "plans": plan_list(),
            "periods": period_list(),
            "roles": sorted(roles_of(request.user)),
            # The first few sections this person's roles open, home itself aside.
            "start_here": [item for item in primary_navigation(request) if item["url"] != "/"][:4],
        },
    )
