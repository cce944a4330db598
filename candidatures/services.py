"""Writes on manifestations d'intérêt. Views call one of these and never save models themselves.

Every step of a draft carries the `version` it was read at: a save based on a stale version is
refused with `core.versioning.StaleVersion` (two tabs, two machines) instead of silently
overwriting the other edit.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from comptes import perms
from core.validators import normalize_siret
from core.versioning import check_version, lock_current
from entreprises.services import siret_verification_request
from territoires.enums import TypeCollectivite
from territoires.models import Commune, Departement, Epci, Region

from .enums import EtapePorter, Intention, Persona, Statut, TypeContact, TypeStructure
from .models import (
    AutreStructure,
    Contact,
    ManifestationInteret,
    PerimetreCollectivite,
    collectivite_type_of,
)

Collectivite = Region | Departement | Epci | Commune

# What a refused stale save names (« X a enregistré ce formulaire le … »).
DRAFT_LABEL = "ce formulaire"
# What `touch` changes, for saves limited to some fields.
VERSION_FIELDS = ["version", "modifie_par", "modifie_le"]


@dataclass(frozen=True)
class ContactData:
    nom: str
    prenom: str
    fonction: str
    email: str


@dataclass(frozen=True)
class StructureData:
    nom: str
    contact: ContactData


# --- Helpers -------------------------------------------------------------------------------


def _lock_draft(*, manifestation: ManifestationInteret, user, version: int | None) -> ManifestationInteret:
    """Lock the form, check owner, draft status and version, and count the save (no write)."""
    # The version is compared last: a foreign or confirmed form is refused as such, not as stale.
    locked = lock_current(
        ManifestationInteret.objects.all(), version=None, label=DRAFT_LABEL, pk=manifestation.pk
    )
    if locked is None:
        raise ValidationError("Ce formulaire a été abandonné entre-temps : rechargez la page.")
    if locked.user_id != user.pk:
        raise ValidationError("Ce formulaire ne vous appartient pas.")
    if locked.statut != Statut.BROUILLON:
        raise ValidationError("Ce formulaire est confirmé : il ne peut plus être modifié.", code="confirmee")
    check_version(locked, version=version, label=DRAFT_LABEL)
    locked.touch(user=user)
    return locked


def collectivite_in_departement(collectivite: Collectivite, departement: Departement) -> bool:
    type_ = collectivite_type_of(collectivite)
    if type_ == TypeCollectivite.COMMUNE:
        return collectivite.departement_id == departement.code
    if type_ == TypeCollectivite.DEPARTEMENT:
        return collectivite.code == departement.code
    if type_ == TypeCollectivite.REGION:
        return collectivite.code == departement.region_id
    return collectivite.departements.filter(code=departement.code).exists()


def _check_collectivite_for_persona(manifestation: ManifestationInteret, collectivite: Collectivite) -> None:
    expected = Persona(manifestation.persona).type_collectivite
    if collectivite_type_of(collectivite) != expected:
        raise ValidationError(
            {"collectivite": f"Choisissez une collectivité de type « {expected.label} »."}, code="type"
        )


def _set_contact(manifestation: ManifestationInteret, type_: TypeContact, data: ContactData | None) -> None:
    existing = manifestation.contacts.filter(type=type_, perimetre__isnull=True, autre_structure__isnull=True)
    if data is None:
        existing.delete()
        return
    contact = existing.first() or Contact(manifestation=manifestation, type=type_)
    for field in ("nom", "prenom", "fonction", "email"):
        setattr(contact, field, getattr(data, field).strip())
    contact.full_clean(exclude=["manifestation"])
    contact.save()


# --- Creation, restart, cancellation ------------------------------------------------------


AGENT_REFUSAL = (
    "Votre compte est un compte de l'État (préfecture, ANCT ou démonstration) : il ne peut pas "
    "déposer de manifestation d'intérêt, qui compterait comme une vraie candidature. Connectez-vous "
    "avec le compte de la collectivité ou de la structure candidate."
)


def _check_candidate_account(user) -> None:
    """Only a collectivité or a structure is a candidate: a démo, préfecture or ANCT account
    filling the public form would appear in the counters, lists and exports as a real one."""
    if perms.is_agent(user):
        raise ValidationError(AGENT_REFUSAL, code="compte_agent")


@transaction.atomic
def manifestation_create(*, user, persona: Persona | str, intention: Intention | str) -> ManifestationInteret:
    _check_candidate_account(user)
    persona, intention = Persona(persona), Intention(intention)
    if intention == Intention.PORTER and not persona.can_porter:
        raise ValidationError(
            {
                "intention": "Seuls un conseil régional, un conseil départemental ou un EPCI peuvent porter une feuille de route."
            },
            code="porter_interdit",
        )
    if ManifestationInteret.objects.filter(user=user).exclude(statut=Statut.ANNULEE).exists():
        raise ValidationError(
            "Vous avez déjà un formulaire en cours : reprenez-le, recommencez-le ou annulez-le.",
            code="deja_actif",
        )
    manifestation = ManifestationInteret(
        user=user,
        persona=persona,
        intention=intention,
        type_collectivite=persona.type_collectivite or "",
    )
    manifestation.touch(user=user)  # the first save: the draft's pages start at version 1
    try:
        with transaction.atomic():
            manifestation.save()
    except IntegrityError as exc:  # a concurrent request created one in between
        raise ValidationError("Vous avez déjà un formulaire en cours.", code="deja_actif") from exc
    return manifestation


@transaction.atomic
def manifestation_restart(*, manifestation: ManifestationInteret, user) -> None:
    """Abandon a draft (to start again, or to change persona or intention). Drafts leave no trace."""
    locked = _lock_draft(manifestation=manifestation, user=user, version=None)
    locked.delete()


@transaction.atomic
def manifestation_cancel(*, manifestation: ManifestationInteret, user) -> ManifestationInteret:
    """Cancel a confirmed form: it leaves the counters, the list and the export, and is kept."""
    locked = ManifestationInteret.objects.select_for_update().get(pk=manifestation.pk)
    if locked.user_id != user.pk:
        raise ValidationError("Ce formulaire ne vous appartient pas.")
    if locked.statut == Statut.ANNULEE:
        return locked
    if locked.statut == Statut.BROUILLON:
        locked.delete()
        return locked
    locked.statut = Statut.ANNULEE
    locked.annulee_le = timezone.now()
    locked.touch(user=user)
    locked.save(update_fields=["statut", "annulee_le", *VERSION_FIELDS, "updated_at"])
    return locked


# --- « Participer » (one page) ------------------------------------------------------------


@transaction.atomic
def participer_save(
    *,
    manifestation: ManifestationInteret,
    user,
    version: int,
    departement: Departement,
    collectivite: Collectivite | None = None,
    structure_nom: str = "",
    structure_siret: str = "",
    structure_sans_siret: bool = False,
    structure_type: str | None = None,
    contact_politique: ContactData | None = None,
    contact_technique: ContactData | None = None,
    contact_structure: ContactData | None = None,
) -> ManifestationInteret:
    locked = _lock_draft(manifestation=manifestation, user=user, version=version)
    if locked.intention != Intention.PARTICIPER:
        raise ValidationError("Ce formulaire n'est pas un formulaire « participer ».")
    if locked.persona == Persona.STRUCTURE:
        _save_structure(
            locked, departement, structure_nom, structure_siret, structure_sans_siret, structure_type
        )
        if contact_structure is None:
            raise ValidationError({"contact_structure": "Le contact de la structure est obligatoire."})
        locked.save()
        _set_contact(locked, TypeContact.STRUCTURE, contact_structure)
        return locked
    if collectivite is None:
        raise ValidationError({"collectivite": "Choisissez votre collectivité."})
    _check_collectivite_for_persona(locked, collectivite)
    if not collectivite_in_departement(collectivite, departement):
        raise ValidationError(
            {"collectivite": f"{collectivite.nom} n'est pas dans le département {departement}."},
            code="hors_departement",
        )
    if contact_politique is None:
        raise ValidationError({"contact_politique": "Le contact politique est obligatoire."})
    locked.set_collectivite(collectivite)
    locked.save()
    _set_contact(locked, TypeContact.POLITIQUE, contact_politique)
    _set_contact(locked, TypeContact.TECHNIQUE, contact_technique)
    return locked


def _save_structure(
    manifestation: ManifestationInteret,
    departement: Departement,
    nom: str,
    siret: str,
    sans_siret: bool,
    structure_type: str | None,
) -> None:
    """`structure_type` None: not sent, the stored answer stays."""
    nom = nom.strip()
    siret = normalize_siret(siret)
    errors = {}
    if not nom:
        errors["structure_nom"] = "Le nom de la structure est obligatoire."
    if structure_type is not None and structure_type not in TypeStructure.values:
        errors["structure_type"] = "Choisissez le type de la structure."
    if sans_siret and siret:
        errors["structure_siret"] = "Indiquez un SIRET ou cochez « pas de SIRET », pas les deux."
    elif not sans_siret and not siret:
        errors["structure_siret"] = "Indiquez le SIRET de la structure ou cochez « pas de SIRET »."
    if errors:
        raise ValidationError(errors)
    manifestation.structure_nom = nom
    manifestation.structure_siret = siret
    manifestation.structure_sans_siret = sans_siret
    if structure_type is not None:
        manifestation.structure_type = structure_type
    manifestation.structure_departement = departement
    manifestation.full_clean(
        exclude=["user", "region", "departement", "epci", "commune", "structure_departement"],
        validate_constraints=False,
    )
    if siret:
        # Looked up in the State's register in the background; the typed name stays.
        siret_verification_request(siret=siret)


# --- « Porter » (steps) -------------------------------------------------------------------


def _porter(locked: ManifestationInteret) -> None:
    if locked.intention != Intention.PORTER:
        raise ValidationError("Ce formulaire n'est pas un formulaire « porter ».")


def _advance(locked: ManifestationInteret, etape: EtapePorter) -> None:
    order = EtapePorter.ordered()
    next_etape = order[min(order.index(etape) + 1, len(order) - 1)]
    if order.index(next_etape) > order.index(EtapePorter(locked.etape)):
        locked.etape = next_etape


@transaction.atomic
def porter_informations_save(
    *,
    manifestation: ManifestationInteret,
    user,
    version: int,
    collectivite: Collectivite,
    contact_politique: ContactData,
    contact_technique: ContactData | None = None,
    dispositifs_existants: str = "",
) -> ManifestationInteret:
    locked = _lock_draft(manifestation=manifestation, user=user, version=version)
    _porter(locked)
    _check_collectivite_for_persona(locked, collectivite)
    if contact_politique is None:
        raise ValidationError({"contact_politique": "Le contact politique est obligatoire."})
    if locked.collectivite is not None and locked.collectivite_key != _key(collectivite):
        # Another collectivité: its former périmètre no longer applies.
        locked.perimetre.all().delete()
    locked.set_collectivite(collectivite)
    locked.dispositifs_existants = dispositifs_existants.strip()
    _advance(locked, EtapePorter.INFORMATIONS)
    locked.save()
    _set_contact(locked, TypeContact.POLITIQUE, contact_politique)
    _set_contact(locked, TypeContact.TECHNIQUE, contact_technique)
    return locked


def _key(collectivite: Collectivite) -> str:
    return f"{collectivite_type_of(collectivite)}:{collectivite.code}"


def territoire_of(manifestation: ManifestationInteret) -> tuple[list[Epci], list[Commune]]:
    """The EPCI and communes inside the porteur's own territory (offered as ticks in the périmètre step)."""
    type_ = manifestation.type_collectivite
    # EPCI here are collectivités (the établissements publics territoriaux of the Grand Paris
    # among them), not the Ville de Paris's territoire, which is the commune of Paris.
    epcis, communes = Epci.objects.none(), Commune.objects.none()
    if type_ == TypeCollectivite.REGION:
        epcis = (
            Epci.objects.collectivites().filter(departements__region_id=manifestation.region_id).distinct()
        )
    elif type_ == TypeCollectivite.DEPARTEMENT:
        epcis = Epci.objects.collectivites().filter(departements=manifestation.departement_id)
        communes = Commune.objects.filter(departement_id=manifestation.departement_id)
    elif type_ == TypeCollectivite.EPCI:
        # The Métropole du Grand Paris: its EPT and its communes; an EPT: its communes.
        epcis = Epci.objects.collectivites().filter(parent_id=manifestation.epci_id)
        communes = Commune.objects.in_groupements([manifestation.epci_id])
    # The folded name stored by the referential sorts them the French way.
    return list(epcis.order_by("nom_recherche", "code")), list(communes.order_by("nom_recherche", "code"))


