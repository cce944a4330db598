"""How the State names a territory in a signed document: « Préfecture de la Nièvre »,
« Le préfet du Doubs », « Département de l'Allier », and the périmètre of a feuille de route.
The articles come from the referential's INSEE « type de nom en clair » (territoires.articles)."""

import re

from core.formats import compte, et
from territoires.articles import de_epci


def article_de(departement) -> str:
    """« de la Nièvre », « du Doubs », « de l'Allier », « des Vosges »."""
    return departement.de_nom


def prefecture_de(departement) -> str:
    return f"Préfecture {article_de(departement)}"


def perimetre_departement(departement) -> str:
    return f"le département {article_de(departement)}"


def perimetre_region(region, nb_departements: int) -> str:
    return f"la région {region.nom} ({compte(nb_departements, 'département')})"


def perimetre_epcis(departement, noms: list[str]) -> str:
    """« les communes de la CA de Nevers et de la CC Haut Nivernais situées dans le département de
    la Nièvre » (an EPCI may straddle two départements: only this one's communes count)."""
    if not noms:
        return perimetre_departement(departement)
    return (
        "les communes "
        + et([de_epci(nom) for nom in noms])
        + f" situées dans {perimetre_departement(departement)}"
    )


# Writers often number their axes and fiches themselves (« Axe 1 – Aller vers », « 1. Former »,
# « Fiche action 2.3 : Bus numérique »); the document numbers them already, so such a prefix is
# dropped rather than printed twice (« Axe 1 – Axe 1 – Aller vers »). A bare number is only taken
# for a numbering when it is the item's own number: « 2027 : objectif zéro commune sans lieu »
# stays as written.
_AXE_PREFIX = re.compile(
    r"^\s*axe\s*(?:prioritaire\s*)?(?:n\s*[°o]\s*)?\d+\s*[-–—:.)](?!\d)\s*", re.IGNORECASE
)
_FICHE_PREFIX = re.compile(
    r"^\s*(?:fiche(?:\s*action)?|action)\s*(?:n\s*[°o]\s*)?\d+(?:[.,]\d+)?\s*[-–—:.)](?!\d)\s*",
    re.IGNORECASE,
)
_SEP = r"\s*[-–—:.)](?!\d)\s*"


def _drop_prefix(nom: str, pattern: re.Pattern, own_number: str) -> str:
    stripped = pattern.sub("", nom, count=1)
    if stripped == nom:
        stripped = re.sub(rf"^\s*{re.escape(own_number)}{_SEP}", "", nom, count=1)
    return stripped.strip() or nom.strip()


def nom_axe(nom: str, numero: int) -> str:
    """The axe's name without the writer's own « Axe 1 – » (the document prints « Axe 1 – »)."""
    return _drop_prefix(nom, _AXE_PREFIX, str(numero))


def nom_fiche(nom: str, axe: int, numero: int) -> str:
    """The fiche's name without the writer's own « Fiche action 1.2 : »."""
    return _drop_prefix(nom, _FICHE_PREFIX, f"{axe}.{numero}")
