"""Template helpers that show a RAG rating the same way on every page."""

from django import template

from core.rag import movement, rag_style

register = template.Library()


@register.filter(name="rag_style")
def rag_style_filter(value):
    return rag_style(value)


@register.inclusion_tag("includes/rag_tag.html")
def rag_tag(value):
    """`{% rag_tag assessment.rag %}`: the letter, visibly, and the word for screen readers."""
    return {"rag": rag_style(value) if value else None}


@register.simple_tag
def rag_movement(previous, current):
    """`{% rag_movement prev curr as move %}`: a Movement with .label, .arrow, .value."""
    return movement(previous, current)
