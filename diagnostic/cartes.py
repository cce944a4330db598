"""The diagnostic's maps: which figure colours the départements and the communes, and how.

Each indicator reads a row the selectors already computed (no query here) and gives the text that
both the map's accessible names and the tables next to it show, so that they never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.formats import french_number
from territoires.geo.cartes import Echelle, EntreeLegende, Lieu, Valeur

from .enums import SEUIL_FORTE_FRAGILITE, TYPOLOGIES, typologie_label


@dataclass(frozen=True)
class IndicateurCarte:
    cle: str
    libelle: str
    echelle: Echelle
    valeur: Callable[[object], Valeur]


def _nombre(value, decimals: int) -> str:
    return french_number(value, decimals=decimals)


def _densite(value: float | None) -> Valeur:
    if value is None:
        return Valeur(None, "population inconnue")
    return Valeur(value, f"{_nombre(value, 1)} lieu{'x' if value >= 2 else ''} pour 10 000 habitants")


def _ifn(value: float | None) -> Valeur:
    if value is None:
        return Valeur(None, "indice de fragilité non importé")
    return Valeur(value, f"indice de fragilité numérique {_nombre(value, 1)} sur 10")


def _part_communes_avec_lieu(ligne) -> Valeur:
    if not ligne.communes:
        return Valeur(None, "aucune commune")
    avec = ligne.communes - ligne.communes_sans_lieu
    part = 100 * avec / ligne.communes
    return Valeur(part, f"{_nombre(part, 0)} % des communes avec un lieu ({avec} sur {ligne.communes})")


def _lieux_conseillers(ligne) -> Valeur:
    n = ligne.lieux_conseillers
    return Valeur(n, f"{n} lieu{'x' if n > 1 else ''} accueillant des conseillers numériques")


ECHELLE_DENSITE = Echelle(seuils=(1, 2, 3, 4), formater=lambda v: _nombre(v, 0), unite="pour 10 000 hab.")
# The buckets of the IFN distribution chart (enums.TrancheIfn), so that map and chart agree.
ECHELLE_IFN = Echelle(seuils=(3, 5, SEUIL_FORTE_FRAGILITE, 9), formater=lambda v: _nombre(v, 0))
ECHELLE_PART = Echelle(seuils=(20, 40, 60, 80), formater=lambda v: _nombre(v, 0), unite="%")

# The national map by département (rows: selectors.DepartementLigne, or any row with the same
# attributes, such as the national consolidation's).
INDICATEURS_DEPARTEMENTS = {
    i.cle: i
    for i in (
        IndicateurCarte(
            "densite",
            "Lieux de médiation numérique pour 10 000 habitants",
            ECHELLE_DENSITE,
            lambda ligne: _densite(ligne.lieux_pour_10000),
        ),
        IndicateurCarte(
            "communes-avec-lieu",
            "Part des communes ayant au moins un lieu de médiation numérique",
            ECHELLE_PART,
            _part_communes_avec_lieu,
        ),
        IndicateurCarte(
            "ifn",
            "Indice de fragilité numérique moyen (pondéré par la population)",
            ECHELLE_IFN,
            lambda ligne: _ifn(ligne.ifn_moyen),
        ),
        IndicateurCarte(
            "conseillers",
            "Lieux de médiation numérique accueillant des conseillers numériques",
            Echelle(
                seuils=(10, 25, 50, 100),
                formater=lambda v: _nombre(v, 0),
                unite="lieux",
            ),
            _lieux_conseillers,
        ),
    )
}


def _fragilite_et_offre(commune) -> Valeur:
    fragile = commune.ifn is not None and commune.ifn >= SEUIL_FORTE_FRAGILITE
    if commune.nb_lieux == 0:
        if fragile:
            return Valeur("fragile-sans-lieu", "forte fragilité numérique et aucun lieu de médiation")
        return Valeur("sans-lieu", "aucun lieu de médiation")
    lieux = f"{commune.nb_lieux} lieu{'x' if commune.nb_lieux > 1 else ''} de médiation"
    if fragile:
        return Valeur("fragile-avec-lieu", f"forte fragilité numérique, {lieux}")
    return Valeur("avec-lieu", lieux)


# The commune choropleth of a département (rows: selectors.communes_indicateurs).
INDICATEURS_COMMUNES = {
    i.cle: i
    for i in (
        IndicateurCarte(
            "ifn",
            "Indice de fragilité numérique des communes",
            ECHELLE_IFN,
            lambda commune: _ifn(commune.ifn),
        ),
        IndicateurCarte(
            "densite",
            "Lieux de médiation numérique pour 10 000 habitants",
            Echelle(
                seuils=(0.001, 5, 10, 20),
                formater=lambda v: _nombre(v, 0),
                unite="pour 10 000 hab.",
                libelles=(("s0", "Aucun lieu"), ("s1", "moins de 5 pour 10 000 hab.")),
            ),
            lambda commune: _densite(commune.lieux_pour_10000),
        ),
        IndicateurCarte(
            "offre",
            "Communes sans lieu de médiation et communes à forte fragilité numérique",
            Echelle(
                categories=(
                    ("avec-lieu", "Au moins un lieu"),
                    ("sans-lieu", "Aucun lieu"),
                    ("fragile-avec-lieu", f"Indice ≥ {SEUIL_FORTE_FRAGILITE}, au moins un lieu"),
                    ("fragile-sans-lieu", f"Indice ≥ {SEUIL_FORTE_FRAGILITE}, aucun lieu"),
                )
            ),
            _fragilite_et_offre,
        ),
    )
}


def choisir(indicateurs: dict[str, IndicateurCarte], cle: str | None) -> IndicateurCarte:
    """The indicator asked for in the query string, the first one otherwise."""
    return indicateurs.get(cle or "", next(iter(indicateurs.values())))


# --- The lieux as points ------------------------------------------------------------------------

LABELS_POINTS = (
    ("france_services", "France services"),
    ("conseillers_numeriques", "Conseillers numériques"),
    ("aidants_connect", "Aidants Connect"),
)
POINTS = {"label": "par label ou dispositif", "typologie": "par typologie"}
TOP_TYPOLOGIES_POINTS = 7


def points_lieux(lieux: list, *, par: str) -> tuple[list[Lieu], list[EntreeLegende]]:
    """The geolocated lieux as points, coloured by their first label (`par="label"`) or by their
    main typology (the most frequent ones, then « autres »), and the legend of the points."""
    if par == "typologie":
        counts: dict[str, int] = {}
        for lieu in lieux:
            counts[lieu.typologie] = counts.get(lieu.typologie, 0) + 1
        top = [code for code, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][
            :TOP_TYPOLOGIES_POINTS
        ]
        classes = {code: f"p{i + 1}" for i, code in enumerate(top)}
        libelles = [(f"p{i + 1}", typologie_label(code)) for i, code in enumerate(top)]
        if len(counts) > len(top):
            libelles.append(("p0", "Autres typologies"))

        def classe(lieu) -> str:
            return classes.get(lieu.typologie, "p0")
    else:
        libelles = [(f"p{i + 1}", label) for i, (_, label) in enumerate(LABELS_POINTS)]
        libelles.append(("p0", "Sans ces labels"))

        def classe(lieu) -> str:
            for i, (attr, _) in enumerate(LABELS_POINTS):
                if getattr(lieu, attr):
                    return f"p{i + 1}"
            return "p0"

    points, counts_classes = [], {}
    for lieu in lieux:
        c = classe(lieu)
        counts_classes[c] = counts_classes.get(c, 0) + 1
        points.append(
            Lieu(
                longitude=lieu.longitude,
                latitude=lieu.latitude,
                classe=c,
                libelle=f"{lieu.nom} ({TYPOLOGIES.get(lieu.typologie, lieu.typologie or 'typologie non renseignée')})",
            )
        )
    legende = [EntreeLegende(c, label, counts_classes.get(c, 0)) for c, label in libelles]
    return points, legende
