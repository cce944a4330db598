"""The roadmap's targets, summed (selectors: reads only): for each of the twelve indicators of
the circulaire's annex, the sum of the feuilles de route's targets for 2023, 2025 and 2027, per
département, région and for the country, against the national objectives where one exists; and
the co-financements summed by kind of funder.

Which document of a feuille de route counts: its latest approved version by default; with
`brouillons`, its latest version whatever its statut (a draft's targets may still change).
Four queries, whatever the number of feuilles de route.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from comptes import perms
from core.formats import french_amount, french_number
from feuilles_de_route.enums import Indicateur, StatutDocument, TypeFinanceur
from feuilles_de_route.models import Cofinancement, Document, IndicateurCible

from .selectors import CAMPAGNE_ZONES, departements_campagne

ANNEES = (2023, 2025, 2027)


@dataclass(frozen=True)
class ObjectifNational:
    """One of the four national objectives for 2027 (the home page shows them), and the
    indicators of the annex whose targets answer it."""

    cle: str
    chiffre: str
    texte: str
    valeur: int
    indicateurs: tuple[Indicateur, ...]
    note: str = ""


OBJECTIFS_NATIONAUX = (
    ObjectifNational(
        "accompagnes",
        "8 millions",
        "de personnes éloignées du numérique accompagnées",
        8_000_000,
        (Indicateur.ACCOMPAGNEMENTS_CONUM, Indicateur.ACCOMPAGNEMENTS_MEDIATEURS),
        note=(
            "Les feuilles de route comptent des accompagnements (par les conseillers numériques et par "
            "les médiateurs), l'objectif des personnes : une personne accompagnée plusieurs fois compte "
            "plusieurs fois. La comparaison n'est qu'indicative."
        ),
    ),
    ObjectifNational("lieux", "25 000", "lieux de médiation numérique", 25_000, (Indicateur.LIEUX,)),
    ObjectifNational("aidants", "20 000", "aidants numériques formés", 20_000, (Indicateur.AIDANTS_FORMES,)),
    ObjectifNational(
        "equipements",
        "2 millions",
        "d'équipements reconditionnés accessibles aux ménages modestes",
        2_000_000,
        (Indicateur.RECONDITIONNES,),
    ),
)


@dataclass
class Sommes:
    """Targets summed over some départements; `departements` counts those with a target."""

    cibles: dict[int, int] = field(default_factory=lambda: dict.fromkeys(ANNEES, 0))
    departements: int = 0
    saisies: dict[int, bool] = field(default_factory=lambda: dict.fromkeys(ANNEES, False))

    def ajouter(self, valeurs: dict[int, int | None]) -> None:
        entered = False
        for annee, valeur in valeurs.items():
            if valeur is not None:
                self.cibles[annee] += valeur
                self.saisies[annee] = True
                entered = True
        self.departements += entered

    def cible(self, annee: int) -> int | None:
        return self.cibles[annee] if self.saisies[annee] else None

    @property
    def cible_2023(self) -> int | None:
        return self.cible(2023)

    @property
    def cible_2025(self) -> int | None:
        return self.cible(2025)

    @property
    def cible_2027(self) -> int | None:
        return self.cible(2027)


@dataclass
class LigneIndicateur:
    indicateur: Indicateur
    national: Sommes
    nb_departements: int

    @property
    def libelle(self) -> str:
        return self.indicateur.label

    @property
    def part_departements(self) -> int:
        return round(100 * self.national.departements / self.nb_departements) if self.nb_departements else 0


@dataclass
class LigneObjectif:
    objectif: ObjectifNational
    cible_2027: int | None

    @property
    def part(self) -> str:
        if self.cible_2027 is None:
            return "—"
        return f"{french_number(100 * self.cible_2027 / self.objectif.valeur, decimals=1)} %"


@dataclass
class LigneTerritoire:
    code: str
    nom: str
    region: str
    sommes: Sommes
    departements: int = 1  # départements of the territory (a région's count)


@dataclass(frozen=True)
class LigneCofinancement:
    type_financeur: TypeFinanceur
    montant: Decimal | None
    feuilles: int
    departements: int

    @property
    def montant_affiche(self) -> str:
        return french_amount(self.montant) if self.montant is not None else "—"


@dataclass
class Cibles:
    brouillons: bool
    nb_departements: int
    departements_avec_cibles: int
    documents: int
    indicateurs: list[LigneIndicateur]
    objectifs: list[LigneObjectif]
    cofinancements: list[LigneCofinancement]
    # {indicateur value: rows}, for the tables of one indicator and the exports.
    par_departement: dict[str, list[LigneTerritoire]]
    par_region: dict[str, list[LigneTerritoire]]

    @property
    def part_departements_avec_cibles(self) -> int:
        return (
            round(100 * self.departements_avec_cibles / self.nb_departements) if self.nb_departements else 0
        )

    @property
    def cofinancements_total(self) -> Decimal:
        return sum((c.montant or Decimal(0) for c in self.cofinancements), Decimal(0))

    @property
    def cofinancements_total_affiche(self) -> str:
        return french_amount(self.cofinancements_total)


def documents_retenus(*, brouillons: bool) -> QuerySet[Document]:
    """One document per feuille de route of the campaign: the latest approved version, or with
    `brouillons` the latest version whatever its statut."""
    documents = Document.objects.filter(feuille_de_route__gouvernance__departement__zone__in=CAMPAGNE_ZONES)
    if not brouillons:
        documents = documents.filter(statut=StatutDocument.APPROUVEE)
    latest = (
        documents.filter(feuille_de_route=OuterRef("feuille_de_route")).order_by("-numero").values("pk")[:1]
    )
    return documents.filter(pk=Subquery(latest))


def cibles_nationales(*, user, brouillons: bool = False) -> Cibles | None:
    if not perms.can_read_national(user):
        return None
    departements = list(departements_campagne().order_by("code"))
    documents = documents_retenus(brouillons=brouillons)
    dep = "document__feuille_de_route__gouvernance__departement"
    sums = {
        (row[dep], row["indicateur"]): {
            2023: row["s2023"] if row["n2023"] else None,
            2025: row["s2025"] if row["n2025"] else None,
            2027: row["s2027"] if row["n2027"] else None,
        }
        for row in IndicateurCible.objects.filter(document__in=documents)
        .order_by()
        .values(dep, "indicateur")
        .annotate(
            s2023=Sum("cible_2023"),
            s2025=Sum("cible_2025"),
            s2027=Sum("cible_2027"),
            n2023=Count("pk", filter=Q(cible_2023__isnull=False)),
            n2025=Count("pk", filter=Q(cible_2025__isnull=False)),
            n2027=Count("pk", filter=Q(cible_2027__isnull=False)),
        )
    }
    nb = len(departements)
    par_departement: dict[str, list[LigneTerritoire]] = {}
    par_region: dict[str, list[LigneTerritoire]] = {}
    indicateurs = []
    avec_cibles: set[str] = set()
    for indicateur in Indicateur:
        national = Sommes()
        regions: dict[str, LigneTerritoire] = {}
        rows = []
        for d in departements:
            s = Sommes()
            valeurs = sums.get((d.code, indicateur.value))
            if valeurs:
                s.ajouter(valeurs)
                national.ajouter(valeurs)
                if s.departements:
                    avec_cibles.add(d.code)
            rows.append(LigneTerritoire(d.code, d.nom, d.region.nom, s))
            region = regions.get(d.region_id)
            if region is None:
                region = regions[d.region_id] = LigneTerritoire(
                    d.region_id, d.region.nom, d.region.nom, Sommes(), 0
                )
            region.departements += 1
            if valeurs:
                region.sommes.ajouter(valeurs)
        par_departement[indicateur.value] = rows
        par_region[indicateur.value] = sorted(regions.values(), key=lambda r: r.nom)
        indicateurs.append(LigneIndicateur(indicateur, national, nb))
    by_indicateur = {line.indicateur: line for line in indicateurs}
    objectifs = []
    for objectif in OBJECTIFS_NATIONAUX:
        values = [by_indicateur[i].national.cible_2027 for i in objectif.indicateurs]
        entered = [v for v in values if v is not None]
        objectifs.append(LigneObjectif(objectif, sum(entered) if entered else None))
    cofinancements = {
        row["type_financeur"]: row
        for row in Cofinancement.objects.filter(document__in=documents)
        .order_by()
        .values("type_financeur")
        .annotate(
            montant=Sum("montant"),
            feuilles=Count("document__feuille_de_route", distinct=True),
            departements=Count(dep, distinct=True),
        )
    }
    return Cibles(
        brouillons=brouillons,
        nb_departements=nb,
        departements_avec_cibles=len(avec_cibles),
        documents=documents.count(),
        indicateurs=indicateurs,
        objectifs=objectifs,
        cofinancements=[
            LigneCofinancement(
                t,
                cofinancements[t.value]["montant"] if t.value in cofinancements else None,
                cofinancements[t.value]["feuilles"] if t.value in cofinancements else 0,
                cofinancements[t.value]["departements"] if t.value in cofinancements else 0,
            )
            for t in TypeFinanceur
        ],
        par_departement=par_departement,
        par_region=par_region,
    )
