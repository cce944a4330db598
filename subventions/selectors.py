"""Reads on dotations, demandes de subvention and conventions, taking the viewer.

- `subventions_page`, `demande_for`, `form_choices`: what the département's pages show, in a
  fixed number of queries whatever the number of demandes.
- `demandes_national`, `consolidation`, `gouvernances_export`, `beneficiaires_export`: ANCT's
  figures, computed by aggregate queries (never a loop over départements).
- `convention_for`: the plain data of one bénéficiaire's convention.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from besoins.enums import Item
from comptes import perms
from core.cache import cached
from feuilles_de_route.libelles import article_de, prefecture_de
from feuilles_de_route.models import Axe, Document, FeuilleDeRoute, FicheAction
from gouvernances.models import Gouvernance, Membre
from gouvernances.selectors import MEMBRE_RELATED, gouvernance_for, membres_for
from territoires.enums import Zone
from territoires.models import Departement, Region

from .conventions import ActionFinancee, ConventionData
from .enums import Fonds, Instruction, StatutDemande, StatutGouvernanceSubventions, TypologieBeneficiaire
from .models import Beneficiaire, BesoinVise, ConventionJob, Demande, Dotation, NoteSubventions
from .signals import SUBVENTIONS

CAMPAGNE_ZONES = (Zone.METRO, Zone.DROM)
NON_REJETEE = ~Q(statut=StatutDemande.REJETEE)
ZERO = Decimal("0")
T = TypeVar("T")

BENEFICIAIRES = Prefetch(
    "beneficiaires",
    queryset=Beneficiaire.objects.select_related(*(f"membre__{r}" for r in MEMBRE_RELATED)).order_by("id"),
)
BESOINS = Prefetch("besoins", queryset=BesoinVise.objects.order_by("id"))


def statut_gouvernance(statuts: list[tuple[str, str]]) -> StatutGouvernanceSubventions:
    """From the (statut, instruction) of a gouvernance's demandes: none → « Non renseigné »; one
    still in brouillon → « En cours »; one waiting for ANCT → « À instruire »; all decided →
    « Finalisé »."""
    if not statuts:
        return StatutGouvernanceSubventions.NON_RENSEIGNE
    values = {statut for statut, _ in statuts}
    if StatutDemande.BROUILLON in values:
        return StatutGouvernanceSubventions.EN_COURS
    if StatutDemande.VALIDEE in values:
        return StatutGouvernanceSubventions.A_INSTRUIRE
    return StatutGouvernanceSubventions.FINALISE


BADGES_GOUVERNANCE = {
    StatutGouvernanceSubventions.NON_RENSEIGNE: "",
    StatutGouvernanceSubventions.EN_COURS: "fr-badge--new",
    StatutGouvernanceSubventions.A_INSTRUIRE: "fr-badge--info",
    StatutGouvernanceSubventions.FINALISE: "fr-badge--success",
}


def _demandes(qs: QuerySet[Demande]) -> QuerySet[Demande]:
    return qs.select_related(
        "feuille_de_route",
        "fiche_action__axe__document",
        "dotation",
        "validee_par",
        "instruite_par",
        "modifie_par",
        "gouvernance__departement__region",
    ).prefetch_related(BENEFICIAIRES, BESOINS)


# --- A département --------------------------------------------------------------------------------


@dataclass
class EtatDotation:
    fonds: Fonds
    dotation: Dotation | None
    engage: Decimal = ZERO

    @property
    def restante(self) -> Decimal:
        return max(self.dotation.montant - self.engage, ZERO) if self.dotation else ZERO


@dataclass
class Convention:
    membre: Membre
    montant: Decimal
    job: ConventionJob | None


@dataclass
class SubventionsPage:
    departement: Departement
    gouvernance: Gouvernance | None
    note: NoteSubventions | None
    dotations: list[EtatDotation]
    demandes: list[Demande]
    formation: Demande | None
    conventions: list[Convention]
    can_write: bool
    can_convention: bool

    @property
    def statut(self) -> StatutGouvernanceSubventions:
        every = [*self.demandes, *([self.formation] if self.formation else [])]
        return statut_gouvernance([(d.statut, d.instruction) for d in every])

    @property
    def badge(self) -> str:
        return BADGES_GOUVERNANCE[self.statut]

    @property
    def dotation_ingenierie(self) -> EtatDotation:
        return self.dotations[0]

    @property
    def dotation_formation(self) -> EtatDotation:
        return self.dotations[1]

    @property
    def note_version(self) -> int:
        return self.note.version if self.note else 0

    @property
    def peut_creer_formation(self) -> bool:
        return self.can_write and self.formation is None and self.dotation_formation.dotation is not None


def _etats_dotation(departement: Departement) -> list[EtatDotation]:
    latest: dict[str, Dotation] = {}
    for dotation in Dotation.objects.filter(departement=departement).order_by("-annee"):
        latest.setdefault(dotation.fonds, dotation)
    engages = dict(
        Demande.objects.filter(dotation__in=[d.pk for d in latest.values()])
        .filter(NON_REJETEE)
        .values("dotation")
        .annotate(total=Sum("subvention_demandee"))
        .values_list("dotation", "total")
    )
    return [
        EtatDotation(
            fonds=fonds,
            dotation=latest.get(fonds),
            engage=engages.get(latest[fonds].pk, ZERO) if fonds in latest else ZERO,
        )
        for fonds in (Fonds.INGENIERIE, Fonds.FORMATION)
    ]


def _conventions(gouvernance: Gouvernance) -> list[Convention]:
    rows = (
        Beneficiaire.objects.filter(demande__gouvernance=gouvernance, demande__statut=StatutDemande.ACCEPTEE)
        .values("membre")
        .annotate(total=Sum("montant"))
        .order_by("membre")
    )
    totals = {row["membre"]: row["total"] for row in rows}
    if not totals:
        return []
    membres = {m.pk: m for m in membres_for(gouvernance=gouvernance) if m.pk in totals}
    jobs: dict[int, ConventionJob] = {}
    for job in ConventionJob.objects.filter(gouvernance=gouvernance, membre__in=totals).order_by(
        "-created_at", "-id"
    ):
        jobs.setdefault(job.membre_id, job)
    return [
        Convention(membres[pk], totals[pk], jobs.get(pk))
        for pk in sorted(totals, key=lambda k: membres[k].nom)
    ]


def _formation_of(formations: list[T]) -> T | None:
    """The demande de formation a département works on, among its demandes in creation order: the
    last one not rejected, or else the last one (a département asks for one at a time)."""
    formation = next((d for d in reversed(formations) if d.statut != StatutDemande.REJETEE), None)
    return formation or (formations[-1] if formations else None)


def subventions_page(*, user, departement: Departement) -> SubventionsPage:
    gouvernance = gouvernance_for(user=user, departement=departement)
    demandes: list[Demande] = []
    note = formation = None
    conventions: list[Convention] = []
    if gouvernance is not None:
        note = NoteSubventions.objects.filter(gouvernance=gouvernance).select_related("modifie_par").first()
        every = list(_demandes(Demande.objects.filter(gouvernance=gouvernance)).order_by("id"))
        demandes = [d for d in every if d.fonds == Fonds.INGENIERIE]
        formation = _formation_of([d for d in every if d.fonds == Fonds.FORMATION])
        if perms.can_get_convention(user, departement):
            conventions = _conventions(gouvernance)
    can_write = gouvernance is not None and perms.can_write_subventions(user, departement)
    return SubventionsPage(
        departement=departement,
        gouvernance=gouvernance,
        note=note,
        dotations=_etats_dotation(departement),
        demandes=demandes,
        formation=formation,
        conventions=conventions,
        can_write=can_write,
        can_convention=perms.can_get_convention(user, departement),
    )


@dataclass(frozen=True)
class SubventionsCard:
    """What the espace départemental's card shows: the status of the demandes and what remains of
    the dotation d'ingénierie."""

    statut: StatutGouvernanceSubventions
    dotation_ingenierie: EtatDotation

    @property
    def badge(self) -> str:
        return BADGES_GOUVERNANCE[self.statut]


