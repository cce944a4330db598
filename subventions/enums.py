from django.db import models


class Fonds(models.TextChoices):
    """The State's two funds shared among the départements in the 2024 phase."""

    INGENIERIE = "ingenierie", "Fonds d'ingénierie"
    FORMATION = "formation", "Fonds de formation"


class StatutDemande(models.TextChoices):
    """Stored statuses. « Modification demandée » sends a demande back to brouillon: the page
    tells it apart by the last instruction (`Instruction.MODIFICATION`)."""

    BROUILLON = "brouillon", "Brouillon"
    VALIDEE = "validee", "Validée et envoyée"
    ACCEPTEE = "acceptee", "Acceptée"
    REJETEE = "rejetee", "Rejetée"


class Instruction(models.TextChoices):
    """ANCT's decisions on a demande validée et envoyée."""

    ACCEPTATION = "acceptation", "Accepter"
    MODIFICATION = "modification", "Demander une modification"
    REJET = "rejet", "Rejeter"


class StatutGouvernanceSubventions(models.TextChoices):
    """Derived from the demandes of a gouvernance (never stored)."""

    NON_RENSEIGNE = "non_renseigne", "Non renseigné"
    EN_COURS = "en_cours", "En cours"
    A_INSTRUIRE = "a_instruire", "À instruire"
    FINALISE = "finalise", "Finalisé"


class TypologieBeneficiaire(models.TextChoices):
    """How the consolidation groups bénéficiaires: the kind of collectivité, or a structure."""

    REGION = "region", "Conseil régional"
    DEPARTEMENT = "departement", "Conseil départemental"
    EPCI = "epci", "EPCI"
    COMMUNE = "commune", "Commune"
    STRUCTURE = "structure", "Structure"
