"""Reads of the details the diagnostic imports: the IFN's five sub-indices, the conseillers
numériques' activity by age, statut and theme, one commune's panel, the lieux as points.

Re-exported by selectors.py, the one place other apps read the diagnostic from (the feuille de
route's section II cites `ifn_detail` and `activite_conseillers_numeriques` there). Every
function issues a fixed number of queries, whatever the size of the territory.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast

from territoires.models import Commune, Departement

from .enums import AGES_CONUM, SOUS_INDICES, STATUTS_CONUM, THEMES_CONUM, libelle_conum
from .models import AidantsConnectStructure, ConseillersNumeriquesActivite, IndiceFragilite, LieuMediation

# --- IFN sub-indices ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SousIndice:
    champ: str
    libelle: str
    valeur: float | None  # 0–10, population-weighted over the communes that have one


@dataclass(frozen=True)
class IfnDetail:
    """The IFN of a territory with its five sub-indices (absence de très haut débit, absence de
    4G, pauvreté, 65 ans et plus, peu ou pas diplômés), each on the same 0–10 scale."""

    score: float | None
    sous_indices: list[SousIndice]


def ifn_detail(departement: Departement | None = None) -> IfnDetail:
    """Population-weighted means over the communes (the whole country when `departement` is None):
    one aggregate query."""
    communes = Commune.objects.filter(indice_fragilite__isnull=False)
    if departement is not None:
        communes = communes.filter(departement=departement)
    population = Cast("population", FloatField())
    aggregates = {"poids": Sum(population), "score": Sum(F("indice_fragilite__score") * population)}
    for champ, _ in SOUS_INDICES:
        aggregates[champ] = Sum(F(f"indice_fragilite__{champ}") * population, output_field=FloatField())
        aggregates[f"poids_{champ}"] = Sum(
            population, filter=Q(**{f"indice_fragilite__{champ}__isnull": False}), output_field=FloatField()
        )
    row = communes.aggregate(**aggregates)

    def mean(total, poids):
        return round(total / poids, 2) if total is not None and poids else None

    return IfnDetail(
        score=mean(row["score"], row["poids"]),
        sous_indices=[
            SousIndice(champ, libelle, mean(row[champ], row[f"poids_{champ}"]))
            for champ, libelle in SOUS_INDICES
        ],
    )


# --- Conseillers numériques ---------------------------------------------------------------------


@dataclass(frozen=True)
class Repartition:
    libelle: str
    nombre: int


@dataclass(frozen=True)
class ActiviteConseillers:
    """What the conseillers numériques' activity reports say, for a département or the country:
    `lieux_avec_conseillers` counts the lieux whose dispositifs include « Conseillers numériques »
    (the sources count lieux, not people: no imported source lists the conseillers in post)."""

    departements: int  # how many départements' reports are summed
    usagers: int
    accompagnements: int
    accompagnements_individuels: int
    ateliers: int
    redirections: int
    ages: list[Repartition]
    statuts: list[Repartition]
    themes: list[Repartition]
    lieux_avec_conseillers: int

    @property
    def importee(self) -> bool:
        return self.departements > 0


def _repartition(totals: dict[str, int], ordre: tuple[str, ...] | None, labels: dict[str, str]) -> list:
    keys = ordre if ordre is not None else sorted(totals, key=lambda k: (-totals[k], k))
    return [Repartition(libelle_conum(labels, k), totals.get(k, 0)) for k in keys if ordre or totals[k]]


def activite_conseillers_numeriques(departement: Departement | None = None) -> ActiviteConseillers:
    """Summed over the départements' reports (one for a département): two queries."""
    activites = ConseillersNumeriquesActivite.objects.all()
    lieux = LieuMediation.objects.filter(conseillers_numeriques=True)
    if departement is not None:
        activites = activites.filter(departement=departement)
        lieux = lieux.filter(commune__departement=departement)
    sums = dict.fromkeys(
        ("usagers", "accompagnements", "accompagnements_individuels", "ateliers", "redirections"), 0
    )
    ages: dict[str, int] = {}
    statuts: dict[str, int] = {}
    themes: dict[str, int] = {}
    n = 0
    for row in activites.values(*sums, "details"):
        n += 1
        for key in sums:
            sums[key] += row[key]
        details = row["details"] or {}
        for target, name in ((ages, "ages"), (statuts, "statut"), (themes, "themes")):
            for key, value in (details.get(name) or {}).items():
                target[key] = target.get(key, 0) + int(value or 0)
    return ActiviteConseillers(
        departements=n,
        **sums,
        ages=_repartition(ages, tuple(AGES_CONUM), AGES_CONUM) if n else [],
        statuts=_repartition(statuts, None, STATUTS_CONUM),
        themes=_repartition(themes, None, THEMES_CONUM),
        lieux_avec_conseillers=lieux.count(),
    )


# --- One commune --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunePanneau:
    commune: Commune
    ifn: IndiceFragilite | None
    sous_indices: list[SousIndice]
    lieux: list[LieuMediation]
    aidants_connect: list[AidantsConnectStructure]

    @property
    def lieux_pour_10000(self) -> float | None:
        population = self.commune.population
        return round(10000 * len(self.lieux) / population, 2) if population else None

    @property
    def aidants(self) -> int:
        return sum(s.nb_aidants or 0 for s in self.aidants_connect if s.actif)


def commune_panneau(*, departement: Departement, code: str) -> CommunePanneau | None:
    """A commune of the département with everything imported about it (three queries), or None."""
    commune = (
        Commune.objects.filter(departement=departement, code=code)
        .select_related("epci", "indice_fragilite")
        .first()
    )
    if commune is None:
        return None
    ifn = getattr(commune, "indice_fragilite", None)
    return CommunePanneau(
        commune=commune,
        ifn=ifn,
        sous_indices=[
            SousIndice(champ, libelle, getattr(ifn, champ) if ifn else None)
            for champ, libelle in SOUS_INDICES
        ],
        lieux=list(LieuMediation.objects.filter(commune=commune).order_by("nom", "pk")),
        aidants_connect=list(
            AidantsConnectStructure.objects.filter(commune=commune).order_by("-actif", "nom")
        ),
    )


# --- The lieux as points ------------------------------------------------------------------------


def lieux_geolocalises(departement: Departement) -> QuerySet[LieuMediation]:
    """The département's lieux that carry coordinates, with what the map and its table show."""
    return (
        LieuMediation.objects.filter(
            commune__departement=departement, latitude__isnull=False, longitude__isnull=False
        )
        .select_related("commune")
        .only(
            "nom",
            "typologie",
            "latitude",
            "longitude",
            "france_services",
            "conseillers_numeriques",
            "aidants_connect",
            "commune__code",
            "commune__nom",
        )
        .order_by("commune__nom", "nom", "pk")
    )
