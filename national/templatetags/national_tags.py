from django import template

from national.selectors import departements_of_candidat

register = template.Library()


@register.filter
def departements_candidat(manifestation):
    return departements_of_candidat(manifestation)
