"""Public reads behind the open data, the API and the public index of the gouvernances.

There is no viewer: everything read here is public by nature and the same for everyone. What is
not public is never selected (each queryset loads only the public columns): the note de contexte,
the sous-préfet, the référents and suppléants, the candidates' contacts, ANCT's follow-up notes,
and the demonstration data (`demonstration.py`). A gouvernance is public once sent (the rule of
`gouvernances.selectors.gouvernances_publiques`), in the départements of the campaign.

Lists are querysets of their main objects (paginated or read in chunks by the caller), then each
slice is completed by a fixed number of grouped queries (`*_de(ids)`): a page of 500 rows costs
the same number of queries as a page of 5.
"""

from collections import defaultdict

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from besoins.models import Besoin, Besoins
from diagnostic import selectors as diagnostic_selectors
from diagnostic.models import AidantsConnectStructure, LieuMediation
from feuilles_de_route.models import Document, FeuilleDeRoute, IndicateurCible
from gouvernances import selectors as gouvernances_selectors
from gouvernances.models import Comite, Gouvernance, Membre
from national.selectors import CAMPAGNE_ZONES, approuvee
from territoires.models import Commune, Departement, Epci, Region

from .demonstration import gouvernance_demonstration
from .enums import EtatPublication, Format
from .models import FichierPublie, Publication
from .schema import Filtres


def tranche(objets, debut: int, fin: int) -> list:
    """objets[debut:fin], in their order. A queryset is sliced on its keys first, then the rows
    of those keys are loaded: with OFFSET, PostgreSQL computes every skipped row's annotations
    (the diagnostic's subqueries) — 10 s for the communes past the 30 000th, against 0.4 s this
    way. One more query per slice, whatever its place."""
    if not isinstance(objets, QuerySet):
        return list(objets[debut:fin])
    cles = list(objets.values_list("pk", flat=True)[debut:fin])
    par_cle = {obj.pk: obj for obj in objets.filter(pk__in=cles)}
    return [par_cle[cle] for cle in cles if cle in par_cle]


# --- Territories ----------------------------------------------------------------------------------


def _par_territoire(qs: QuerySet, filtres: Filtres, *, departement: str, region: str) -> QuerySet:
    if filtres.region:
        qs = qs.filter(**{region: filtres.region})
    if filtres.departement:
        qs = qs.filter(**{departement: filtres.departement})
    return qs


def region_existe(code: str) -> bool:
    return Region.objects.filter(code=code).exists()


def departement_existe(code: str) -> bool:
    return Departement.objects.filter(code=code).exists()


def epci_existe(code: str) -> bool:
    return Epci.objects.filter(code=code).exists()


def regions(*, filtres: Filtres) -> QuerySet[Region]:
    qs = Region.objects.all()
    if filtres.region:
        qs = qs.filter(code=filtres.region)
    if filtres.departement:
        qs = qs.filter(departements__code=filtres.departement)
    return qs.order_by("code")


def departements(*, filtres: Filtres, campagne: bool = False) -> QuerySet[Departement]:
    """Départements of the referential (`campagne`: only the 101 of the campaign)."""
    qs = Departement.objects.select_related("region")
    if campagne:
        qs = qs.filter(zone__in=CAMPAGNE_ZONES)
    return _par_territoire(qs, filtres, departement="code", region="region_id").order_by("code")


def epcis(*, filtres: Filtres) -> QuerySet[Epci]:
    """EPCI with at least one commune in the département (or région) asked for."""
    qs = Epci.objects.prefetch_related("departements")
    if filtres.departement:
        qs = qs.filter(
            code__in=Epci.departements.through.objects.filter(departement_id=filtres.departement).values(
                "epci_id"
            )
        )
    if filtres.region:
        qs = qs.filter(
            code__in=Epci.departements.through.objects.filter(departement__region_id=filtres.region).values(
                "epci_id"
            )
        )
    if filtres.epci:
        qs = qs.filter(code=filtres.epci)
    return qs.order_by("code")


