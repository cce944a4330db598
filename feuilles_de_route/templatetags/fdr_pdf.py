"""Small helpers of the feuille de route's templates (the print one and the editor)."""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString

from feuilles_de_route.libelles import nom_axe

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


@register.filter(name="nom_axe")
def nom_axe_filter(nom: str, numero: int) -> str:
    """`{{ axe.nom|nom_axe:forloop.counter }}`: without the writer's own « Axe 1 – »."""
    return nom_axe(nom, numero)
