"""The national consolidation's map of the départements: the campaign's own indicators (statut
of the gouvernance, feuilles de route, coverage of the communes by their périmètres) beside the
diagnostic's (diagnostic/cartes.py), for one row per département built by a fixed number of
queries (selectors: reads only).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum

from comptes import perms
from core.formats import french_number
from diagnostic.cartes import INDICATEURS_DEPARTEMENTS, IndicateurCarte
from diagnostic.selectors import departements_indicateurs
from feuilles_de_route.enums import TypePerimetre
from feuilles_de_route.models import FeuilleDeRoute
from gouvernances.enums import StatutGouvernance
from gouvernances.models import Coordination
from territoires.geo.cartes import Echelle, Valeur
from territoires.models import Commune

from .selectors import CAMPAGNE_ZONES, gouvernances_table


@dataclass(frozen=True)
class LigneCarte:
    """One département: the campaign's figures and the diagnostic's (same attribute names as
    diagnostic.selectors.DepartementLigne, so that the diagnostic's indicators read it too)."""

    code: str
    nom: str
    region: str
    statut: str  # "" when the département has no gouvernance
    feuilles: int
    feuilles_approuvees: int
    communes: int
    communes_couvertes: int
    communes_sans_lieu: int
    lieux_pour_10000: float | None
    ifn_moyen: float | None
    postes_coordinateurs: int
    lieux_conseillers: int


def communes_couvertes() -> dict[str, int]:
    """Communes of each département covered by a feuille de route of its gouvernance: every one
    when a départementale or régionale exists, else those of the infra-départementales' EPCI.
    One grouped query over the communes."""
    feuilles = FeuilleDeRoute.objects.filter(gouvernance__departement=OuterRef("departement"))
    infra = FeuilleDeRoute.epcis.through.objects.filter(
        epci=OuterRef("epci"),
        feuillederoute__perimetre=TypePerimetre.EPCI,
        feuillederoute__gouvernance__departement=OuterRef("departement"),
    )
    rows = (
        Commune.objects.filter(departement__zone__in=CAMPAGNE_ZONES)
        .annotate(
            entiere=Exists(
                feuilles.filter(perimetre__in=(TypePerimetre.DEPARTEMENTAL, TypePerimetre.REGIONAL))
            ),
            par_epci=Exists(infra),
        )
        .order_by()
        .values("departement")
        .annotate(n=Count("pk", filter=Q(entiere=True) | Q(par_epci=True)))
        .values_list("departement", "n")
    )
    return dict(rows)


def lignes_carte(*, user) -> list[LigneCarte]:
    """One row per département of the campaign (empty for someone who may not read the national
    pages): five queries, whatever the number of départements and feuilles de route."""
    if not perms.can_read_national(user):
        return []
    diagnostic = {d.code: d for d in departements_indicateurs()}
    couvertes = communes_couvertes()
    postes = dict(
        Coordination.objects.order_by()
        .values("gouvernance__departement")
        .annotate(n=Sum("nombre_postes"))
        .values_list("gouvernance__departement", "n")
    )
    lignes = []
    for row in gouvernances_table(user=user):
        d = diagnostic.get(row.code)
        lignes.append(
            LigneCarte(
                code=row.code,
                nom=row.nom,
                region=row.region.nom,
                statut=row.statut,
                feuilles=row.nb_feuilles,
                feuilles_approuvees=row.nb_feuilles_approuvees,
                communes=d.communes if d else 0,
                communes_couvertes=couvertes.get(row.code, 0),
                communes_sans_lieu=d.communes_sans_lieu if d else 0,
                lieux_pour_10000=d.lieux_pour_10000 if d else None,
                ifn_moyen=d.ifn_moyen if d else None,
                postes_coordinateurs=postes.get(row.code) or 0,
                lieux_conseillers=d.lieux_conseillers if d else 0,
            )
        )
    return lignes


# --- The campaign's indicators ------------------------------------------------------------------

STATUTS = (
    ("", "Pas de gouvernance"),
    (StatutGouvernance.BROUILLON.value, "Gouvernance en brouillon"),
    (StatutGouvernance.PRESSENTIE.value, "Gouvernance pressentie remontée"),
    (StatutGouvernance.DEFINITIVE.value, "Gouvernance définitive remontée"),
)


def _statut(ligne: LigneCarte) -> Valeur:
    return Valeur(ligne.statut, dict(STATUTS).get(ligne.statut, ligne.statut).lower())


def _etat_feuilles(ligne: LigneCarte) -> str:
    if not ligne.feuilles:
        return "aucune"
    if not ligne.feuilles_approuvees:
        return "declarees"
    return "toutes" if ligne.feuilles_approuvees == ligne.feuilles else "en-partie"


def _feuilles(ligne: LigneCarte) -> Valeur:
    n, a = ligne.feuilles, ligne.feuilles_approuvees
    if not n:
        return Valeur("aucune", "aucune feuille de route déclarée")
    texte = f"{n} feuille{'s' if n > 1 else ''} de route déclarée{'s' if n > 1 else ''}, {a} approuvée{'s' if a > 1 else ''}"
    return Valeur(_etat_feuilles(ligne), texte)


def _couverture(ligne: LigneCarte) -> Valeur:
    if not ligne.communes:
        return Valeur(None, "aucune commune")
    part = 100 * ligne.communes_couvertes / ligne.communes
    return Valeur(
        part,
        f"{french_number(part, decimals=0)} % des communes couvertes par une feuille de route "
        f"({ligne.communes_couvertes} sur {ligne.communes})",
    )


def _coordinateurs(ligne: LigneCarte) -> Valeur:
    n = ligne.postes_coordinateurs
    if not ligne.statut:
        return Valeur(None, "pas de gouvernance")
    if not n:
        return Valeur(0, "aucun poste de coordinateur demandé")
    return Valeur(n, f"{n} poste{'s' if n > 1 else ''} de coordinateur demandé{'s' if n > 1 else ''}")


INDICATEURS_CAMPAGNE = {
    i.cle: i
    for i in (
        IndicateurCarte("statut", "Statut de la gouvernance", Echelle(categories=STATUTS), _statut),
        IndicateurCarte(
            "feuilles",
            "Feuilles de route déclarées et approuvées",
            Echelle(
                categories=(
                    ("aucune", "Aucune feuille de route"),
                    ("declarees", "Déclarées, aucune approuvée"),
                    ("en-partie", "Une partie approuvée"),
                    ("toutes", "Toutes approuvées"),
                )
            ),
            _feuilles,
        ),
        IndicateurCarte(
            "couverture",
            "Part des communes couvertes par une feuille de route",
            Echelle(
                seuils=(25, 50, 75, 100),
                formater=lambda v: french_number(v, decimals=0),
                unite="%",
                libelles=(("s4", "Tout le département"),),
            ),
            _couverture,
        ),
        IndicateurCarte(
            "coordinateurs",
            "Postes de coordinateurs de conseillers numériques demandés par la gouvernance",
            Echelle(
                seuils=(1, 2, 3, 5),
                formater=lambda v: french_number(v, decimals=0),
                unite="postes",
                libelles=(("s0", "Aucun poste"), ("s1", "1 poste"), ("s2", "2 postes")),
            ),
            _coordinateurs,
        ),
    )
}
INDICATEURS_NATIONAUX: dict[str, IndicateurCarte] = {**INDICATEURS_CAMPAGNE, **INDICATEURS_DEPARTEMENTS}
