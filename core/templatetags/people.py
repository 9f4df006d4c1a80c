"""`{{ user|display_name }}`: a person named on a page exactly as in emails and exports."""

from django import template

from core.people import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user) -> str:
    return _display_name(user)