def communes(*, filtres: Filtres) -> QuerySet[Commune]:
    qs = _par_territoire(
        Commune.objects.select_related("departement"),
        filtres,
        departement="departement_id",
        region="departement__region_id",
    )
    if filtres.epci:
        qs = qs.filter(epci_id=filtres.epci)
    return qs.order_by("code")


def communes_par_codes(codes: list[str]) -> dict[str, Commune]:
    return {c.code: c for c in Commune.objects.select_related("departement").filter(code__in=codes)}


def epcis_par_codes(codes: list[str]) -> dict[str, Epci]:
    return {e.code: e for e in Epci.objects.prefetch_related("departements").filter(code__in=codes)}


# --- Gouvernances ---------------------------------------------------------------------------------


def gouvernances_publiques(*, demonstration: bool) -> QuerySet[Gouvernance]:
    """The gouvernances anyone may read, in the campaign's départements; without the
    demonstration ones unless `demonstration`. Only their public columns are loaded."""
    qs = gouvernances_selectors.gouvernances_publiques().filter(departement__zone__in=CAMPAGNE_ZONES)
    if not demonstration:
        qs = qs.exclude(gouvernance_demonstration())
    return qs.only("id", "departement_id", "statut", "pressentie_remontee_le", "definitive_remontee_le")


def gouvernances_de(codes: list[str], *, demonstration: bool) -> dict[str, Gouvernance]:
    """{département code: its public gouvernance}, for the départements given (one query)."""
    qs = gouvernances_publiques(demonstration=demonstration).filter(departement_id__in=codes)
    return {g.departement_id: g for g in qs}


def membres_comptes_de(gouvernance_ids: list[int]) -> dict[int, dict]:
    return {
        row["gouvernance_id"]: row
        for row in Membre.objects.filter(gouvernance_id__in=gouvernance_ids)
        .values("gouvernance_id")
        .annotate(membres=Count("id"), coporteurs=Count("id", filter=Q(est_coporteur=True)))
        .order_by()
    }


MEMBRE_COLONNES = (
    "id",
    "gouvernance_id",
    "type_collectivite",
    "structure_nom",
    "structure_siret",
    "est_coporteur",
    "region__code",
    "region__nom",
    "departement__code",
    "departement__nom",
    "epci__code",
    "epci__nom",
    "commune__code",
    "commune__nom",
    "commune__siren",
)
MEMBRE_RELATED = ("region", "departement", "epci", "commune")


def coporteurs_de(gouvernance_ids: list[int]) -> dict[int, list[Membre]]:
    found: dict[int, list[Membre]] = defaultdict(list)
    for membre in (
        Membre.objects.filter(gouvernance_id__in=gouvernance_ids, est_coporteur=True)
        .select_related(*MEMBRE_RELATED)
        .only(*MEMBRE_COLONNES)
        .order_by("gouvernance_id", "type_collectivite", "id")
    ):
        found[membre.gouvernance_id].append(membre)
    return found


def feuilles_comptes_de(gouvernance_ids: list[int]) -> dict[int, dict]:
    return {
        row["gouvernance_id"]: row
        for row in FeuilleDeRoute.objects.filter(gouvernance_id__in=gouvernance_ids)
        .values("gouvernance_id")
        .annotate(feuilles=Count("id"), approuvees=Count("id", filter=Q(approuvee())))
        .order_by()
    }


