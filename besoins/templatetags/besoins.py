from django import template

from besoins.selectors import besoins_page

register = template.Library()


@register.simple_tag(takes_context=True)
def besoins_page_for(context, departement):
    """The state shown on the département home card (kept here so territoires stays unaware)."""
    return besoins_page(user=context["request"].user, departement=departement)
