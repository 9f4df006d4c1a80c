"""Template helpers that show a RAG rating the same way on every page."""

from django import template
from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import SafeString

from core.rag import RagStyle, movement, rag_style

register = template.Library()


@register.filter(name="rag_style")
def rag_style_filter(value):
    return rag_style(value)


RAG_TAG_TEMPLATE = "includes/rag_tag.html"
# style -> (template, its markup). There are four ratings and a page can show hundreds of them
# (the dashboard at 100 × Thurrock lists 400), so each is rendered once, not once per cell; a
# reloaded template (a new object) is rendered afresh.
_rag_tag_markup: dict[RagStyle | None, tuple[object, SafeString]] = {}


@register.simple_tag
def rag_tag(value) -> SafeString:
    """`{% rag_tag assessment.rag %}`: the letter, visibly, and the word for screen readers."""
    style = rag_style(value) if value else None
    # The engine's own template: the same object for as long as its loader keeps it.
    rag_template = get_template(RAG_TAG_TEMPLATE).template
    rendered = _rag_tag_markup.get(style)
    if rendered is None or rendered[0] is not rag_template:
        # A template's output is already safe markup (its variables escaped as it went).
        rendered = _rag_tag_markup[style] = (rag_template, rag_template.render(Context({"rag": style})))
    return rendered[1]


@register.simple_tag
def rag_movement(previous, current):
    """`{% rag_movement prev curr as move %}`: a Movement with .label, .arrow, .value."""
    return movement(previous, current)
