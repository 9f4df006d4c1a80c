"""Who may read which reports and dashboards. Views and selectors both ask here."""

from accounts.roles import DRAFT_READERS, EVERYONE, Role, has_role

READERS = EVERYONE
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
