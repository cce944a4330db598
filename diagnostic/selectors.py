"""Reads of the diagnostic: indicators per territory, computed by aggregate queries.

Every figure comes from a fixed number of queries whatever the number of communes (annotate,
aggregate, Exists/Subquery); nothing loops over communes in Python. The dashboards and the
feuille de route editor (`synthese_diagnostic`, the contract for section II, with `ifn_detail`
for the IFN's sub-indices and `activite_conseillers_numeriques` for the conseillers numériques'
activity by age, statut and theme) read from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from core.cache import cached
from core.charts import Graphique, graphique_barres
from territoires.models import Commune, Departement, Epci
from territoires.signals import REFERENTIEL

from .detail import (  # noqa: F401 (re-exported: the diagnostic's readers all live in selectors)
    ActiviteConseillers,
    CommunePanneau,
    IfnDetail,
    activite_conseillers_numeriques,
    commune_panneau,
    ifn_detail,
    lieux_geolocalises,
)
from .enums import SEUIL_FORTE_FRAGILITE, Source, TrancheIfn, typologie_label
from .models import AidantsConnectStructure, ConseillersNumeriquesActivite, ImportRun, LieuMediation
from .signals import DONNEES

# The figures change only when an import or the referential does: they are computed once and
# cached until then (core/cache.py; the imports and the admin renew these generations).
DEPENDS_ON = (DONNEES, REFERENTIEL)

TRANCHES = (
    (TrancheIfn.TRES_FAIBLE, None, 3),
    (TrancheIfn.FAIBLE, 3, 5),
    (TrancheIfn.MOYENNE, 5, 7),
    (TrancheIfn.FORTE, 7, 9),
    (TrancheIfn.TRES_FORTE, 9, None),
)
TOP_TYPOLOGIES = 8


@dataclass(frozen=True)
class TrancheCount:
    tranche: TrancheIfn
    communes: int
    population: int


@dataclass(frozen=True)
class TypologieCount:
    code: str
    libelle: str
    lieux: int


@dataclass(frozen=True)
class SourceDate:
    source: Source
    libelle: str
    date_donnees: str
    importe_le: date | None


@dataclass(frozen=True)
class SyntheseDiagnostic:
    """Figures of section II of a feuille de route (« Synthèse du diagnostic »), for one territory.

    Contract for the feuille de route editor: every field is a plain value, computed
    from the referential and the imported open data; `None` means the source was not imported.
    - population, communes: the referential (population municipale).
    - lieux: lieux de médiation numérique in the territory; `lieux_par_typologie` counts each
      lieu once, by its main typology; `lieux_*` by label; `lieux_pour_10000_habitants`.
    - communes_sans_lieu / population_sans_lieu: communes with no lieu at all.
    - communes_fragiles*: IFN ≥ 7 (`SEUIL_FORTE_FRAGILITE`) and no lieu; `communes_fragiles_sans_lieu_noms`
      names the most populated ones (at most 10).
    - ifn_moyen: population-weighted mean IFN of the communes that have one; `repartition_ifn`.
    - aidants_connect_*: active Aidants Connect structures, their aidants, usagers and démarches.
    - accompagnements / usagers_conseillers_numeriques: conseillers numériques activity
      (published per département: summed over départements, None below the département).
    - sources: the data's date for each source, to cite them.
    """

    territoire: str
    population: int
    communes: int
    lieux: int
    lieux_pour_10000_habitants: float | None
    lieux_par_typologie: list[TypologieCount]
    lieux_france_services: int
    lieux_conseillers_numeriques: int
    lieux_aidants_connect: int
    lieux_en_qpv: int
    lieux_en_zrr: int
    lieux_itinerants: int
    communes_sans_lieu: int
    population_sans_lieu: int
    communes_fragiles: int
    population_fragile: int
    communes_fragiles_sans_lieu: int
    population_fragile_sans_lieu: int
    communes_fragiles_sans_lieu_noms: list[str]
    communes_avec_ifn: int
    ifn_moyen: float | None
    repartition_ifn: list[TrancheCount]
    aidants_connect_structures: int
    aidants_connect_aidants: int
    aidants_connect_usagers: int
    aidants_connect_demarches: int
    accompagnements: int | None
    usagers_conseillers_numeriques: int | None
    sources: list[SourceDate] = field(default_factory=list)

    @property
    def part_population_sans_lieu(self) -> float | None:
        return round(100 * self.population_sans_lieu / self.population, 1) if self.population else None


def _has_lieu():
    return Exists(LieuMediation.objects.filter(commune=OuterRef("pk")))


def _communes_figures(communes: QuerySet[Commune]) -> dict:
    """One aggregate query over the communes: population, coverage, fragility, IFN buckets."""
    fragile = Q(indice_fragilite__score__gte=SEUIL_FORTE_FRAGILITE)
    with_ifn = Q(indice_fragilite__isnull=False)
    buckets = {}
    for tranche, low, high in TRANCHES:
        condition = with_ifn
        if low is not None:
            condition &= Q(indice_fragilite__score__gte=low)
        if high is not None:
            condition &= Q(indice_fragilite__score__lt=high)
        buckets[f"c_{tranche.value}"] = Count("pk", filter=condition)
        buckets[f"p_{tranche.value}"] = Coalesce(Sum("population", filter=condition), 0)
    return communes.annotate(a_un_lieu=_has_lieu()).aggregate(
        habitants=Coalesce(Sum("population"), 0),
        communes=Count("pk"),
        communes_sans_lieu=Count("pk", filter=Q(a_un_lieu=False)),
        population_sans_lieu=Coalesce(Sum("population", filter=Q(a_un_lieu=False)), 0),
        communes_fragiles=Count("pk", filter=fragile),
        population_fragile=Coalesce(Sum("population", filter=fragile), 0),
        communes_fragiles_sans_lieu=Count("pk", filter=fragile & Q(a_un_lieu=False)),
        population_fragile_sans_lieu=Coalesce(Sum("population", filter=fragile & Q(a_un_lieu=False)), 0),
        communes_avec_ifn=Count("pk", filter=with_ifn),
        ifn_pondere=Sum(
            F("indice_fragilite__score") * Cast("population", FloatField()),
            filter=with_ifn,
            output_field=FloatField(),
        ),
        population_avec_ifn=Coalesce(Sum("population", filter=with_ifn), 0),
        **buckets,
    )


def _lieux_figures(lieux: QuerySet[LieuMediation]) -> tuple[dict, list[TypologieCount]]:
    totals = lieux.aggregate(
        lieux=Count("pk"),
        france_services=Count("pk", filter=Q(france_services=True)),
        conseillers_numeriques=Count("pk", filter=Q(conseillers_numeriques=True)),
        aidants_connect=Count("pk", filter=Q(aidants_connect=True)),
        en_qpv=Count("pk", filter=Q(en_qpv=True)),
        en_zrr=Count("pk", filter=Q(en_zrr=True)),
        itinerants=Count("pk", filter=Q(itinerant=True)),
    )
    typologies = [
        TypologieCount(code=row["typologie"], libelle=typologie_label(row["typologie"]), lieux=row["n"])
        for row in lieux.values("typologie").annotate(n=Count("pk")).order_by("-n", "typologie")
    ]
    return totals, typologies


def _aidants_figures(structures: QuerySet[AidantsConnectStructure]) -> dict:
    return structures.filter(actif=True).aggregate(
        structures=Count("pk"),
        aidants=Coalesce(Sum("nb_aidants"), 0),
        usagers=Coalesce(Sum("nb_usagers"), 0),
        demarches=Coalesce(Sum("nb_demarches"), 0),
    )


def derniers_imports() -> dict[str, ImportRun]:
    """The latest finished import of each source, by source (one query)."""
    latest = ImportRun.objects.filter(source=OuterRef("source"), finished_at__isnull=False).order_by(
        "-started_at", "-pk"
    )
    return {
        run.source: run
        for run in ImportRun.objects.filter(pk=Subquery(latest.values("pk")[:1])).order_by("source")
    }


def sources_dates() -> list[SourceDate]:
    runs = derniers_imports()
    return [
        SourceDate(
            source=source,
            libelle=source.label,
            date_donnees=runs[source].date_donnees_affichage if source in runs else "non importée",
            importe_le=runs[source].finished_at.date() if source in runs else None,
        )
        for source in Source
    ]


def synthese_diagnostic(departement: Departement | None = None) -> SyntheseDiagnostic:
    """Section II figures for a département, or for the whole country when `departement` is None.

    Seven queries, whatever the size of the territory, on the first read after a change of the data;
    none until the next one.
    """
    key = f"diagnostic:synthese:{departement.code if departement is not None else 'france'}"
    return cached(key, lambda: _synthese_diagnostic(departement), depends_on=DEPENDS_ON)


def _synthese_diagnostic(departement: Departement | None) -> SyntheseDiagnostic:
    if departement is None:
        return _synthese(
            territoire="France",
            communes=Commune.objects.all(),
            lieux=LieuMediation.objects.all(),
            structures=AidantsConnectStructure.objects.all(),
            activites=ConseillersNumeriquesActivite.objects.all(),
        )
    return synthese_territoire(territoire=departement.nom, departements=[departement.code])


def synthese_territoire(
    *, territoire: str, departements: Iterable[str], epcis: Iterable[str] | None = None
) -> SyntheseDiagnostic:
    """Section II figures for a périmètre: the communes of `departements` (codes), limited to
    those of `epcis` (SIREN) when given — an EPCI may straddle two départements, and only the
    communes inside the given ones count. `territoire` names it in the figures.

    The conseillers numériques' activity is published per département: it is summed over the
    départements, and left out (None) below the département (a set of EPCI).
    Six queries, whatever the size of the territory.
    """
    departements = list(departements)
    communes = Commune.objects.filter(departement__in=departements)
    lieux = LieuMediation.objects.filter(commune__departement__in=departements)
    structures = AidantsConnectStructure.objects.filter(commune__departement__in=departements)
    activites = ConseillersNumeriquesActivite.objects.filter(departement__in=departements)
    if epcis is not None:
        epcis = list(epcis)
        communes = communes.filter(epci__in=epcis)
        lieux = lieux.filter(commune__epci__in=epcis)
        structures = structures.filter(commune__epci__in=epcis)
        activites = activites.none()
    return _synthese(
        territoire=territoire, communes=communes, lieux=lieux, structures=structures, activites=activites
    )


def _synthese(*, territoire: str, communes, lieux, structures, activites) -> SyntheseDiagnostic:
    c = _communes_figures(communes)
    lx, typologies = _lieux_figures(lieux)
    a = _aidants_figures(structures)
    cn = activites.aggregate(n=Count("pk"), accompagnements=Sum("accompagnements"), usagers=Sum("usagers"))
    fragiles_sans_lieu = list(
        communes.annotate(a_un_lieu=_has_lieu())
        .filter(a_un_lieu=False, indice_fragilite__score__gte=SEUIL_FORTE_FRAGILITE)
        .order_by("-population", "nom_recherche", "nom")
        .values_list("nom", flat=True)[:10]
    )
    population = c["habitants"]
    return SyntheseDiagnostic(
        territoire=territoire,
        population=population,
        communes=c["communes"],
        lieux=lx["lieux"],
        lieux_pour_10000_habitants=round(10000 * lx["lieux"] / population, 2) if population else None,
        lieux_par_typologie=typologies,
        lieux_france_services=lx["france_services"],
        lieux_conseillers_numeriques=lx["conseillers_numeriques"],
        lieux_aidants_connect=lx["aidants_connect"],
        lieux_en_qpv=lx["en_qpv"],
        lieux_en_zrr=lx["en_zrr"],
        lieux_itinerants=lx["itinerants"],
        communes_sans_lieu=c["communes_sans_lieu"],
        population_sans_lieu=c["population_sans_lieu"],
        communes_fragiles=c["communes_fragiles"],
        population_fragile=c["population_fragile"],
        communes_fragiles_sans_lieu=c["communes_fragiles_sans_lieu"],
        population_fragile_sans_lieu=c["population_fragile_sans_lieu"],
        communes_fragiles_sans_lieu_noms=fragiles_sans_lieu,
        communes_avec_ifn=c["communes_avec_ifn"],
        ifn_moyen=round(c["ifn_pondere"] / c["population_avec_ifn"], 2) if c["population_avec_ifn"] else None,
        repartition_ifn=[
            TrancheCount(tranche=t, communes=c[f"c_{t.value}"], population=c[f"p_{t.value}"])
            for t, _, _ in TRANCHES
        ],
        aidants_connect_structures=a["structures"],
        aidants_connect_aidants=a["aidants"],
        aidants_connect_usagers=a["usagers"],
        aidants_connect_demarches=a["demarches"],
        accompagnements=cn["accompagnements"] if cn["n"] else None,
        usagers_conseillers_numeriques=cn["usagers"] if cn["n"] else None,
        sources=sources_dates(),
    )


# --- Tables --------------------------------------------------------------------------------------


def communes_indicateurs(departement: Departement | None) -> QuerySet[Commune]:
    """The département's communes (every commune for None) with their indicators as annotations
    (one query per page)."""
    lieux = (
        LieuMediation.objects.filter(commune=OuterRef("pk"))
        .order_by()
        .values("commune")
        .annotate(n=Count("pk"))
        .values("n")
    )
    aidants = (
        AidantsConnectStructure.objects.filter(commune=OuterRef("pk"), actif=True)
        .order_by()
        .values("commune")
        .annotate(n=Sum("nb_aidants"))
        .values("n")
    )
    communes = (
        Commune.objects.all() if departement is None else Commune.objects.filter(departement=departement)
    )
    return (
        communes.select_related("epci")
        .annotate(
            nb_lieux=Coalesce(Subquery(lieux, output_field=IntegerField()), Value(0)),
            nb_aidants=Coalesce(Subquery(aidants, output_field=IntegerField()), Value(0)),
            ifn=F("indice_fragilite__score"),
            ifn_thd=F("indice_fragilite__sans_tres_haut_debit"),
            ifn_4g=F("indice_fragilite__sans_4g"),
            ifn_pauvrete=F("indice_fragilite__pauvrete"),
            ifn_65_ans=F("indice_fragilite__plus_de_65_ans"),
            ifn_diplomes=F("indice_fragilite__non_diplomes"),
        )
        .annotate(
            lieux_pour_10000=Case(
                When(
                    population__gt=0,
                    then=Cast(F("nb_lieux"), FloatField()) * 10000.0 / Cast(F("population"), FloatField()),
                ),
                default=None,
                output_field=FloatField(),
            )
        )
    )


def epcis_indicateurs(departement: Departement) -> list[Epci]:
    """EPCI with at least one commune in the département, with their IFN and lieux (one query, then
    cached like the synthesis). The établissements publics territoriaux of the Grand Paris count
    the lieux of their communes."""
    key = f"diagnostic:epcis:{departement.code}"
    return cached(key, lambda: list(_epcis_indicateurs(departement)), depends_on=DEPENDS_ON)


def _epcis_indicateurs(departement: Departement) -> QuerySet[Epci]:
    lieux = (
        LieuMediation.objects.filter(Q(commune__epci=OuterRef("pk")) | Q(commune__ept=OuterRef("pk")))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return (
        Epci.objects.filter(departements=departement)
        .annotate(
            nb_lieux=Coalesce(Subquery(lieux, output_field=IntegerField()), Value(0)),
            ifn=F("indice_fragilite__score"),
        )
        .order_by("nom_recherche", "nom")
    )


@dataclass(frozen=True)
class DepartementLigne:
    code: str
    nom: str
    region: str
    population: int
    communes: int
    lieux: int
    lieux_pour_10000: float | None
    communes_sans_lieu: int
    ifn_moyen: float | None
    aidants: int
    accompagnements: int | None
    lieux_conseillers: int = 0  # lieux where conseillers numériques work


def departements_indicateurs() -> list[DepartementLigne]:
    """One row per département for the national table: five queries, then cached like the synthesis."""
    return cached("diagnostic:departements", _departements_indicateurs, depends_on=DEPENDS_ON)


def _departements_indicateurs() -> list[DepartementLigne]:
    communes = {
        row["departement"]: row
        for row in Commune.objects.order_by()
        .annotate(a_un_lieu=_has_lieu())
        .values("departement")
        .annotate(
            habitants=Coalesce(Sum("population"), 0),
            communes=Count("pk"),
            sans_lieu=Count("pk", filter=Q(a_un_lieu=False)),
            ifn_pondere=Sum(
                F("indice_fragilite__score") * Cast("population", FloatField()),
                filter=Q(indice_fragilite__isnull=False),
                output_field=FloatField(),
            ),
            population_avec_ifn=Coalesce(Sum("population", filter=Q(indice_fragilite__isnull=False)), 0),
        )
    }
    lieux, lieux_conseillers = {}, {}
    for code, n, cn in (
        LieuMediation.objects.order_by()
        .values("commune__departement")
        .annotate(n=Count("pk"), cn=Count("pk", filter=Q(conseillers_numeriques=True)))
        .values_list("commune__departement", "n", "cn")
    ):
        lieux[code], lieux_conseillers[code] = n, cn
    aidants = dict(
        AidantsConnectStructure.objects.filter(actif=True)
        .order_by()
        .values("commune__departement")
        .annotate(n=Coalesce(Sum("nb_aidants"), 0))
        .values_list("commune__departement", "n")
    )
    activites = dict(ConseillersNumeriquesActivite.objects.values_list("departement", "accompagnements"))
    rows = []
    for dep in Departement.objects.select_related("region").order_by("code"):
        c = communes.get(dep.code, {})
        population = c.get("habitants", 0)
        nb_lieux = lieux.get(dep.code, 0)
        rows.append(
            DepartementLigne(
                code=dep.code,
                nom=dep.nom,
                region=dep.region.nom,
                population=population,
                communes=c.get("communes", 0),
                lieux=nb_lieux,
                lieux_pour_10000=round(10000 * nb_lieux / population, 2) if population else None,
                communes_sans_lieu=c.get("sans_lieu", 0),
                ifn_moyen=(
                    round(c["ifn_pondere"] / c["population_avec_ifn"], 2)
                    if c.get("population_avec_ifn")
                    else None
                ),
                aidants=aidants.get(dep.code, 0),
                accompagnements=activites.get(dep.code),
                lieux_conseillers=lieux_conseillers.get(dep.code, 0),
            )
        )
    return rows


def graphiques(
    synthese: SyntheseDiagnostic, activite: ActiviteConseillers | None = None
) -> dict[str, Graphique]:
    """The dashboards' bar charts, from the figures already computed (no query)."""
    typologies = synthese.lieux_par_typologie
    top = [(t.libelle, [t.lieux]) for t in typologies[:TOP_TYPOLOGIES]]
    autres = sum(t.lieux for t in typologies[TOP_TYPOLOGIES:])
    if autres:
        top.append(("Autres typologies", [autres]))
    charts = {
        "typologies": graphique_barres(
            identifiant="graphique-typologies",
            titre="Lieux de médiation numérique par typologie principale",
            entete="Typologie",
            series=["Lieux"],
            categories=top,
        ),
        "labels": graphique_barres(
            identifiant="graphique-labels",
            titre="Lieux par label ou dispositif national",
            entete="Label ou dispositif",
            series=["Lieux"],
            categories=[
                ("France services", [synthese.lieux_france_services]),
                ("Conseillers numériques", [synthese.lieux_conseillers_numeriques]),
                ("Aidants Connect", [synthese.lieux_aidants_connect]),
            ],
        ),
        "ifn": graphique_barres(
            identifiant="graphique-ifn",
            titre="Communes par indice de fragilité numérique",
            entete="Indice de fragilité numérique",
            series=["Communes"],
            categories=[(f"Indice {t.tranche.label}", [t.communes]) for t in synthese.repartition_ifn],
        ),
    }
    if activite is not None and activite.importee:
        for cle, titre, entete, items in (
            ("themes", "Accompagnements des conseillers numériques par thème", "Thème", activite.themes),
            ("ages", "Usagers des conseillers numériques par âge", "Âge", activite.ages),
            ("statuts", "Usagers des conseillers numériques par statut", "Statut", activite.statuts),
        ):
            charts[f"conum_{cle}"] = graphique_barres(
                identifiant=f"graphique-conum-{cle}",
                titre=titre,
                entete=entete,
                series=["Nombre"],
                categories=[(r.libelle, [r.nombre]) for r in items],
            )
    return charts
