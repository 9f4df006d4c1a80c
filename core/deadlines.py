"""How near a deadline is, in words: "5 days left", "due today", "overdue by 2 days".

Said once here so every page (and any email) words and colours a deadline the same way. The
colour is a GOV.UK tag modifier; the words always carry the meaning on their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Within this many days the tag turns from grey to yellow, so a near deadline stands out.
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class DeadlineStatus:
    text: str
    tag_modifier: str  # govuk-tag--<modifier>
    days_left: int  # negative once overdue

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0

    @property
    def due(self) -> str:
        """To follow a count: "3 updates due in 5 days", "due today", "overdue by 2 days"."""
        if self.days_left > 0:
            return f"due in {_days(self.days_left)}"
        return self.text


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def deadline_status(deadline: dt.date, today: dt.date) -> DeadlineStatus:
    """The words and colour for a deadline seen on `today`."""
    days_left = (deadline - today).days
    if days_left < 0:
        return DeadlineStatus(f"overdue by {_days(-days_left)}", "red", days_left)
    if days_left == 0:
        return DeadlineStatus("due today", "orange", 0)
    modifier = "yellow" if days_left <= DUE_SOON_DAYS else "grey"
    return DeadlineStatus(f"{_days(days_left)} left", modifier, days_left)
