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


class TypeStructure(models.TextChoices):
    """What an « autre personne morale » is, in the four families the public form asks for.
    Derived from data.inclusion's typology of structures (v0): DATA_INCLUSION_TYPOLOGIE files its
    codes under these families, and the examples shown to the visitor come from it."""

    ASSOCIATION = "association", "Association"
    OPERATEUR_SERVICE_PUBLIC = "operateur_service_public", "Opérateur de service public"
    ENTREPRISE = "entreprise", "Entreprise"
    AUTRE = "autre", "Autre"


# data.inclusion typology code → the form's family. The codes of collectivités and of the State's
# own services are left out: a collectivité answers the form as itself.
DATA_INCLUSION_TYPOLOGIE: dict[str, TypeStructure] = {
    **dict.fromkeys(
        ("ASSO", "ASSO_CHOMEUR", "AI", "CIDFF", "FAIS", "MJC", "UDAF", "EVS", "CS", "CSC", "RESSOURCERIE"),
        TypeStructure.ASSOCIATION,
    ),
    **dict.fromkeys(
        ("CAF", "CPAM", "MSA", "FT", "CAP_EMPLOI", "ML", "LA_POSTE", "RFS", "AFPA", "ETABL_PUB", "CCONS"),
        TypeStructure.OPERATEUR_SERVICE_PUBLIC,
    ),
    **dict.fromkeys(
        ("EI", "EITI", "ETTI", "EA", "EATT", "ESS", "ETABL_PRI", "OF", "GEIQ"), TypeStructure.ENTREPRISE
    ),
    **dict.fromkeys(("FABLAB", "TIERS_LIEUX", "Autre"), TypeStructure.AUTRE),
}

TYPE_STRUCTURE_EXEMPLES = {
    TypeStructure.ASSOCIATION: "association, centre social, maison des jeunes et de la culture…",
    TypeStructure.OPERATEUR_SERVICE_PUBLIC: "CAF, CPAM, MSA, France Travail, mission locale, La Poste…",
    TypeStructure.ENTREPRISE: "entreprise d'insertion ou de l'économie sociale et solidaire, organisme de formation…",
    TypeStructure.AUTRE: "tiers-lieu, fablab, autre personne morale…",
}