@dataclass(frozen=True)
class _StatutRow:
    fonds: str
    statut: str
    instruction: str


def subventions_card(*, user, departement: Departement) -> SubventionsCard | None:
    """The same status as `subventions_page`, from the demandes' statuses only (one query, then the
    dotations' two), for a viewer who may read the département's subventions; cached until the
    subventions' data change."""
    if not perms.can_read_subventions(user, departement):
        return None
    return cached(
        f"subventions:carte:{departement.code}",
        lambda: _subventions_card(departement),
        depends_on=(SUBVENTIONS,),
    )


def _subventions_card(departement: Departement) -> SubventionsCard:
    rows = [
        _StatutRow(*values)
        for values in Demande.objects.filter(gouvernance__departement=departement)
        .order_by("id")
        .values_list("fonds", "statut", "instruction")
    ]
    formation = _formation_of([r for r in rows if r.fonds == Fonds.FORMATION])
    counted = [r for r in rows if r.fonds == Fonds.INGENIERIE] + ([formation] if formation else [])
    return SubventionsCard(
        statut=statut_gouvernance([(r.statut, r.instruction) for r in counted]),
        dotation_ingenierie=_etats_dotation(departement)[0],
    )


def demande_for(*, user, departement: Departement, pk: int) -> Demande | None:
    if not perms.can_read_subventions(user, departement):
        return None
    demande = _demandes(Demande.objects.filter(pk=pk, gouvernance__departement=departement)).first()
    return demande


