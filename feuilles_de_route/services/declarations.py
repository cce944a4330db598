"""The feuilles de route a gouvernance declares: nom, porteur, périmètre, contrat préexistant.

The gouvernance form collects them, and its service calls `feuilles_declare` inside its own
transaction: this app stays the only writer of its tables. A feuille de route whose document
holds what someone wrote is never removed with it: the removal is refused, and the message
says how to proceed (empty the document first, or keep the feuille de route and change it).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from territoires.models import Departement

from ..enums import ContratPreexistant, TypePerimetre
from ..models import FeuilleDeRoute
from ..selectors import DocumentContent, documents_content
from .perimetres import perimetre_conflicts

# The porteur key of a feuille de route « portée par la préfecture seule ».
PORTEE_PAR_PREFECTURE = "prefecture"


@dataclass
class FeuilleInput:
    nom: str
    porteur_key: str  # a member's key, or PORTEE_PAR_PREFECTURE
    perimetre: str
    epci_codes: list[str] = field(default_factory=list)
    contrat_preexistant: str = ""  # a ContratPreexistant value; empty: not answered (refused)
    contrat_description: str = ""
    id: int | None = None


def feuilles_errors(
    *, departement: Departement, feuilles: list[FeuilleInput], membre_keys: dict[str, bool]
) -> dict:
    """{index: {field: message}} for the declared feuilles de route (`membre_keys`: the key of
    each member of the gouvernance → whether it may carry one). The form shows them next to each
    field; the service checks them again before writing."""
    errors: dict[int, dict[str, str]] = {}
    if not feuilles:
        errors[-1] = {"__all__": "Déclarez au moins une feuille de route."}
    for index, feuille in enumerate(feuilles):
        if feuille.porteur_key != PORTEE_PAR_PREFECTURE:
            if feuille.porteur_key not in membre_keys:
                errors.setdefault(index, {})["porteur"] = "Le porteur doit être un membre de la gouvernance."
            elif not membre_keys[feuille.porteur_key]:
                errors.setdefault(index, {})["porteur"] = (
                    "Une structure ne peut pas porter une feuille de route : choisissez une collectivité "
                    "membre (conseil régional, conseil départemental, EPCI ou commune)."
                )
        if feuille.perimetre == TypePerimetre.EPCI and not feuille.epci_codes:
            errors.setdefault(index, {})["epcis"] = (
                "Choisissez au moins un EPCI pour un périmètre infra-départemental."
            )
        if not feuille.contrat_preexistant:
            # « Aucun » is an answer; an empty one is not taken for it.
            errors.setdefault(index, {})["contrat"] = "Indiquez s'il existe un contrat préexistant."
        elif feuille.contrat_preexistant not in ContratPreexistant.values:
            errors.setdefault(index, {})["contrat_preexistant"] = "Ce type de contrat est inconnu."
        elif (
            feuille.contrat_preexistant == ContratPreexistant.AUTRE
            and not feuille.contrat_description.strip()
        ):
            errors.setdefault(index, {})["contrat_description"] = "Décrivez le contrat préexistant."
    conflicts = perimetre_conflicts(
        departement=departement,
        perimetres=[(f.nom, f.perimetre, f.epci_codes) for f in feuilles],
    )
    for index, message in conflicts.items():
        errors.setdefault(index, {})["epcis"] = message
    return errors


def _raise(errors: dict) -> None:
    if errors:
        messages = [m for by_field in errors.values() for m in by_field.values()]
        raise ValidationError({"feuilles": messages})


def removal_refusal(feuille: FeuilleDeRoute, contenu: DocumentContent) -> str:
    """Why a feuille de route with a written document cannot leave the gouvernance, and what to do."""
    refus = (
        f"La feuille de route « {feuille.nom} » ne peut pas être retirée : son document contient "
        f"déjà {contenu.description}."
    )
    garder = "modifiez plutôt son nom, son porteur ou son périmètre"
    if contenu.modifiable:
        return f"{refus} Pour la retirer, ouvrez son document et supprimez d'abord ce contenu ; pour la garder sous une autre forme, {garder}."
    return f"{refus} Une version soumise ou approuvée reste dans l'historique de la gouvernance : pour faire évoluer la feuille de route, {garder}."


def _record(feuille: FeuilleDeRoute, *, user, reason: str) -> None:
    feuille._change_reason = reason
    feuille._history_user = user


@transaction.atomic
def feuilles_declare(
    *,
    gouvernance,
    items: list[FeuilleInput],
    porteurs: dict,
    allowed_epcis: set[str],
    user,
    reason: str,
) -> list[FeuilleDeRoute]:
    """Write the declared feuilles de route of `gouvernance` as the form lists them: update those
    with an `id`, create the others, remove the ones no longer listed (refused when their
    document holds written content). `porteurs`: member key → Membre, for the porteurs offered;
    `reason` is the change reason recorded in the history."""
    _raise(
        feuilles_errors(
            departement=gouvernance.departement,
            feuilles=items,
            membre_keys={key: membre.peut_porter for key, membre in porteurs.items()},
        )
    )
    existing = {f.pk: f for f in FeuilleDeRoute.objects.filter(gouvernance=gouvernance)}
    listed = {item.id for item in items if item.id is not None}
    if not listed <= set(existing):
        raise ValidationError(
            {"feuilles": "Une feuille de route a été retirée entre-temps : rechargez la page."}
        )
    removed = [f for pk, f in existing.items() if pk not in listed]
    contenus = documents_content(removed)
    refusals = [removal_refusal(f, contenus[f.pk]) for f in removed if f.pk in contenus]
    if refusals:
        raise ValidationError({"feuilles": refusals})

    saved = []
    for item in items:
        feuille = existing[item.id] if item.id is not None else FeuilleDeRoute(gouvernance=gouvernance)
        epci_codes = list(dict.fromkeys(item.epci_codes)) if item.perimetre == TypePerimetre.EPCI else []
        if not set(epci_codes) <= allowed_epcis:
            raise ValidationError({"feuilles": "Un EPCI choisi ne touche pas ce département."})
        feuille.nom = item.nom.strip()
        feuille.porteur = None if item.porteur_key == PORTEE_PAR_PREFECTURE else porteurs[item.porteur_key]
        feuille.perimetre = item.perimetre
        feuille.contrat_preexistant = item.contrat_preexistant
        feuille.contrat_description = (
            "" if item.contrat_preexistant == ContratPreexistant.AUCUN else item.contrat_description.strip()
        )
        _record(feuille, user=user, reason=reason)
        # Relations are checked above and by the database.
        feuille.full_clean(exclude=["gouvernance", "porteur"], validate_unique=False)
        feuille.save()
        feuille.epcis.set(epci_codes)
        saved.append(feuille)
    for feuille in removed:
        _record(feuille, user=user, reason=reason)
        # Its document is empty (checked above): it goes with it.
        feuille.delete()
    return saved
