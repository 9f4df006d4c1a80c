"""The service navigation: which sections a signed-in person sees, by role."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from accounts.roles import EVERYONE, Role, has_role


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    roles: tuple[str, ...]
    description: str = ""


# Order is the order in the header. A section whose URL is not installed is skipped.
SECTIONS = [
    Section("Home", "home", EVERYONE),
    Section(
        "My updates",
        "outcomes:my_updates",
        (Role.OFFICER,),
        "Rate and describe progress on the success criteria you own this quarter.",
    ),
    Section(
        "Sign-off",
        "outcomes:signoff",
        (Role.LEAD_DIRECTOR,),
        "Approve or return your outcomes' updates and write each Lead Director Summary.",
    ),
    Section(
        "Periods",
        "outcomes:period_list",
        (Role.PROGRAMME_OFFICE,),
        "Open, close and publish reporting periods; see who has not submitted; run the checks.",
    ),
    Section(
        "Dashboard",
        "reporting:dashboard",
        EVERYONE,
        "Where the plan stands, what moved since last quarter and what is red.",
    ),
    Section(
        "Criteria",
        "reporting:criteria",
        EVERYONE,
        "Filter every success criterion by period, Direction, outcome, rating or movement; export it.",
    ),
    Section(
        "Directions",
        "plans:direction_list",
        EVERYONE,
        "Which objectives answer each Direction, and how their outcomes are rated.",
    ),
    Section(
        "Plans", "plans:plan_list", EVERYONE, "The plans' priorities, workstreams, objectives and actions."
    ),
    Section(
        "Metrics",
        "reporting:metric_library",
        EVERYONE,
        "Key performance indicators with their targets, ratings and trends.",
    ),
    Section(
        "Delivery",
        "delivery:home",
        (Role.PROGRAMME_OFFICE, Role.COMMISSIONER, Role.DEMOCRATIC_SERVICES, Role.BOARD_MEMBER),
        "Milestones, RAID logs and each board's exception report.",
    ),
    Section(
        "Reports",
        "reporting:report_list",
        EVERYONE,
        "Each quarter's outcome report, to read or download as PDF, Excel or JSON.",
    ),
]


def primary_navigation(request: HttpRequest) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    # A page reached from more than one section (a criterion's history) names its own; others match by path.
    chosen = getattr(request, "navigation_section", None)
    items = []
    for section in SECTIONS:
        if not has_role(user, *section.roles):
            continue
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        if chosen:
            active = section.url_name == chosen
        else:
            active = request.path == url if url == "/" else request.path.startswith(url)
        items.append(
            {"label": section.label, "url": url, "active": active, "description": section.description}
        )
    return items
