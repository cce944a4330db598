"""Template tags other pages use to show feuilles de route (e.g. the porteur's space)."""

from django import template

from ..selectors import feuilles_for

register = template.Library()


@register.inclusion_tag("feuilles_de_route/includes/mes_feuilles.html", takes_context=True)
def mes_feuilles_de_route(context):
    return {"feuilles": list(feuilles_for(user=context["request"].user))}
