"""Who may read which reports and dashboards. Views and selectors both ask here."""

from accounts.roles import Role, has_role

# Everyone with a role may read a published (official) period.
READERS = tuple(Role.values)
# Unpublished periods are drafts: seen by those who run, sign off or oversee the cycle.
DRAFT_READERS = (Role.PROGRAMME_OFFICE, Role.COMMISSIONER, Role.LEAD_DIRECTOR, Role.DEMOCRATIC_SERVICES)
# Report files for agenda packs and open data.
DOWNLOADERS = (Role.DEMOCRATIC_SERVICES, Role.COMMISSIONER, Role.PROGRAMME_OFFICE)


def can_read_reports(user) -> bool:
    return has_role(user, *READERS)


def can_read_period(user, period) -> bool:
    if period.is_published:
        return has_role(user, *READERS)
    return has_role(user, *DRAFT_READERS)


def can_download_reports(user) -> bool:
    return has_role(user, *DOWNLOADERS)
