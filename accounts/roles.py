"""The roles people hold in the update cycle. Each role is a Django group of that name."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models


class Role(models.TextChoices):
    OFFICER = "Officer", "Officer (service lead)"
    LEAD_DIRECTOR = "Lead Director", "Lead Director"
    PROGRAMME_OFFICE = "Programme Office", "Programme Office"
    COMMISSIONER = "Commissioner", "Commissioner"
    DEMOCRATIC_SERVICES = "Democratic Services", "Democratic Services"
    BOARD_MEMBER = "Board member", "Board member"


# Everyone with a role may read what is published: the plan, the dashboard, published reports.
EVERYONE = tuple(Role.values)
# Unpublished periods are drafts: seen by those who run, sign off, oversee or file the cycle,
# never by officers beyond their own criteria.
DRAFT_READERS = (Role.PROGRAMME_OFFICE, Role.LEAD_DIRECTOR, Role.COMMISSIONER, Role.DEMOCRATIC_SERVICES)


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The role names a user holds, read once per request object and cached on it."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_irp_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._irp_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return bool(roles_of(user).intersection(roles))
