"""French agreement in templates: `{{ n }} commune{{ n|pluriel }}`, `{{ n|pluriel:"exprime,expriment" }}`.

The same rule as core.formats.accord: below two is singular (« 0 commune », « 1 département
exprime »), where Django's `pluralize` says « 0 communes »."""

from django import template

from core.formats import est_pluriel

register = template.Library()


@register.filter
def pluriel(count, forms: str = "s") -> str:
    """Like `pluralize`: "s" by default; "x" for a suffix; "singulier,pluriel" for two words."""
    try:
        number = len(count) if hasattr(count, "__len__") and not isinstance(count, str) else float(count)
    except (TypeError, ValueError):
        return ""
    singulier, _, plural = forms.rpartition(",") if "," in forms else ("", "", forms)
    return plural if est_pluriel(number) else singulier
