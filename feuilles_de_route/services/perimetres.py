"""The périmètre rule every writer of a feuille de route shares: no two infra-départementales
feuilles de route cover the same commune."""

from collections.abc import Sequence

from core.formats import compte
from core.text import sort_key
from territoires.models import Commune, Departement

from ..enums import TypePerimetre

MAX_COMMUNES_NOMMEES = 15


def _liste_communes(noms: list[str]) -> str:
    if len(noms) <= MAX_COMMUNES_NOMMEES:
        return ", ".join(noms)
    reste = len(noms) - MAX_COMMUNES_NOMMEES
    return ", ".join(noms[:MAX_COMMUNES_NOMMEES]) + f" et {compte(reste, 'autre')}"


def perimetre_conflicts(
    *, departement: Departement, perimetres: Sequence[tuple[str, str, Sequence[str]]]
) -> dict[int, str]:
    """Two infra-départemental feuilles de route never cover the same commune (webinar of
    14 November 2023). `perimetres` are (nom, TypePerimetre, EPCI codes) in the form's order; a
    code may name an établissement public territorial of the Grand Paris, whose communes are
    also those of the Métropole: the Métropole and one of its EPT overlap.

    Returns {index of the later feuille de route: French message naming the communes in conflict
    and the feuille de route that already covers them}. Only the département's own communes are
    named (an EPCI may straddle départements). One query, only when two infra-départementales
    or more are declared.
    """
    infra = [
        (index, set(codes))
        for index, (_nom, type_perimetre, codes) in enumerate(perimetres)
        if type_perimetre == TypePerimetre.EPCI and codes
    ]
    if len(infra) < 2:
        return {}
    all_codes = set().union(*(codes for _, codes in infra))
    communes = list(
        Commune.objects.filter(departement=departement)
        .in_groupements(all_codes)
        .order_by("nom_recherche", "code")
        .values_list("code", "nom", "epci_id", "ept_id")
    )
    owner: dict[str, int] = {}  # commune code → index of the first feuille de route covering it
    clashes: dict[int, dict[int, list[str]]] = {}  # later index → earlier index → commune names
    for index, codes in infra:
        for code, nom, epci_id, ept_id in communes:
            if epci_id not in codes and ept_id not in codes:
                continue
            if code in owner:
                clashes.setdefault(index, {}).setdefault(owner[code], []).append(nom)
            else:
                owner[code] = index
    errors = {}
    for index, by_first in clashes.items():
        messages = [
            f"Les communes suivantes sont déjà couvertes par la feuille de route « {perimetres[first][0]} » : "
            f"{_liste_communes(sorted(noms, key=sort_key))}."
            for first, noms in sorted(by_first.items())
        ]
        errors[index] = " ".join(messages)
    return errors
