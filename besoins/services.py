"""Writes on besoins en ingénierie: keyword-only, typed, atomic, validating before saving.

Both steps check the page's `version` (a save made on a stale page raises
`core.versioning.StaleVersion`, whose message names who saved first) and the campaign deadline
through the gouvernance's own rule (`gouvernances.selectors.edition`): after the deadline only a
reopening lets the préfecture write.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.versioning import lock_current
from gouvernances.models import Gouvernance
from gouvernances.selectors import edition

from . import rules
from .enums import CATEGORIE_OF, Item
from .models import Besoin, Besoins

PRIORITES_INVALIDES = (
    "La liste des priorités envoyée ne correspond pas aux besoins sélectionnés. "
    "L'ordre enregistré est affiché ci-dessous : classez de nouveau vos besoins."
)


def _check_editable(*, gouvernance: Gouvernance, user) -> None:
    state = edition(gouvernance, user, departement=gouvernance.departement)
    if not state.possible:
        raise PermissionDenied(state.raison or "Les besoins ne sont plus modifiables.")


# What a refused stale save names (« X a enregistré vos besoins en ingénierie le … »).
BESOINS_LABEL = "vos besoins en ingénierie"


def _locked_besoins(gouvernance: Gouvernance, *, version: int) -> Besoins:
    """The gouvernance's besoins, locked, at the version the page was read at."""
    # The row is created at version 0 before the first save, which is what an empty page read;
    # a concurrent first save makes this wait for its row, whose version then refuses ours.
    Besoins.objects.get_or_create(gouvernance=gouvernance)
    return lock_current(Besoins.objects.all(), version=version, label=BESOINS_LABEL, gouvernance=gouvernance)


@transaction.atomic
def besoins_save(
    *,
    gouvernance: Gouvernance,
    user,
    version: int,
    lignes: Sequence[rules.Ligne],
    chef_de_projet: bool | None,
    chef_de_projet_structure: str = "",
    etudes: Sequence[str] = (),
    aucun_besoin: bool = False,
) -> Besoins:
    """Step 1: the selected items and how each would be met, the chef de projet, the études;
    or the explicit answer that the département has no besoin (`aucun_besoin`).

    Rows of items no longer selected are deleted; the priority order keeps the cards still there
    and appends new ones (a changed set of cards asks for the priorisation again)."""
    _check_editable(gouvernance=gouvernance, user=user)
    besoins = _locked_besoins(gouvernance, version=version)

    errors = rules.validate_lignes(lignes, aucun_besoin=aucun_besoin)
    if chef_de_projet is None:
        errors.setdefault("chef_de_projet", []).append(
            "Indiquez si un chef de projet « Financement de l'inclusion numérique » est nécessaire."
        )
    if errors:
        raise ValidationError(errors)

    cleaned = [ligne.cleaned() for ligne in lignes]
    existing = {row.item: row for row in besoins.lignes.all()}
    selected = {ligne.item for ligne in cleaned}
    for item, row in existing.items():
        if item not in selected:
            row._history_user = user
            row.delete()
    for ligne in cleaned:
        values = {
            "categorie": CATEGORIE_OF[Item(ligne.item)],
            "ressource_humaine": ligne.ressource_humaine,
            "etp": ligne.etp,
            "prestation": ligne.prestation,
            "personnes_a_former": ligne.personnes_a_former,
            "precision": ligne.precision,
            "forme_des_personnes": ligne.forme_des_personnes,
        }
        row = existing.get(ligne.item)
        if row is None:
            row = Besoin(besoins=besoins, item=ligne.item, **values)
        elif all(getattr(row, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row._history_user = user  # who, also outside a request (seed, shell)
        row.save()

    attendues = [carte.cle for carte in rules.cartes_attendues(cleaned)]
    priorites = rules.reconcile(besoins.priorites, attendues)
    if set(priorites) != set(besoins.priorites):
        besoins.priorisee_le = None
    besoins.priorites = priorites
    besoins.aucun_besoin = aucun_besoin
    if aucun_besoin:
        besoins.priorisee_le = None  # nothing to rank
    besoins.chef_de_projet = chef_de_projet
    besoins.chef_de_projet_structure = chef_de_projet_structure.strip() if chef_de_projet else ""
    besoins.etudes = [etude.strip() for etude in etudes if etude.strip()]
    besoins.touch(user=user)
    besoins._history_user = user
    besoins.save()
    return besoins


@transaction.atomic
def besoins_prioritise(*, besoins: Besoins, user, version: int, ordre: Sequence[str]) -> Besoins:
    """Step 2: store the order of the cards. The order must name every card of the current
    selection exactly once (anything else is a stale page or a tampered request)."""
    gouvernance = besoins.gouvernance
    _check_editable(gouvernance=gouvernance, user=user)
    besoins = _locked_besoins(gouvernance, version=version)
    attendues = [
        carte.cle for carte in rules.cartes_attendues([row.as_ligne() for row in besoins.lignes.all()])
    ]
    ordre = [str(cle) for cle in ordre]
    if not attendues:
        raise ValidationError("Sélectionnez d'abord vos besoins (étape 1) avant de les prioriser.")
    if not rules.ordre_valide(ordre, attendues):
        raise ValidationError(PRIORITES_INVALIDES, code="tampered")
    besoins.priorites = ordre
    besoins.priorisee_le = timezone.now()
    besoins.touch(user=user)
    besoins._history_user = user
    besoins.save()
    return besoins
