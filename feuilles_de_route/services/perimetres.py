"""The périmètre rule every writer of a feuille de route shares: no two infra-départementales
feuilles de route cover the same commune."""

from collections.abc import Sequence

from django.db.models import Q

from core.text import sort_key
from territoires.models import Commune, Departement

from ..enums import TypePerimetre

MAX_COMMUNES_NOMMEES = 15


def _liste_communes(noms: list[str]) -> str:
    if len(noms) <= MAX_COMMUNES_NOMMEES:
        return ", ".join(noms)
    reste = len(noms) - MAX_COMMUNES_NOMMEES
    return ", ".join(noms[:MAX_COMMUNES_NOMMEES]) + f" et {reste} autre{'s' if reste > 1 else ''}"


def perimetre_conflicts(
    *, departement: Departement, perimetres: Sequence[tuple[str, str, Sequence[str]]]
) -> dict[int, str]:
    """Two infra-départemental feuilles de route never cover the same commune (webinar of
    14 November 2023). `perimetres` are (nom, TypePerimetre, EPCI codes) in the form's order.

    Returns {index of the later feuille de route: French message naming the communes in conflict
    and the feuille de route that already covers them}. Only the département's own communes are
    named (an EPCI may straddle départements). One query, only when a conflict exists.
    """
    owner: dict[str, int] = {}  # EPCI code → index of the first feuille de route covering it
    clashes: dict[int, dict[int, set[str]]] = {}  # later index → earlier index → EPCI codes
    for index, (_nom, type_perimetre, epci_codes) in enumerate(perimetres):
        if type_perimetre != TypePerimetre.EPCI:
            continue
        for code in dict.fromkeys(epci_codes):
            if code in owner and owner[code] != index:
                clashes.setdefault(index, {}).setdefault(owner[code], set()).add(code)
            else:
                owner.setdefault(code, index)
    if not clashes:
        return {}
    all_codes = {code for by_first in clashes.values() for codes in by_first.values() for code in codes}
    communes_by_epci: dict[str, list[str]] = {}
    for epci_id, nom in (
        Commune.objects.filter(Q(departement=departement) & Q(epci_id__in=all_codes))
        .order_by("nom_recherche", "nom")
        .values_list("epci_id", "nom")
    ):
        communes_by_epci.setdefault(epci_id, []).append(nom)
    errors = {}
    for index, by_first in clashes.items():
        messages = []
        for first, codes in sorted(by_first.items()):
            noms = sorted((nom for code in codes for nom in communes_by_epci.get(code, [])), key=sort_key)
            messages.append(
                f"Les communes suivantes sont déjà couvertes par la feuille de route « {perimetres[first][0]} » : "
                f"{_liste_communes(noms)}."
            )
        errors[index] = " ".join(messages)
    return errors