def comites_comptes_de(gouvernance_ids: list[int]) -> dict[int, int]:
    return dict(
        Comite.objects.filter(gouvernance_id__in=gouvernance_ids)
        .values("gouvernance_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("gouvernance_id", "n")
    )


def membres_publics(*, filtres: Filtres, demonstration: bool) -> QuerySet[Membre]:
    """Members of the public gouvernances, as organisations (never their référents)."""
    qs = (
        Membre.objects.filter(gouvernance__in=gouvernances_publiques(demonstration=demonstration))
        .select_related("gouvernance", *MEMBRE_RELATED)
        .only(*MEMBRE_COLONNES, "gouvernance__departement_id")
    )
    qs = _par_territoire(
        qs,
        filtres,
        departement="gouvernance__departement_id",
        region="gouvernance__departement__region_id",
    )
    return qs.order_by("gouvernance__departement_id", "-est_coporteur", "type_collectivite", "id")


# --- Feuilles de route ----------------------------------------------------------------------------


def feuilles_publiques(*, filtres: Filtres, demonstration: bool) -> QuerySet[FeuilleDeRoute]:
    porteur = [f"porteur__{c}" for c in MEMBRE_COLONNES]
    qs = (
        FeuilleDeRoute.objects.filter(gouvernance__in=gouvernances_publiques(demonstration=demonstration))
        .select_related(
            "gouvernance__departement",
            "porteur__region",
            "porteur__departement",
            "porteur__epci",
            "porteur__commune",
        )
        .only(
            "id",
            "nom",
            "perimetre",
            "contrat_preexistant",
            "porteur_id",
            "gouvernance__id",
            "gouvernance__departement__code",
            "gouvernance__departement__region",
            *porteur,
        )
    )
    qs = _par_territoire(
        qs,
        filtres,
        departement="gouvernance__departement_id",
        region="gouvernance__departement__region_id",
    )
    return qs.order_by("gouvernance__departement_id", "id")


def epcis_de_feuilles(feuille_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for feuille_id, code in (
        FeuilleDeRoute.epcis.through.objects.filter(feuillederoute_id__in=feuille_ids)
        .order_by("epci_id")
        .values_list("feuillederoute_id", "epci_id")
    ):
        found[feuille_id].append(code)
    return found


def documents_de_feuilles(feuille_ids: list[int]) -> dict[int, dict]:
    """{feuille id: {"statut": of its latest version, "approuvee": its latest approved version
    (id, date) or None}} (one query)."""
    found: dict[int, dict] = {}
    for row in (
        Document.objects.filter(feuille_de_route_id__in=feuille_ids)
        .order_by("feuille_de_route_id", "-numero")
        .values("feuille_de_route_id", "id", "statut", "approuvee_le")
    ):
        current = found.setdefault(row["feuille_de_route_id"], {"statut": row["statut"], "approuvee": None})
        if current["approuvee"] is None and row["approuvee_le"] is not None and row["statut"] == "approuvee":
            current["approuvee"] = (row["id"], row["approuvee_le"])
    return found


def cibles_de_documents(document_ids: list[int]) -> dict[int, list[IndicateurCible]]:
    found: dict[int, list[IndicateurCible]] = defaultdict(list)
    for cible in IndicateurCible.objects.filter(document_id__in=document_ids).order_by("id"):
        found[cible.document_id].append(cible)
    return found


# --- Besoins --------------------------------------------------------------------------------------


def besoins_publics(*, filtres: Filtres, demonstration: bool) -> QuerySet[Besoins]:
    """The besoins en ingénierie of the public gouvernances that selected at least one."""
    qs = (
        Besoins.objects.filter(
            gouvernance__in=gouvernances_publiques(demonstration=demonstration),
            id__in=Besoin.objects.values("besoins_id"),
        )
        .select_related("gouvernance")
        .only("id", "chef_de_projet", "gouvernance__id", "gouvernance__departement_id")
    )
    qs = _par_territoire(
        qs,
        filtres,
        departement="gouvernance__departement_id",
        region="gouvernance__departement__region_id",
    )
    return qs.order_by("gouvernance__departement_id")


def lignes_de_besoins(besoins_ids: list[int]) -> dict[int, list[Besoin]]:
    found: dict[int, list[Besoin]] = defaultdict(list)
    for besoin in Besoin.objects.filter(besoins_id__in=besoins_ids).only(
        "id",
        "besoins_id",
        "categorie",
        "item",
        "ressource_humaine",
        "etp",
        "prestation",
        "personnes_a_former",
        "forme_des_personnes",
        "precision",
    ):
        found[besoin.besoins_id].append(besoin)
    return found


# --- Diagnostic -----------------------------------------------------------------------------------


def _lieux_avec(label: str):
    lieux = (
        LieuMediation.objects.filter(commune=OuterRef("pk"), **{label: True})
        .order_by()
        .values("commune")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(lieux, output_field=IntegerField()), Value(0))


def communes_diagnostic(*, filtres: Filtres) -> QuerySet[Commune]:
    """The communes of the campaign's départements with the diagnostic's indicators
    (`diagnostic.selectors.communes_indicateurs`), plus the lieux by label and the Aidants
    Connect structures: one query per page."""
    structures = (
        AidantsConnectStructure.objects.filter(commune=OuterRef("pk"), actif=True)
        .order_by()
        .values("commune")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        diagnostic_selectors.communes_indicateurs(None)
        .filter(departement__zone__in=CAMPAGNE_ZONES)
        .annotate(
            nb_lieux_france_services=_lieux_avec("france_services"),
            nb_lieux_conseillers_numeriques=_lieux_avec("conseillers_numeriques"),
            nb_structures_aidants_connect=Coalesce(
                Subquery(structures, output_field=IntegerField()), Value(0)
            ),
        )
    )
    qs = _par_territoire(qs, filtres, departement="departement_id", region="departement__region_id")
    if filtres.epci:
        qs = qs.filter(epci_id=filtres.epci)
    return qs.order_by("code")


# --- Public index of the gouvernances -------------------------------------------------------------


def index_gouvernances() -> tuple[list[Departement], dict[str, Gouvernance], dict[int, list[FeuilleDeRoute]]]:
    """Every département of the campaign (with its région), its public gouvernance (demonstration
    ones included, flagged `est_demonstration`: their public page is open too) and its feuilles
    de route. Three queries."""
    deps = list(departements(filtres=Filtres(), campagne=True).order_by("region__nom", "code"))
    publiques = (
        gouvernances_publiques(demonstration=True)
        .annotate(est_demonstration=gouvernance_demonstration())
        .filter(departement_id__in=[d.code for d in deps])
    )
    par_departement = {g.departement_id: g for g in publiques}
    feuilles: dict[int, list[FeuilleDeRoute]] = defaultdict(list)
    for feuille in (
        FeuilleDeRoute.objects.filter(gouvernance_id__in=[g.pk for g in par_departement.values()])
        .only("id", "nom", "perimetre", "gouvernance_id")
        .order_by("gouvernance_id", "id")
    ):
        feuilles[feuille.gouvernance_id].append(feuille)
    return deps, par_departement, feuilles


# --- Publication ----------------------------------------------------------------------------------


def derniere_publication() -> Publication | None:
    """The latest build that finished (successfully)."""
    return Publication.objects.filter(etat=EtatPublication.TERMINEE).order_by("-debut", "-id").first()


def publications_recentes(limit: int = 1) -> list[Publication]:
    return list(Publication.objects.order_by("-debut", "-id")[:limit])


def fichiers_publies() -> dict[tuple[str, str], FichierPublie]:
    return {(f.jeu, f.format): f for f in FichierPublie.objects.all()}


def fichier_publie(*, jeu: str, format: Format | str) -> FichierPublie | None:
    return FichierPublie.objects.filter(jeu=jeu, format=format).first()


def derniere_remontee():
    """When a gouvernance was last sent (pressentie or définitive), if ever (one query)."""
    dates = Gouvernance.objects.aggregate(
        pressentie=Max("pressentie_remontee_le"), definitive=Max("definitive_remontee_le")
    )
    return max((value for value in dates.values() if value is not None), default=None)
