"""Reads of the national consolidation for ANCT. Every selector takes the viewer and shows
nothing to someone who may not read the national pages (the views answer 404 before that);
every figure comes from aggregate queries, so that a page issues the same number of queries for
10 or 101 départements.

The campaign concerns the 101 départements (zones « metro » and « drom » of the referential);
the collectivités d'outre-mer are not part of it and are left out of every count.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce

from besoins import selectors as besoins_selectors
from besoins.models import Besoin
from besoins.signals import BESOINS
from candidatures.enums import Intention, Persona, Statut
from candidatures.models import ManifestationInteret
from candidatures.selectors import MAIN_CONTACTS_PREFETCH
from candidatures.signals import CANDIDATURES
from comptes import perms
from diagnostic.signals import DONNEES
from feuilles_de_route.enums import StatutDocument
from feuilles_de_route.models import Document, FeuilleDeRoute
from feuilles_de_route.signals import FEUILLES
from gouvernances.enums import StatutGouvernance
from gouvernances.models import Echeance, Membre
from gouvernances.signals import GOUVERNANCES
from territoires.enums import TypeCollectivite, Zone
from territoires.models import Departement
from territoires.signals import REFERENTIEL

from .models import SuiviDepartement
from .signals import SUIVI

# What the national pages show comes from these data sets: their cached content (views.py) is
# renewed by any write to one of them. The diagnostic's indicators colour the map.
DEPENDS_ON = (CANDIDATURES, GOUVERNANCES, FEUILLES, BESOINS, SUIVI, DONNEES, REFERENTIEL)

CAMPAGNE_ZONES = (Zone.METRO, Zone.DROM)

# A gouvernance « has reached » a statut when its own statut is this one or a later one.
STATUTS_ATTEINTS = {
    StatutGouvernance.PRESSENTIE: (StatutGouvernance.PRESSENTIE, StatutGouvernance.DEFINITIVE),
    StatutGouvernance.DEFINITIVE: (StatutGouvernance.DEFINITIVE,),
}
DATE_REMONTEE = {
    StatutGouvernance.PRESSENTIE: "pressentie_remontee_le",
    StatutGouvernance.DEFINITIVE: "definitive_remontee_le",
}

# Typologies as the webinar of 14 November 2023 counts them.
PERSONA_PLURIEL = {
    Persona.CONSEIL_REGIONAL: "Conseils régionaux",
    Persona.CONSEIL_DEPARTEMENTAL: "Conseils départementaux",
    Persona.EPCI: "EPCI",
    Persona.COMMUNE: "Communes",
    Persona.STRUCTURE: "Structures (associations, opérateurs, entreprises…)",
}
TYPE_COLLECTIVITE_PLURIEL = {
    TypeCollectivite.REGION: "Conseils régionaux",
    TypeCollectivite.DEPARTEMENT: "Conseils départementaux",
    TypeCollectivite.EPCI: "EPCI",
    TypeCollectivite.COMMUNE: "Communes",
}


def departements_campagne() -> QuerySet[Departement]:
    """The 101 départements of the campaign (métropole and DROM), with their région."""
    return Departement.objects.filter(zone__in=CAMPAGNE_ZONES).select_related("region")


def atteint(statut: StatutGouvernance, *, prefix: str = "") -> Q:
    return Q(**{f"{prefix}statut__in": STATUTS_ATTEINTS[StatutGouvernance(statut)]})


# --- Dashboard -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LigneTypologie:
    libelle: str
    porter: int
    participer: int

    @property
    def total(self) -> int:
        return self.porter + self.participer


@dataclass(frozen=True)
class Avancement:
    """How many départements have reached the statut a campaign deadline requires."""

    echeance: Echeance
    atteints: int  # today
    a_temps: int  # on or before the deadline
    total: int

    @property
    def part(self) -> int:
        return round(100 * self.atteints / self.total) if self.total else 0


@dataclass(frozen=True)
class LigneRegion:
    code: str
    nom: str
    departements: int
    pressentie: int
    definitive: int
    feuilles: int


@dataclass
class TableauDeBord:
    nb_departements: int
    pressentie: int
    definitive: int
    manquants_pressentie: list[Departement]
    feuilles_declarees: int
    departements_avec_feuilles: int
    feuilles_approuvees: int
    candidats: list[LigneTypologie]
    coporteurs: list[tuple[str, int]]
    besoins: besoins_selectors.Consolidation
    avancement: list[Avancement]
    echeances_sans_statut: list[Echeance]
    regions: list[LigneRegion] = field(default_factory=list)

    def _part(self, n: int) -> int:
        return round(100 * n / self.nb_departements) if self.nb_departements else 0

    @property
    def part_pressentie(self) -> int:
        return self._part(self.pressentie)

    @property
    def part_definitive(self) -> int:
        return self._part(self.definitive)

    @property
    def candidats_total(self) -> LigneTypologie:
        return LigneTypologie(
            "Total", sum(r.porter for r in self.candidats), sum(r.participer for r in self.candidats)
        )

    @property
    def coporteurs_total(self) -> int:
        return sum(n for _, n in self.coporteurs)


def _feuilles_campagne() -> QuerySet[FeuilleDeRoute]:
    return FeuilleDeRoute.objects.filter(gouvernance__departement__zone__in=CAMPAGNE_ZONES)


def approuvee() -> Exists:
    """A feuille de route is approved when one of its document versions is."""
    return Exists(Document.objects.filter(feuille_de_route=OuterRef("pk"), statut=StatutDocument.APPROUVEE))


def _avancement(departements: QuerySet[Departement], total: int) -> tuple[list[Avancement], list[Echeance]]:
    """One aggregate query for every deadline that requires a statut (plus one for the deadlines)."""
    echeances = list(Echeance.objects.order_by("date_limite", "id"))
    avec_statut = [e for e in echeances if e.statut]
    aggregates = {}
    for e in avec_statut:
        date_field = f"gouvernance__{DATE_REMONTEE[StatutGouvernance(e.statut)]}"
        aggregates[f"atteints_{e.pk}"] = Count("code", filter=atteint(e.statut, prefix="gouvernance__"))
        aggregates[f"a_temps_{e.pk}"] = Count(
            "code",
            filter=atteint(e.statut, prefix="gouvernance__")
            & Q(**{f"{date_field}__date__lte": e.date_limite}),
        )
    counts = departements.aggregate(**aggregates) if aggregates else {}
    return (
        [Avancement(e, counts[f"atteints_{e.pk}"], counts[f"a_temps_{e.pk}"], total) for e in avec_statut],
        [e for e in echeances if not e.statut],
    )


def tableau_de_bord(*, user) -> TableauDeBord | None:
    """The whole country on one page: a fixed number of queries (about ten)."""
    if not perms.can_read_national(user):
        return None
    departements = Departement.objects.filter(zone__in=CAMPAGNE_ZONES)
    counts = departements.aggregate(
        total=Count("code"),
        pressentie=Count("code", filter=atteint(StatutGouvernance.PRESSENTIE, prefix="gouvernance__")),
        definitive=Count("code", filter=atteint(StatutGouvernance.DEFINITIVE, prefix="gouvernance__")),
    )
    manquants = list(
        departements.exclude(atteint(StatutGouvernance.PRESSENTIE, prefix="gouvernance__"))
        .select_related("region")
        .order_by("code")
    )
    feuilles = _feuilles_campagne().aggregate(
        declarees=Count("id"),
        departements=Count("gouvernance__departement", distinct=True),
        approuvees=Count("id", filter=Q(approuvee())),
    )
    candidats = {
        (row["persona"], row["intention"]): row["n"]
        for row in ManifestationInteret.objects.filter(statut=Statut.CONFIRMEE)
        .values("persona", "intention")
        .annotate(n=Count("id"))
        .order_by()
    }
    coporteurs = {
        row["type_collectivite"]: row["n"]
        for row in Membre.objects.filter(
            est_coporteur=True, gouvernance__departement__zone__in=CAMPAGNE_ZONES
        )
        .values("type_collectivite")
        .annotate(n=Count("id"))
        .order_by()
    }
    avancement, sans_statut = _avancement(departements, counts["total"])
    regions = [
        LigneRegion(
            row["region_id"],
            row["region__nom"],
            row["n"],
            row["pressentie"],
            row["definitive"],
            row["feuilles"],
        )
        for row in departements.values("region_id", "region__nom")
        .annotate(
            n=Count("code", distinct=True),
            pressentie=Count(
                "code", filter=atteint(StatutGouvernance.PRESSENTIE, prefix="gouvernance__"), distinct=True
            ),
            definitive=Count(
                "code", filter=atteint(StatutGouvernance.DEFINITIVE, prefix="gouvernance__"), distinct=True
            ),
            feuilles=Count("gouvernance__feuilles_de_route", distinct=True),
        )
        .order_by("region__nom_recherche")
    ]
    return TableauDeBord(
        nb_departements=counts["total"],
        pressentie=counts["pressentie"],
        definitive=counts["definitive"],
        manquants_pressentie=manquants,
        feuilles_declarees=feuilles["declarees"],
        departements_avec_feuilles=feuilles["departements"],
        feuilles_approuvees=feuilles["approuvees"],
        candidats=[
            LigneTypologie(
                PERSONA_PLURIEL[p],
                candidats.get((p.value, Intention.PORTER.value), 0),
                candidats.get((p.value, Intention.PARTICIPER.value), 0),
            )
            for p in Persona
        ],
        coporteurs=[
            (libelle, coporteurs.get(t.value, 0)) for t, libelle in TYPE_COLLECTIVITE_PLURIEL.items()
        ],
        besoins=besoins_selectors.consolidation(user=user),
        avancement=avancement,
        echeances_sans_statut=sans_statut,
        regions=regions,
    )


# --- Tables ----------------------------------------------------------------------------------------


def _count(qs: QuerySet, *, outer: str, ref: str = "pk") -> Coalesce:
    """A correlated COUNT subquery (no join on the outer query, so no row multiplication):
    the rows whose `outer` is the outer row's `ref`."""
    sub = qs.filter(**{outer: OuterRef(ref)}).order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def gouvernances_table(*, user) -> QuerySet[Departement]:
    """One row per département of the campaign, with or without a gouvernance (LEFT JOINs on the
    one-to-one relations, counts as subqueries). Follow-up notes only for administrators."""
    if not perms.can_read_national(user):
        return Departement.objects.none()
    # The counts are correlated on the gouvernance's id (already joined): each subquery is an
    # index lookup, not a scan of the gouvernances for every département.
    gouvernance = "gouvernance__pk"
    etp = (
        Besoin.objects.filter(besoins__gouvernance=OuterRef(gouvernance))
        .order_by()
        .values("besoins__gouvernance")
        .annotate(s=Sum("etp"))
        .values("s")
    )
    qs = departements_campagne().annotate(
        statut=Coalesce(F("gouvernance__statut"), Value(""), output_field=CharField()),
        pressentie_le=F("gouvernance__pressentie_remontee_le"),
        definitive_le=F("gouvernance__definitive_remontee_le"),
        rouverte_jusquau=F("gouvernance__rouverte_jusquau"),
        modifiee_le=F("gouvernance__updated_at"),
        nb_membres=_count(Membre.objects.all(), outer="gouvernance", ref=gouvernance),
        nb_coporteurs=_count(Membre.objects.filter(est_coporteur=True), outer="gouvernance", ref=gouvernance),
        nb_feuilles=_count(FeuilleDeRoute.objects.all(), outer="gouvernance", ref=gouvernance),
        nb_feuilles_approuvees=_count(
            FeuilleDeRoute.objects.filter(approuvee()), outer="gouvernance", ref=gouvernance
        ),
        nb_besoins=_count(Besoin.objects.all(), outer="besoins__gouvernance", ref=gouvernance),
        etp_total=Subquery(etp, output_field=DecimalField(max_digits=8, decimal_places=2)),
    )
    if perms.can_read_suivi(user):
        qs = qs.annotate(
            suivi_commentaire=Coalesce(F("suivi_anct__commentaire"), Value(""), output_field=TextField()),
            suivi_probleme=Coalesce(F("suivi_anct__probleme"), Value(""), output_field=TextField()),
        )
    return qs.order_by("code")


