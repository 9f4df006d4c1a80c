"""`{% criterion_ref row %}`: a criterion's reference ("4b") linking to its history page.

The dashboard and the criteria list show up to 200 criteria, each with this link. Reversing the
history page's address and including a template for each one cost about 50 µs a row, a third of
the open quarter's dashboard after a save; the address is reversed once per script prefix and
the link written here, with the same markup as the template it replaces.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import format_html

register = template.Library()

# An id no criterion has, to find where a criterion's id goes in the reversed address.
_ANY_ID = 987654321


@lru_cache(maxsize=8)
def _history_address(script_prefix: str) -> tuple[str, str] | None:
    """The history page's address either side of the criterion's id, under this script prefix."""
    try:
        address = reverse("outcomes:criterion_history", args=[_ANY_ID])
    except NoReverseMatch:
        return None
    before, _, after = address.partition(str(_ANY_ID))
    return before, after


@receiver(setting_changed)
def _forget_addresses(*, setting: str, **_signal_arguments) -> None:
    if setting == "ROOT_URLCONF":
        _history_address.cache_clear()


@register.simple_tag
def criterion_ref(row) -> str:
    """`row`: anything with `criterion_id` and `reference` (an AssessmentListRow)."""
    # reverse() puts the request's script prefix in front, so the address is kept per prefix.
    address = _history_address(get_script_prefix())
    if address is None:
        return row.reference  # escaped by the template, as any simple tag's plain text
    before, after = address
    return format_html(
        '<a class="govuk-link" href="{}{}{}">{}'
        '<span class="govuk-visually-hidden">: history of this criterion</span></a>',
        before,
        row.criterion_id,
        after,
        row.reference,
    )
