"""Small helpers of the feuille de route's templates (the print one and the editor)."""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def texte(value: str) -> SafeString:
    """A free-text answer as paragraphs, or a visible « non renseigné » when it is empty."""
    if not (value or "").strip():
        return format_html('<p class="vide">{}</p>', "Non renseigné.")
    return linebreaks_filter(value, autoescape=True)


@register.filter
def nombre(value) -> str:
    """A target as French digits (« 12 500 »), or a dash when it is not set."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", "\u202f")