def historique(demande: Demande) -> list:
    """Who changed the demande's status, and when (from its audit history), oldest first."""
    rows = list(demande.history.select_related("history_user").order_by("history_date", "history_id"))
    events, previous = [], None
    for row in rows:
        if row.statut != previous:
            events.append(row)
        previous = row.statut
    return events


@dataclass
class FeuilleChoix:
    feuille: FeuilleDeRoute
    document: Document | None
    axes: list[Axe] = field(default_factory=list)

    @property
    def fiches(self) -> list[FicheAction]:
        return [fiche for axe in self.axes for fiche in axe.fiches.all()]


def form_choices(*, gouvernance: Gouvernance) -> list[FeuilleChoix]:
    """The feuilles de route of the gouvernance, each with the axes and fiches action of its
    current document (three queries whatever their number)."""
    feuilles = list(FeuilleDeRoute.objects.filter(gouvernance=gouvernance).order_by("id"))
    current: dict[int, Document] = {}
    for document in Document.objects.filter(feuille_de_route__in=feuilles).order_by("-numero"):
        current.setdefault(document.feuille_de_route_id, document)
    axes: dict[int, list[Axe]] = defaultdict(list)
    for axe in (
        Axe.objects.filter(document__in=list(current.values()))
        .prefetch_related(Prefetch("fiches", queryset=FicheAction.objects.order_by("ordre", "id")))
        .order_by("ordre", "id")
    ):
        axes[axe.document_id].append(axe)
    return [
        FeuilleChoix(f, current.get(f.pk), axes.get(current[f.pk].pk, []) if f.pk in current else [])
        for f in feuilles
    ]


def membres_choices(*, gouvernance: Gouvernance) -> list[Membre]:
    return list(membres_for(gouvernance=gouvernance))


# --- A convention ---------------------------------------------------------------------------------


def _identifiant(membre: Membre) -> str:
    if membre.is_structure:
        return f"SIRET {membre.structure_siret}" if membre.structure_siret else "sans SIRET"
    return membre.collectivite_code


def convention_for(
    *, gouvernance: Gouvernance, membre: Membre, day: datetime.date | None = None
) -> ConventionData:
    departement = Departement.objects.get(pk=gouvernance.departement_id)
    membre = Membre.objects.select_related(*MEMBRE_RELATED).get(pk=membre.pk)
    parts = (
        Beneficiaire.objects.filter(
            membre=membre, demande__gouvernance=gouvernance, demande__statut=StatutDemande.ACCEPTEE
        )
        .select_related("demande__feuille_de_route", "demande__fiche_action", "demande__dotation")
        .prefetch_related(Prefetch("demande__besoins", queryset=BesoinVise.objects.order_by("id")))
        .order_by("demande_id")
    )
    actions = [
        ActionFinancee(
            feuille_de_route=part.demande.feuille_de_route.nom if part.demande.feuille_de_route_id else "—",
            action=part.demande.titre,
            fonds=Fonds(part.demande.fonds).label,
            besoins=[Item(b.item).label for b in part.demande.besoins.all()],
            budget_global=part.demande.budget_global,
            subvention=part.demande.subvention_demandee,
            part_beneficiaire=part.montant,
        )
        for part in parts
    ]
    fonction = membre.referent_fonction
    return ConventionData(
        departement_code=departement.code,
        departement_nom=departement.nom,
        departement_de_nom=article_de(departement),
        prefecture=prefecture_de(departement),
        prefet=f"le préfet {article_de(departement)}",
        beneficiaire_nom=membre.nom,
        beneficiaire_typologie=TypologieBeneficiaire(
            membre.type_collectivite or TypologieBeneficiaire.STRUCTURE
        ).label,
        beneficiaire_identifiant=_identifiant(membre),
        representant=f"{membre.referent_nom_complet}, {fonction}"
        if fonction
        else membre.referent_nom_complet,
        representant_email=membre.referent_email,
        annee=max((p.demande.dotation.annee for p in parts), default=timezone.localdate().year),
        date=day or timezone.localdate(),
        actions=actions,
    )


# --- National -------------------------------------------------------------------------------------


def _national(user) -> None:
    perms.require_national(user)


