"""Contacts export (DESIGN §4): one row per contact of the confirmed forms of a département."""

from django.utils import timezone
from import_export.fields import Field

from core.exports import NeutralisingResource
from territoires.enums import TypeCollectivite

from .enums import Intention, Persona
from .models import Contact

PARTENAIRE_SUGGERE = "Partenaire suggéré"

HEADERS = [
    "Date de dépôt",
    "Collectivité/structure",
    "Typologie",
    "Manifestation d'intérêt",
    "Nom du porteur",
    "Nom du contact",
    "Prénom du contact",
    "Fonction",
    "Type de contact",
    "E-mail",
    "SIRET",
    "Code INSEE",
]

TYPOLOGIE_COLLECTIVITE = {
    TypeCollectivite.REGION: Persona.CONSEIL_REGIONAL.label,
    TypeCollectivite.DEPARTEMENT: Persona.CONSEIL_DEPARTEMENTAL.label,
    TypeCollectivite.EPCI: Persona.EPCI.label,
    TypeCollectivite.COMMUNE: Persona.COMMUNE.label,
}


def _field(name: str, column: str) -> Field:
    return Field(attribute=None, column_name=column, dehydrate_method=f"dehydrate_{name}")


class ContactExportResource(NeutralisingResource):
    date_depot = _field("date_depot", HEADERS[0])
    organisation = _field("organisation", HEADERS[1])
    typologie = _field("typologie", HEADERS[2])
    manifestation = _field("manifestation", HEADERS[3])
    porteur = _field("porteur", HEADERS[4])
    nom = _field("nom", HEADERS[5])
    prenom = _field("prenom", HEADERS[6])
    fonction = _field("fonction", HEADERS[7])
    type_contact = _field("type_contact", HEADERS[8])
    email = _field("email", HEADERS[9])
    siret = _field("siret", HEADERS[10])
    code_insee = _field("code_insee", HEADERS[11])

    class Meta:
        model = Contact
        fields = ()
        export_order = (
            "date_depot",
            "organisation",
            "typologie",
            "manifestation",
            "porteur",
            "nom",
            "prenom",
            "fonction",
            "type_contact",
            "email",
            "siret",
            "code_insee",
        )

    def dehydrate_date_depot(self, contact: Contact) -> str:
        return timezone.localtime(contact.manifestation.confirmee_le).strftime("%d/%m/%Y")

    def dehydrate_organisation(self, contact: Contact) -> str:
        if contact.perimetre_id:
            return contact.perimetre.collectivite_nom
        if contact.autre_structure_id:
            return contact.autre_structure.nom
        return contact.manifestation.nom

    def dehydrate_typologie(self, contact: Contact) -> str:
        if contact.perimetre_id:
            return TYPOLOGIE_COLLECTIVITE[contact.perimetre.type_collectivite]
        if contact.autre_structure_id:
            return Persona.STRUCTURE.label
        return contact.manifestation.get_persona_display()

    def dehydrate_manifestation(self, contact: Contact) -> str:
        if contact.perimetre_id or contact.autre_structure_id:
            return PARTENAIRE_SUGGERE
        return contact.manifestation.get_intention_display()

    def dehydrate_porteur(self, contact: Contact) -> str:
        manifestation = contact.manifestation
        return manifestation.nom if manifestation.intention == Intention.PORTER else ""

    def dehydrate_nom(self, contact: Contact) -> str:
        return contact.nom

    def dehydrate_prenom(self, contact: Contact) -> str:
        return contact.prenom

    def dehydrate_fonction(self, contact: Contact) -> str:
        return contact.fonction

    def dehydrate_type_contact(self, contact: Contact) -> str:
        return contact.get_type_display()

    def dehydrate_email(self, contact: Contact) -> str:
        return contact.email

    def dehydrate_siret(self, contact: Contact) -> str:
        if contact.perimetre_id or contact.autre_structure_id:
            return ""
        return contact.manifestation.siret

    def dehydrate_code_insee(self, contact: Contact) -> str:
        if contact.perimetre_id:
            return contact.perimetre.collectivite_code
        if contact.autre_structure_id:
            return ""
        return contact.manifestation.code_insee