def attach_coporteurs(rows) -> list:
    """Give each département row the names of its co-porteurs (`coporteurs_noms`): one query."""
    rows = list(rows)
    noms: dict[str, list[str]] = {}
    membres = (
        Membre.objects.filter(est_coporteur=True, gouvernance__departement__in=[r.pk for r in rows])
        .select_related("gouvernance", "region", "departement", "epci", "commune")
        .order_by("gouvernance__departement_id", "type_collectivite", "id")
    )
    for membre in membres:
        noms.setdefault(membre.gouvernance.departement_id, []).append(membre.nom)
    for row in rows:
        row.coporteurs_noms = noms.get(row.pk, [])
    return rows


def membres_table(*, user) -> QuerySet[Membre]:
    if not perms.can_read_national(user):
        return Membre.objects.none()
    return (
        Membre.objects.filter(gouvernance__departement__zone__in=CAMPAGNE_ZONES)
        .select_related("gouvernance__departement__region", "region", "departement", "epci", "commune")
        .annotate(statut_gouvernance=F("gouvernance__statut"))
        .order_by("gouvernance__departement_id", "-est_coporteur", "type_collectivite", "id")
    )


def feuilles_table(*, user) -> QuerySet[FeuilleDeRoute]:
    if not perms.can_read_national(user):
        return FeuilleDeRoute.objects.none()
    dernier = Document.objects.filter(feuille_de_route=OuterRef("pk")).order_by("-numero")
    return (
        _feuilles_campagne()
        .select_related(
            "gouvernance__departement__region",
            "porteur__region",
            "porteur__departement",
            "porteur__epci",
            "porteur__commune",
        )
        .annotate(
            nb_epci=_count(FeuilleDeRoute.epcis.through.objects.all(), outer="feuillederoute"),
            statut_document=Coalesce(
                Subquery(dernier.values("statut")[:1]), Value(""), output_field=CharField()
            ),
            version_document=Subquery(dernier.values("numero")[:1]),
            approuvee_le=Subquery(
                Document.objects.filter(feuille_de_route=OuterRef("pk"), statut=StatutDocument.APPROUVEE)
                .order_by("-numero")
                .values("approuvee_le")[:1]
            ),
        )
        .order_by("gouvernance__departement_id", "id")
    )