def demandes_national(*, user) -> QuerySet[Demande]:
    _national(user)
    return _demandes(Demande.objects.filter(gouvernance__departement__zone__in=CAMPAGNE_ZONES)).order_by(
        "gouvernance__departement_id", "id"
    )


@dataclass
class LigneMontants:
    """Amounts of one group: dotation, demandé (not rejected), accepté, restant."""

    cle: str
    libelle: str
    dotation: Decimal | None = None
    demande: Decimal = ZERO
    accepte: Decimal = ZERO
    demandes: int = 0
    lien: str = ""

    @property
    def restant(self) -> Decimal | None:
        return None if self.dotation is None else max(self.dotation - self.demande, ZERO)


@dataclass
class Consolidation:
    total: LigneMontants
    dotation_formation: Decimal
    par_departement: list[LigneMontants]
    par_region: list[LigneMontants]
    par_besoin: list[LigneMontants]
    par_typologie: list[LigneMontants]
    statuts: dict[str, int]


def _montants():
    return {
        "somme_demandee": Sum("subvention_demandee", filter=NON_REJETEE),
        "somme_acceptee": Sum("subvention_demandee", filter=Q(statut=StatutDemande.ACCEPTEE)),
        "nombre": Count("id", filter=NON_REJETEE),
    }


def _fill(ligne: LigneMontants, row: dict | None) -> LigneMontants:
    if row:
        ligne.demande = row["somme_demandee"] or ZERO
        ligne.accepte = row["somme_acceptee"] or ZERO
        ligne.demandes = row["nombre"]
    return ligne


def consolidation(*, user, annee: int | None = None) -> Consolidation:
    """Amounts requested, accepted and remaining per département, région, besoin and bénéficiaire
    typology, for the ingénierie fund (and the formation fund in the totals). A fixed number of
    aggregate queries."""
    _national(user)
    demandes = Demande.objects.filter(gouvernance__departement__zone__in=CAMPAGNE_ZONES)
    dotations = Dotation.objects.filter(departement__zone__in=CAMPAGNE_ZONES)
    if annee is not None:
        demandes, dotations = demandes.filter(dotation__annee=annee), dotations.filter(annee=annee)
    ingenierie = demandes.filter(fonds=Fonds.INGENIERIE)
    dot_dep = {
        row["departement"]: row["total"]
        for row in dotations.filter(fonds=Fonds.INGENIERIE)
        .values("departement")
        .annotate(total=Sum("montant"))
    }
    by_dep = {
        row["gouvernance__departement"]: row
        for row in ingenierie.values("gouvernance__departement").annotate(**_montants()).order_by()
    }
    departements = list(
        Departement.objects.filter(zone__in=CAMPAGNE_ZONES).select_related("region").order_by("code")
    )
    par_departement = [
        _fill(LigneMontants(d.code, f"{d.nom} ({d.code})", dot_dep.get(d.code)), by_dep.get(d.code))
        for d in departements
        if d.code in dot_dep or d.code in by_dep
    ]
    regions: dict[str, LigneMontants] = {}
    region_of = {d.code: d.region for d in departements}
    for ligne in par_departement:
        region = region_of[ligne.cle]
        agg = regions.setdefault(region.code, LigneMontants(region.code, region.nom, ZERO))
        agg.dotation += ligne.dotation or ZERO
        agg.demande += ligne.demande
        agg.accepte += ligne.accepte
        agg.demandes += ligne.demandes
    by_item = {
        row["besoins__item"]: row
        for row in ingenierie.filter(besoins__isnull=False)
        .values("besoins__item")
        .annotate(**_montants())
        .order_by()
    }
    par_besoin = [_fill(LigneMontants(item.value, item.label), by_item.get(item.value)) for item in Item]
    beneficiaires = Beneficiaire.objects.filter(demande__in=demandes)
    by_type = {
        row["membre__type_collectivite"] or TypologieBeneficiaire.STRUCTURE: row
        for row in beneficiaires.values("membre__type_collectivite")
        .annotate(
            somme_demandee=Sum("montant", filter=~Q(demande__statut=StatutDemande.REJETEE)),
            somme_acceptee=Sum("montant", filter=Q(demande__statut=StatutDemande.ACCEPTEE)),
            nombre=Count("membre", filter=~Q(demande__statut=StatutDemande.REJETEE), distinct=True),
        )
        .order_by()
    }
    par_typologie = [
        _fill(LigneMontants(t.value, t.label), by_type.get(t.value)) for t in TypologieBeneficiaire
    ]
    total = _fill(
        LigneMontants("total", "Fonds d'ingénierie", sum(dot_dep.values(), ZERO)),
        ingenierie.aggregate(**_montants()),
    )
    statuts: dict[str, int] = defaultdict(int)
    for row in demandes.values("statut", "instruction").annotate(n=Count("id")).order_by():
        statuts[_statut_cle(row["statut"], row["instruction"])] += row["n"]
    return Consolidation(
        total=total,
        dotation_formation=dotations.filter(fonds=Fonds.FORMATION).aggregate(t=Sum("montant"))["t"] or ZERO,
        par_departement=par_departement,
        par_region=sorted(regions.values(), key=lambda r: r.libelle),
        par_besoin=par_besoin,
        par_typologie=par_typologie,
        statuts=dict(statuts),
    )


