from django.db import models

from territoires.enums import TypeCollectivite


class Persona(models.TextChoices):
    """Who fills the public form: the five personas of the circulaire."""

    CONSEIL_REGIONAL = "conseil_regional", "Conseil régional"
    CONSEIL_DEPARTEMENTAL = "conseil_departemental", "Conseil départemental"
    EPCI = "epci", "EPCI ou groupement de communes"
    COMMUNE = "commune", "Commune"
    STRUCTURE = "structure", "Autre personne morale publique ou privée"

    @property
    def type_collectivite(self) -> TypeCollectivite | None:
        return PERSONA_TYPE_COLLECTIVITE.get(self)

    @property
    def is_collectivite(self) -> bool:
        return self != Persona.STRUCTURE

    @property
    def can_porter(self) -> bool:
        return self in PERSONAS_PORTEURS


PERSONA_TYPE_COLLECTIVITE = {
    Persona.CONSEIL_REGIONAL: TypeCollectivite.REGION,
    Persona.CONSEIL_DEPARTEMENTAL: TypeCollectivite.DEPARTEMENT,
    Persona.EPCI: TypeCollectivite.EPCI,
    Persona.COMMUNE: TypeCollectivite.COMMUNE,
}
# Only these three may carry a feuille de route (circulaire of 28 July 2023).
PERSONAS_PORTEURS = (Persona.CONSEIL_REGIONAL, Persona.CONSEIL_DEPARTEMENTAL, Persona.EPCI)


class Intention(models.TextChoices):
    PORTER = "porter", "Porter une feuille de route"
    PARTICIPER = "participer", "Participer à l'élaboration des feuilles de route"


class Statut(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    CONFIRMEE = "confirmee", "Confirmée"
    ANNULEE = "annulee", "Annulée"


class EtapePorter(models.TextChoices):
    """Steps of the « porter » form, in order; each is saved as a draft."""

    INFORMATIONS = "informations", "Informations"
    PERIMETRE = "perimetre", "Périmètre"
    CONTACTS = "contacts", "Contacts du périmètre"
    STRUCTURES = "structures", "Autres structures"
    RECAPITULATIF = "recapitulatif", "Récapitulatif"

    @classmethod
    def ordered(cls) -> list["EtapePorter"]:
        return list(cls)

    @property
    def numero(self) -> int:
        return EtapePorter.ordered().index(self) + 1


class TypeContact(models.TextChoices):
    """The contact types of the export.

    A collectivité of a porteur's périmètre gives its elected referent: a « politique » contact.
    """

    POLITIQUE = "politique", "Politique"
    TECHNIQUE = "technique", "Technique"
    STRUCTURE = "structure", "Structure"
