"""French dates in templates, through core/formats.py: {{ moment|french_datetime }} gives
« 1er décembre 2026 à 10h45 »."""

from django import template

from core import formats

register = template.Library()


@register.filter
def french_date(value) -> str:
    return formats.french_date(value) if value else ""


@register.filter
def french_datetime(value) -> str:
    return formats.french_datetime(value) if value else ""
