"""Reads a due date as a plan writes it ("22/02/23 (Feb Council)", "March 2023", "2025", "Ongoing").

The rule is the council's reading of its own plan: a leading dd/mm/yy is that day; a leading
month (name or abbreviation) and year is the month's last day, because "due March 2023" means
done by the end of March; a year alone is 31 December; anything else has no date, so it is
never overdue and is listed as having none.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
        calendar.month_name[number][:4].lower(),  # "Sept", "June", "July"
    }
}
DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?!\d)")
MONTH_YEAR = re.compile(r"^\s*([A-Za-z]+)\.?\s+(\d{4})(?!\d)")
YEAR_ALONE = re.compile(r"^\s*(\d{4})\s*$")


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def loose_due_date(written: str | None) -> dt.date | None:
    """The date a loosely written due date stands for, or None when it names no date."""
    text = written or ""
    if match := DAY_MONTH_YEAR.match(text):
        day, month, year = int(match[1]), int(match[2]), _year(match[3])
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None  # "31/02/24": a date that does not exist names no date
    if match := MONTH_YEAR.match(text):
        month = MONTHS.get(match[1].lower())
        if month is None:
            return None
        year = int(match[2])
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if match := YEAR_ALONE.match(text):
        return dt.date(int(match[1]), 12, 31)
    return None
