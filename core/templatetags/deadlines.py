"""`{% deadline_tag period %}`: a period's deadline with how near it is, the same on every page."""

from django import template
from django.utils import timezone

from core.deadlines import deadline_status

register = template.Library()


@register.inclusion_tag("includes/deadline_tag.html")
def deadline_tag(period, date_format="l j F Y", today=None):
    """The date, and while the period is open a tag saying "5 days left", "due today" or "overdue".

    A closed or published period's deadline is history: "overdue by 300 days" would say nothing.
    """
    deadline = getattr(period, "deadline", None)
    status = None
    if deadline is not None and getattr(period, "is_open", False):
        status = deadline_status(deadline, today or timezone.localdate())
    return {"deadline": deadline, "date_format": date_format, "status": status}