@dataclass
class LigneGouvernance:
    """One row per département of the gouvernances export."""

    departement: Departement
    dotation_ingenierie: Decimal | None = None
    dotation_formation: Decimal | None = None
    demande: Decimal = ZERO
    accepte: Decimal = ZERO
    comptes: dict[str, int] = field(default_factory=dict)
    statut: str = StatutGouvernanceSubventions.NON_RENSEIGNE.label

    @property
    def restant(self) -> Decimal | None:
        if self.dotation_ingenierie is None and self.dotation_formation is None:
            return None
        return max(
            (self.dotation_ingenierie or ZERO) + (self.dotation_formation or ZERO) - self.demande, ZERO
        )

    def nombre(self, cle: str) -> int:
        return self.comptes.get(cle, 0)


def _statut_cle(statut: str, instruction: str) -> str:
    if statut == StatutDemande.BROUILLON and instruction == Instruction.MODIFICATION:
        return "modification"
    return statut


def gouvernances_export(*, user) -> list[LigneGouvernance]:
    _national(user)
    departements = (
        Departement.objects.filter(zone__in=CAMPAGNE_ZONES).select_related("region").order_by("code")
    )
    lignes = {d.code: LigneGouvernance(d) for d in departements}
    for dotation in Dotation.objects.filter(departement__in=lignes).order_by("annee"):
        ligne = lignes[dotation.departement_id]
        if dotation.fonds == Fonds.INGENIERIE:
            ligne.dotation_ingenierie = dotation.montant
        else:
            ligne.dotation_formation = dotation.montant
    statuts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in (
        Demande.objects.filter(gouvernance__departement__in=lignes)
        .values("gouvernance__departement", "statut", "instruction")
        .annotate(
            n=Count("id"),
            somme_demandee=Sum("subvention_demandee", filter=NON_REJETEE),
            somme_acceptee=Sum("subvention_demandee", filter=Q(statut=StatutDemande.ACCEPTEE)),
        )
        .order_by()
    ):
        ligne = lignes[row["gouvernance__departement"]]
        cle = _statut_cle(row["statut"], row["instruction"])
        ligne.comptes[cle] = ligne.comptes.get(cle, 0) + row["n"]
        ligne.demande += row["somme_demandee"] or ZERO
        ligne.accepte += row["somme_acceptee"] or ZERO
        statuts[ligne.departement.code].append((row["statut"], row["instruction"]))
    for code, ligne in lignes.items():
        ligne.statut = statut_gouvernance(statuts.get(code, [])).label
    return list(lignes.values())


@dataclass
class LigneBeneficiaire:
    membre: Membre
    demande: Decimal = ZERO
    accepte: Decimal = ZERO
    demandes: int = 0


def beneficiaires_export(*, user) -> list[LigneBeneficiaire]:
    """One row per member bénéficiaire of at least one demande, with its amounts."""
    _national(user)
    rows = (
        Beneficiaire.objects.filter(demande__gouvernance__departement__zone__in=CAMPAGNE_ZONES)
        .values("membre")
        .annotate(
            somme_demandee=Sum("montant", filter=~Q(demande__statut=StatutDemande.REJETEE)),
            somme_acceptee=Sum("montant", filter=Q(demande__statut=StatutDemande.ACCEPTEE)),
            nombre=Count("demande", distinct=True),
        )
        .order_by()
    )
    figures = {row["membre"]: row for row in rows}
    membres = (
        Membre.objects.filter(pk__in=figures)
        .select_related(*MEMBRE_RELATED, "gouvernance__departement__region")
        .order_by("gouvernance__departement_id", "id")
    )
    return [
        LigneBeneficiaire(
            m,
            figures[m.pk]["somme_demandee"] or ZERO,
            figures[m.pk]["somme_acceptee"] or ZERO,
            figures[m.pk]["nombre"],
        )
        for m in membres
    ]


def regions_campagne() -> QuerySet[Region]:
    return Region.objects.filter(departements__zone__in=CAMPAGNE_ZONES).distinct().order_by("nom")
