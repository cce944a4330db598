"""Reads on besoins en ingénierie, taking the viewer.

- `besoins_page`: what the département's pages show (a fixed number of queries).
- `consolidation`, `departements_pour_item`, `lignes_export`: the national figures, computed by
  aggregate queries (never a loop over départements); the national dashboard reuses them.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Q, QuerySet, Sum

from comptes import perms
from comptes.signals import COMPTES
from gouvernances.models import Gouvernance
from gouvernances.selectors import edition, gouvernance_for
from gouvernances.signals import GOUVERNANCES
from territoires.models import Departement
from territoires.signals import REFERENTIEL

from . import rules
from .enums import CARTE_RESSOURCE_HUMAINE, ITEMS_BY_CATEGORIE
from .models import Besoin, Besoins
from .signals import BESOINS

# What a département's besoins page shows: its besoins, its gouvernance (the campaign's calendar
# and a reopening decide the write window), the département's name and who saved last.
DEPENDS_ON = (BESOINS, GOUVERNANCES, REFERENTIEL, COMPTES)
# The national consolidation counts the besoins only.
CONSOLIDATION_DEPENDS_ON = (BESOINS,)

# --- A département's besoins ----------------------------------------------------------------------


@dataclass
class BesoinsPage:
    departement: Departement
    gouvernance: Gouvernance | None
    besoins: Besoins | None
    lignes: list[Besoin]
    edition: perms.WriteWindow

    @property
    def version(self) -> int:
        return self.besoins.version if self.besoins else 0

    @property
    def aucun_besoin(self) -> bool:
        """The département answered explicitly that it has no besoin en ingénierie."""
        return bool(self.besoins and self.besoins.aucun_besoin)

    @property
    def can_write(self) -> bool:
        return self.gouvernance is not None and self.edition.possible

    # Computed once per page (the home card reads six of its figures), from the lines loaded.
    @cached_property
    def totaux(self) -> rules.Totaux:
        return rules.totaux(ligne.as_ligne() for ligne in self.lignes)

    @cached_property
    def cartes(self) -> list[rules.Carte]:
        """The cards of step 2 in the stored order (new cards last)."""
        cartes = {c.cle: c for c in rules.cartes_attendues([ligne.as_ligne() for ligne in self.lignes])}
        stored = self.besoins.priorites if self.besoins else []
        return [cartes[cle] for cle in rules.reconcile(stored, list(cartes))]

    def cartes_in(self, ordre: list[str]) -> list[rules.Carte]:
        """The cards in the order a page sent, when it names exactly the current cards (a save
        refused as stale shows the order the user chose); otherwise the stored order."""
        cartes = self.cartes
        by_cle = {c.cle: c for c in cartes}
        if not rules.ordre_valide(ordre, list(by_cle)):
            return cartes
        return [by_cle[cle] for cle in ordre]

    @property
    def priorisation_a_faire(self) -> bool:
        return bool(self.lignes) and not (self.besoins and self.besoins.priorisee_le)

    def lignes_par_categorie(self) -> list[tuple[str, list[Besoin]]]:
        by_item = {ligne.item: ligne for ligne in self.lignes}
        return [
            (categorie.label, [by_item[item] for item in items if item in by_item])
            for categorie, items in ITEMS_BY_CATEGORIE.items()
            if any(item in by_item for item in items)
        ]


def besoins_page(*, user, departement: Departement, today: datetime.date | None = None) -> BesoinsPage:
    """Three queries: the gouvernance with its besoins, their lines, the campaign's deadline."""
    gouvernance = gouvernance_for(
        user=user, departement=departement, select_related=("besoins__modifie_par",)
    )
    besoins = None
    lignes: list[Besoin] = []
    if gouvernance is not None:
        try:
            besoins = gouvernance.besoins
        except Besoins.DoesNotExist:
            besoins = None
        if besoins is not None:
            lignes = list(besoins.lignes.order_by("id"))
    return BesoinsPage(
        departement=departement,
        gouvernance=gouvernance,
        besoins=besoins,
        lignes=lignes,
        edition=edition(gouvernance, user, departement=departement, today=today),
    )


# --- National consolidation -------------------------------------------------------------------


