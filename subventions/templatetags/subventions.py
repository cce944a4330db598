"""Amounts as French readers write them, for the subventions' pages (core.formats; no data)."""

from django import template

from core.formats import french_date, french_datetime, french_euros, french_number

register = template.Library()


@register.filter
def euros(value) -> str:
    """12500 → « 12 500 € »; 12500.5 → « 12 500,50 € »; None → « — »."""
    return french_euros(value) or "—"


@register.filter
def pourcent(value) -> str:
    """12.5 → « 12,5 % »."""
    if value is None or value == "":
        return "—"
    return f"{french_number(value)}\u202f%"


@register.filter
def date_fr(value) -> str:
    """« 1er décembre 2026 »."""
    return french_date(value)


@register.filter
def date_heure_fr(value) -> str:
    """« 1er décembre 2026 à 14h38 »."""
    return french_datetime(value)