@transaction.atomic
def porter_perimetre_save(
    *,
    manifestation: ManifestationInteret,
    user,
    version: int,
    collectivites: list[Collectivite],
) -> ManifestationInteret:
    """Replace the périmètre; rows kept keep their contact. The porteur itself is never listed."""
    locked = _lock_draft(manifestation=manifestation, user=user, version=version)
    _porter(locked)
    if locked.collectivite is None:
        raise ValidationError("Renseignez d'abord votre collectivité (étape « Informations »).")
    if not collectivites:
        raise ValidationError({"collectivites": "Cochez ou ajoutez au moins une collectivité."})
    own = _key(locked.collectivite)
    epcis, communes = territoire_of(locked)
    inside = {_key(c) for c in (*epcis, *communes)}
    wanted = {_key(c): c for c in collectivites if _key(c) != own}
    existing = {row.collectivite_key: row for row in locked.perimetre.select_related(*_FKS)}
    for key, row in existing.items():
        if key not in wanted:
            row.delete()
    for key, collectivite in wanted.items():
        if key in existing:
            continue
        row = PerimetreCollectivite(manifestation=locked, hors_territoire=key not in inside)
        row.set_collectivite(collectivite)
        row.save()
    _advance(locked, EtapePorter.PERIMETRE)
    locked.save()
    return locked