def candidats_table(*, user) -> QuerySet[ManifestationInteret]:
    """Confirmed forms of the whole country (drafts and cancelled ones are not candidacies)."""
    if not perms.can_read_national(user):
        return ManifestationInteret.objects.none()
    return (
        ManifestationInteret.objects.filter(statut=Statut.CONFIRMEE)
        .select_related(
            "region",
            "departement__region",
            "epci",
            "commune__departement__region",
            "structure_departement__region",
        )
        .prefetch_related(
            Prefetch("epci__departements", queryset=Departement.objects.select_related("region")),
            *MAIN_CONTACTS_PREFETCH,
        )
        .order_by("-confirmee_le", "-id")
    )


def departements_of_candidat(manifestation: ManifestationInteret) -> list[Departement]:
    """Where the form is seen (same rule as candidatures.selectors), from what is already loaded."""
    if manifestation.is_structure:
        return [manifestation.structure_departement] if manifestation.structure_departement_id else []
    if manifestation.commune_id:
        return [manifestation.commune.departement]
    if manifestation.departement_id:
        return [manifestation.departement]
    if manifestation.epci_id:
        return sorted(manifestation.epci.departements.all(), key=lambda d: d.code)
    return []


def attach_departements(rows) -> list:
    """Give each candidate row the départements where its form is seen (`departements_vus`),
    from what the table's query already loaded."""
    rows = list(rows)
    for row in rows:
        row.departements_vus = departements_of_candidat(row)
    return rows


