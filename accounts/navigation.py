"""The service navigation: which sections a signed-in person sees, by role."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from accounts.roles import Role, has_role

EVERYONE = tuple(Role.values)


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    roles: tuple[str, ...]


# Order is the order in the header. A section whose URL is not installed is skipped.
SECTIONS = [
    Section("Home", "home", EVERYONE),
    Section("My updates", "outcomes:my_updates", (Role.OFFICER,)),
    Section("Sign-off", "outcomes:signoff", (Role.LEAD_DIRECTOR,)),
    Section("Periods", "outcomes:period_list", (Role.PROGRAMME_OFFICE,)),
    Section("Dashboard", "reporting:dashboard", EVERYONE),
    Section("Criteria", "reporting:criteria", EVERYONE),
    Section("Directions", "plans:direction_list", EVERYONE),
    Section("Plans", "plans:plan_list", EVERYONE),
    Section("Reports", "reporting:report_list", EVERYONE),
]


def primary_navigation(request: HttpRequest) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for section in SECTIONS:
        if not has_role(user, *section.roles):
            continue
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": section.label, "url": url, "active": active})
    return items
