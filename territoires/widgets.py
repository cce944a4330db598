"""Form widgets of a territory input: a plain text input (or textarea, one collectivité a line)
that static/js/territoire-search.js turns into a keyboard-accessible search with suggestions
from `territoires:recherche` (the ARIA combobox and listbox pattern).

Without the script the input still works: the server reads a label, a name or a code
(`territoires.search.resolve_text`). The kinds of collectivité asked for travel in the markup
(`data-types`), so the script needs no list of its own.
"""

from collections.abc import Iterable

from django import forms
from django.urls import reverse_lazy

SEARCH_URL = reverse_lazy("territoires:recherche")


def search_attrs(
    types: Iterable[str],
    *,
    departement: str | None = None,
    departement_field: str | None = None,
    candidats: str | None = None,
) -> dict:
    """The data attributes the script reads. `departement`: a fixed département code;
    `departement_field`: the name of the form's département select; `candidats`: the id of a
    JSON script of local suggestions offered first (label, key, and what choosing them fills)."""
    attrs = {
        "data-territoire-search": "",
        "data-url": SEARCH_URL,
        "data-types": ",".join(str(t) for t in types),
        "autocomplete": "off",
        "spellcheck": "false",
    }
    if departement:
        attrs["data-departement"] = departement
    if departement_field:
        attrs["data-departement-field"] = departement_field
    if candidats:
        attrs["data-candidats"] = candidats
    return attrs


class TerritoireSearchInput(forms.TextInput):
    """One collectivité."""

    group_class = "fr-input-group"  # read by django-dsfr's field snippet

    def __init__(self, types: Iterable[str], **kwargs):
        attrs = kwargs.pop("attrs", None) or {}
        super().__init__(attrs={**search_attrs(types, **kwargs), **attrs})


class TerritoiresSearchTextarea(forms.Textarea):
    """Several collectivités, one a line; the script shows them as a list with « Retirer »."""

    group_class = "fr-input-group"

    def __init__(self, types: Iterable[str], **kwargs):
        attrs = kwargs.pop("attrs", None) or {}
        super().__init__(
            attrs={
                "rows": 4,
                **search_attrs(types, **kwargs),
                "data-multiple": "",
                # The hint the script shows once the lines have become a list.
                "data-hint": "Nom, code INSEE ou SIREN, puis choisissez dans la liste proposée : "
                "chaque collectivité choisie s'ajoute à la liste.",
                **attrs,
            }
        )
