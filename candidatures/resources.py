"""Contacts export: one row per contact of the confirmed forms of a département."""

from core.exports import ExportResource, column
from territoires.enums import TypeCollectivite

from .enums import Intention, Persona
from .models import Contact

PARTENAIRE_SUGGERE = "Partenaire suggéré"

TYPOLOGIE_COLLECTIVITE = {
    TypeCollectivite.REGION: Persona.CONSEIL_REGIONAL.label,
    TypeCollectivite.DEPARTEMENT: Persona.CONSEIL_DEPARTEMENTAL.label,
    TypeCollectivite.EPCI: Persona.EPCI.label,
    TypeCollectivite.COMMUNE: Persona.COMMUNE.label,
}


def _is_partenaire(contact: Contact) -> bool:
    """A contact of a collectivité of the périmètre or of another structure the porteur suggests."""
    return bool(contact.perimetre_id or contact.autre_structure_id)


def _organisation(contact: Contact) -> str:
    if contact.perimetre_id:
        return contact.perimetre.collectivite_nom
    if contact.autre_structure_id:
        return contact.autre_structure.nom
    return contact.manifestation.nom


def _typologie(contact: Contact) -> str:
    if contact.perimetre_id:
        return TYPOLOGIE_COLLECTIVITE[contact.perimetre.type_collectivite]
    if contact.autre_structure_id:
        return Persona.STRUCTURE.label
    return contact.manifestation.get_persona_display()


def _type_structure(contact: Contact) -> str:
    """The family of a structure that filled the form itself (blank on forms confirmed before
    the form asked it, and for collectivités and suggested partners)."""
    if _is_partenaire(contact) or not contact.manifestation.structure_type:
        return ""
    return contact.manifestation.get_structure_type_display()


def _manifestation(contact: Contact) -> str:
    return PARTENAIRE_SUGGERE if _is_partenaire(contact) else contact.manifestation.get_intention_display()


def _porteur(contact: Contact) -> str:
    manifestation = contact.manifestation
    return manifestation.nom if manifestation.intention == Intention.PORTER else ""


def _siret(contact: Contact) -> str:
    return "" if _is_partenaire(contact) else contact.manifestation.siret


def _collectivite(contact: Contact):
    """The collectivité the contact speaks for (None for a structure)."""
    if contact.perimetre_id:
        return contact.perimetre
    if contact.autre_structure_id:
        return None
    return contact.manifestation if not contact.manifestation.is_structure else None


def _code_insee(contact: Contact) -> str:
    """The INSEE code of a commune, département or région; an EPCI has none (its SIREN is its code)."""
    ref = _collectivite(contact)
    if ref is None or ref.type_collectivite == TypeCollectivite.EPCI:
        return ""
    return ref.collectivite_code


def _siren(contact: Contact) -> str:
    """The SIREN of an EPCI (its code) or of a commune (from the referential)."""
    ref = _collectivite(contact)
    if ref is None:
        return ""
    if ref.type_collectivite == TypeCollectivite.EPCI:
        return ref.collectivite_code
    if ref.type_collectivite == TypeCollectivite.COMMUNE:
        return ref.commune.siren
    return ""


class ContactExportResource(ExportResource):
    sheet_title = "Contacts"

    date_depot = column("Date de dépôt", "manifestation.confirmee_le")
    organisation = column("Collectivité/structure", _organisation)
    typologie = column("Typologie", _typologie)
    manifestation = column("Manifestation d'intérêt", _manifestation)
    porteur = column("Nom du porteur", _porteur)
    nom = column("Nom du contact", "nom")
    prenom = column("Prénom du contact", "prenom")
    fonction = column("Fonction", "fonction")
    type_contact = column("Type de contact", lambda contact: contact.get_type_display())
    email = column("E-mail", "email")
    siret = column("SIRET", _siret, text=True)
    code_insee = column("Code INSEE", _code_insee, text=True)
    siren = column("SIREN", _siren, text=True)
    type_structure = column("Type de structure", _type_structure)


class ContactExportDepartementsResource(ContactExportResource):
    """The same columns for several départements in one file (selectors.contacts_for_export_departements)."""

    departement = column("Département", lambda row: str(row.departement))