def region_of_candidat(manifestation: ManifestationInteret) -> str:
    if manifestation.region_id:
        return manifestation.region.nom
    departements = departements_of_candidat(manifestation)
    return departements[0].region.nom if departements else ""


# --- One département -------------------------------------------------------------------------------


@dataclass
class FicheDepartement:
    departement: Departement
    ligne: Departement  # the gouvernances_table row
    suivi: SuiviDepartement | None
    peut_lire_suivi: bool
    feuilles: list[FeuilleDeRoute]
    rappels: list


def fiche_departement(*, user, departement: Departement) -> FicheDepartement:
    ligne = attach_coporteurs(gouvernances_table(user=user).filter(pk=departement.pk))
    lire = perms.can_read_suivi(user)
    return FicheDepartement(
        departement=departement,
        ligne=ligne[0] if ligne else departement,
        suivi=SuiviDepartement.objects.filter(departement=departement).first() if lire else None,
        peut_lire_suivi=lire,
        feuilles=list(feuilles_table(user=user).filter(gouvernance__departement=departement)),
        rappels=list(departement.rappels_anct.select_related("echeance").order_by("-envoye_le"))
        if lire
        else [],
    )


def departement_campagne(code: str) -> Departement | None:
    """A département of the campaign (the collectivités d'outre-mer are not part of it)."""
    return departements_campagne().filter(code=code).first()


