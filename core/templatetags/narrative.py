"""`{{ text|narrative }}`: a narrative as escaped paragraphs and real bulleted lists (core.narrative)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core.narrative import narrative_blocks

register = template.Library()


@register.filter(name="narrative")
def narrative_filter(text: str, list_class: str = "") -> SafeString:
    """Every word escaped; `list_class` is our own class for the <ul> (e.g. GOV.UK's bullet list)."""
    parts = []
    for block in narrative_blocks(text):
        if block.is_list:
            items = format_html_join("", "<li>{}</li>", ((item,) for item in block.items))
            parts.append(
                format_html('<ul class="{}">{}</ul>', list_class, items)
                if list_class
                else format_html("<ul>{}</ul>", items)
            )
        else:
            lines = format_html_join(mark_safe("<br>"), "{}", ((line,) for line in block.items))
            parts.append(format_html("<p>{}</p>", lines))
    return mark_safe("\n".join(parts))  # noqa: S308 - every part above is built by format_html