_FKS = ("region", "departement", "epci", "commune")


@transaction.atomic
def porter_contacts_save(
    *,
    manifestation: ManifestationInteret,
    user,
    version: int,
    contacts: dict[int, ContactData | None],
    plus_tard: bool = False,
) -> ManifestationInteret:
    """A contact for each collectivité of the périmètre (keyed by périmètre row id), or « plus tard »."""
    locked = _lock_draft(manifestation=manifestation, user=user, version=version)
    _porter(locked)
    rows = {row.pk: row for row in locked.perimetre.all()}
    if not plus_tard:
        missing = [pk for pk in rows if contacts.get(pk) is None]
        if missing:
            raise ValidationError(
                "Renseignez un contact pour chaque collectivité du périmètre, "
                "ou cochez « je n'ai pas encore les contacts ».",
                code="contacts_manquants",
            )
    Contact.objects.filter(perimetre__manifestation=locked).exclude(
        perimetre_id__in=[pk for pk, data in contacts.items() if data is not None]
    ).delete()
    existing = {c.perimetre_id: c for c in Contact.objects.filter(perimetre__manifestation=locked)}
    for pk, data in contacts.items():
        if data is None or pk not in rows:
            continue
        contact = existing.get(pk) or Contact(
            manifestation=locked, perimetre=rows[pk], type=TypeContact.POLITIQUE
        )
        for field in ("nom", "prenom", "fonction", "email"):
            setattr(contact, field, getattr(data, field).strip())
        contact.full_clean(exclude=["manifestation", "perimetre"])
        contact.save()
    locked.contacts_perimetre_plus_tard = plus_tard
    _advance(locked, EtapePorter.CONTACTS)
    locked.save()
    return locked


