from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur ANCT"
    DEMO = "demo", "Démo (lecture seule)"
    PREFECTURE = "prefecture", "Préfecture de département"
    PREFECTURE_REGION = "prefecture_region", "Préfecture de région"
    STRUCTURE = "structure", "Collectivité ou structure"


# The roles a person may ask for from the platform (an administrator grants them).
ROLES_DEMANDABLES = (Role.PREFECTURE, Role.PREFECTURE_REGION)


class StatutDemande(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    APPROUVEE = "approuvee", "Approuvée"
    REFUSEE = "refusee", "Refusée"
