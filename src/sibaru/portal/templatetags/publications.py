"""Bilingual publication text: the reader's language, else Indonesian marked lang="id" (WCAG 3.1.2)."""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


def localized(publication, field: str) -> tuple[str, bool]:
    """The text of `field` in the active language and whether it fell back to Indonesian."""
    if get_language() == "en":
        english = getattr(publication, f"{field}_en")
        if english.strip():
            return english, False
    return getattr(publication, f"{field}_id"), get_language() != "id"


@register.simple_tag
def bilingual(publication, field: str, plain: bool = False):
    """The text; a fallback is wrapped in <span lang="id"> unless `plain` (inside <title> or an attribute)."""
    text, fallback = localized(publication, field)
    return format_html('<span lang="id">{}</span>', text) if fallback and not plain else text


@register.simple_tag
def bilingual_paragraphs(publication, field: str):
    """Plain text with blank-line paragraphs: escaped, never HTML from the editor."""
    text, fallback = localized(publication, field)
    paragraphs = linebreaks_filter(text, autoescape=True)
    return format_html('<div lang="id">{}</div>', paragraphs) if fallback else paragraphs


@register.simple_tag
def bilingual_lang(publication, field: str) -> str:
    """The lang attribute for an attribute value (an image's alt text) that fell back to Indonesian."""
    return "id" if localized(publication, field)[1] else ""
