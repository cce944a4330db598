from django import template

from candidatures.selectors import compteurs_for_departement

register = template.Library()


@register.simple_tag(takes_context=True)
def candidats_compteurs(context, departement):
    """The counters of the préfecture home card (kept here so the territoires view stays unaware)."""
    return compteurs_for_departement(user=context["request"].user, departement=departement)