# --- Reminders -------------------------------------------------------------------------------------


# What a late département still owes, as the reminder e-mail says it.
MANQUE_STATUT = "remonter la {statut}"
MANQUE_BESOINS = "exprimer et prioriser les besoins en ingénierie"
MANQUE_FEUILLES = "faire approuver chaque feuille de route (au moins une déclarée)"


def retards(echeance: Echeance) -> dict[str, list[str]]:
    """{code: what the département has not done yet of what `echeance` expects}, for the
    départements of the campaign that owe something (one query)."""
    feuilles = FeuilleDeRoute.objects.filter(gouvernance__departement=OuterRef("pk"))
    departements = Departement.objects.filter(zone__in=CAMPAGNE_ZONES).order_by("code")
    if echeance.statut:
        departements = departements.annotate(
            statut_atteint=Exists(
                Departement.objects.filter(pk=OuterRef("pk")).filter(
                    atteint(echeance.statut, prefix="gouvernance__")
                )
            )
        )
    if echeance.besoins_attendus:
        departements = departements.annotate(
            besoins_faits=Exists(
                Besoin.objects.filter(
                    besoins__gouvernance__departement=OuterRef("pk"), besoins__priorisee_le__isnull=False
                )
            )
        )
    if echeance.feuilles_attendues:
        departements = departements.annotate(
            feuilles_declarees=Exists(feuilles),
            feuille_non_approuvee=Exists(feuilles.exclude(approuvee())),
        )
    out = {}
    for d in departements:
        manques = []
        if echeance.statut and not d.statut_atteint:
            manques.append(
                MANQUE_STATUT.format(
                    statut=StatutGouvernance(echeance.statut).label.lower().replace(" remontée", "")
                )
            )
        if echeance.besoins_attendus and not d.besoins_faits:
            manques.append(MANQUE_BESOINS)
        if echeance.feuilles_attendues and (not d.feuilles_declarees or d.feuille_non_approuvee):
            manques.append(MANQUE_FEUILLES)
        if manques:
            out[d.code] = manques
    return out


def departements_en_retard(echeance: Echeance) -> QuerySet[Departement]:
    """Départements of the campaign that have not done everything `echeance` expects."""
    return Departement.objects.filter(code__in=list(retards(echeance))).order_by("code")


def echeances_a_rappeler(*, today: datetime.date, jours: int) -> list[Echeance]:
    """Deadlines that expect something (a statut, the besoins, approved feuilles de route) and
    fall within the next `jours` days (today included)."""
    return list(
        Echeance.objects.filter(~Q(statut="") | Q(besoins_attendus=True) | Q(feuilles_attendues=True))
        .filter(date_limite__gte=today, date_limite__lte=today + datetime.timedelta(days=jours))
        .order_by("date_limite", "id")
    )


ZERO = Decimal("0")