@dataclass
class LigneConsolidee:
    code: str
    libelle: str
    categorie: str
    departements: int = 0
    etp: Decimal = Decimal("0")
    prestations: int = 0
    personnes_a_former: int = 0
    ressources_humaines: int = 0

    @property
    def etp_affiche(self) -> str:
        return rules.format_etp(self.etp)


@dataclass
class Consolidation:
    departements_avec_besoins: int
    departements_sans_besoin: int  # those who answered « aucun besoin »
    chefs_de_projet: int
    etudes: int  # départements listing at least one étude d'ingénierie spécifique
    total: LigneConsolidee
    categories: list[tuple[LigneConsolidee, list[LigneConsolidee]]] = field(default_factory=list)

    @property
    def items(self) -> list[LigneConsolidee]:
        return [item for _, items in self.categories for item in items]


def _figures():
    return {
        "departements": Count("besoins", distinct=True),
        "etp_sum": Sum("etp"),
        "prestations": Count("id", filter=Q(prestation=True)),
        "personnes": Sum("personnes_a_former"),
        "rh": Count("id", filter=Q(ressource_humaine=True)),
    }


def _fill(ligne: LigneConsolidee, row: dict | None) -> LigneConsolidee:
    if row:
        ligne.departements = row["departements"]
        ligne.etp = row["etp_sum"] or Decimal("0")
        ligne.prestations = row["prestations"]
        ligne.personnes_a_former = row["personnes"] or 0
        ligne.ressources_humaines = row["rh"]
    return ligne


def _scope(user) -> QuerySet[Besoin]:
    perms.require_national(user)
    return Besoin.objects.all()


def consolidation(*, user) -> Consolidation:
    """For each item: départements that selected it, total ETP, prestations, people to train;
    the same by category and for all items. Four queries whatever the number of départements."""
    qs = _scope(user)
    by_item = {row["item"]: row for row in qs.values("item").annotate(**_figures()).order_by()}
    by_categorie = {row["categorie"]: row for row in qs.values("categorie").annotate(**_figures()).order_by()}
    total_row = qs.aggregate(**_figures())
    sets = Besoins.objects.aggregate(
        avec_besoins=Count("id", filter=Q(lignes__isnull=False), distinct=True),
        sans_besoin=Count("id", filter=Q(aucun_besoin=True), distinct=True),
        chefs=Count("id", filter=Q(chef_de_projet=True), distinct=True),
        etudes=Count("id", filter=~Q(etudes=[]), distinct=True),
    )
    categories = []
    for categorie, items in ITEMS_BY_CATEGORIE.items():
        head = _fill(
            LigneConsolidee(categorie.value, categorie.label, categorie.label), by_categorie.get(categorie)
        )
        rows = [
            _fill(LigneConsolidee(item.value, item.label, categorie.label), by_item.get(item))
            for item in items
        ]
        categories.append((head, rows))
    return Consolidation(
        departements_avec_besoins=sets["avec_besoins"],
        departements_sans_besoin=sets["sans_besoin"],
        chefs_de_projet=sets["chefs"],
        etudes=sets["etudes"],
        total=_fill(LigneConsolidee("total", "Tous les besoins", ""), total_row),
        categories=categories,
    )


def departements_pour_item(*, user, item: str) -> QuerySet[Besoin]:
    """The départements that selected `item`, with their figures, by région then département."""
    return (
        _scope(user)
        .filter(item=item)
        .select_related("besoins__gouvernance__departement__region")
        .order_by(
            "besoins__gouvernance__departement__region__nom_recherche",
            "besoins__gouvernance__departement__code",
        )
    )


def lignes_export(*, user) -> QuerySet[Besoin]:
    """Every selected item of every département, for the detailed export (one query)."""
    return (
        _scope(user)
        .select_related("besoins__gouvernance__departement__region")
        .order_by("besoins__gouvernance__departement__code", "id")
    )


def rang(besoin: Besoin) -> int | None:
    """The priority rank of the card this item belongs to (the RH card for RH-only items)."""
    priorites = besoin.besoins.priorites or []
    if besoin.item in priorites:
        return priorites.index(besoin.item) + 1
    if besoin.ressource_humaine and CARTE_RESSOURCE_HUMAINE in priorites:
        return priorites.index(CARTE_RESSOURCE_HUMAINE) + 1
    return None