@transaction.atomic
def porter_structures_save(
    *,
    manifestation: ManifestationInteret,
    user,
    version: int,
    structures: list[StructureData],
) -> ManifestationInteret:
    """Replace the other structures to involve (the list may be empty)."""
    locked = _lock_draft(manifestation=manifestation, user=user, version=version)
    _porter(locked)
    locked.autres_structures.all().delete()  # cascades to their contacts
    for data in structures:
        structure = AutreStructure.objects.create(manifestation=locked, nom=data.nom.strip())
        contact = Contact(manifestation=locked, autre_structure=structure, type=TypeContact.STRUCTURE)
        for field in ("nom", "prenom", "fonction", "email"):
            setattr(contact, field, getattr(data.contact, field).strip())
        contact.full_clean(exclude=["manifestation", "autre_structure"])
        contact.save()
    _advance(locked, EtapePorter.STRUCTURES)
    locked.save()
    return locked


# --- Confirmation -------------------------------------------------------------------------


def missing_for_confirmation(manifestation: ManifestationInteret) -> list[str]:
    """What still prevents confirmation, in French (shown on the récapitulatif)."""
    missing = []
    contact_types = {
        c.type for c in manifestation.contacts.all() if not c.perimetre_id and not c.autre_structure_id
    }
    if manifestation.is_structure:
        if not manifestation.structure_nom or not manifestation.structure_departement_id:
            missing.append("les informations de la structure")
        if not manifestation.structure_type:
            missing.append("le type de la structure")
        if TypeContact.STRUCTURE not in contact_types:
            missing.append("le contact de la structure")
        return missing
    if manifestation.collectivite is None:
        missing.append("la collectivité")
    if TypeContact.POLITIQUE not in contact_types:
        missing.append("le contact politique")
    if manifestation.intention == Intention.PORTER:
        perimetre = list(manifestation.perimetre.all())
        if not perimetre:
            missing.append("le périmètre")
        elif not manifestation.contacts_perimetre_plus_tard and any(
            not hasattr(row, "contact") for row in perimetre
        ):
            missing.append("les contacts des collectivités du périmètre")
        order = EtapePorter.ordered()
        if order.index(EtapePorter(manifestation.etape)) < order.index(EtapePorter.RECAPITULATIF):
            missing.append("l'étape « autres structures »")
    return missing


@transaction.atomic
def manifestation_confirm(*, manifestation: ManifestationInteret, user) -> ManifestationInteret:
    """Confirm a draft. Idempotent: confirming a confirmed form (double click, replay) changes
    nothing and sends nothing. The e-mails leave only after the commit."""
    locked = ManifestationInteret.objects.select_for_update().get(pk=manifestation.pk)
    if locked.user_id != user.pk:
        raise ValidationError("Ce formulaire ne vous appartient pas.")
    if locked.statut == Statut.CONFIRMEE:
        return locked
    _check_candidate_account(user)  # a draft begun before the account became an agent's
    if locked.statut == Statut.ANNULEE:
        raise ValidationError("Ce formulaire a été annulé.", code="annulee")
    missing = missing_for_confirmation(locked)
    if missing:
        raise ValidationError("Il manque encore : " + ", ".join(missing) + ".", code="incomplet")
    locked.statut = Statut.CONFIRMEE
    locked.confirmee_le = timezone.now()
    locked.touch(user=user)
    locked.save(update_fields=["statut", "confirmee_le", *VERSION_FIELDS, "updated_at"])

    from . import tasks

    pk = locked.pk
    transaction.on_commit(lambda: tasks.enqueue_confirmation_emails(pk))
    return locked
