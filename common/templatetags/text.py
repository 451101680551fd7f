"""``{% load text %}``: show people's rich text safely (``{{ resource.body|markdown }}``)."""

from django import template
from django.utils.safestring import mark_safe

from common.sanitise import clean_html, markdown_to_html

register = template.Library()


@register.filter
def markdown(value: str) -> str:
    """Markdown as cleaned HTML (see common/sanitise.py)."""
    return mark_safe(markdown_to_html(value))  # noqa: S308 - cleaned by nh3 just above


@register.filter
def cleaned(value: str) -> str:
    """Stored HTML cleaned again on the way out, whatever was saved."""
    return mark_safe(clean_html(value))  # noqa: S308 - cleaned by nh3 just above
