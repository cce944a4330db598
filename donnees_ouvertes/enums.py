from django.db import models


class Format(models.TextChoices):
    """The two formats of every published data set."""

    CSV = "csv", "CSV"
    JSON = "json", "JSON"


class EtatPublication(models.TextChoices):
    EN_COURS = "en_cours", "En cours"
    TERMINEE = "terminee", "Terminée"
    ECHEC = "echec", "Échec"


class Declencheur(models.TextChoices):
    """Why the files were built."""

    NUIT = "nuit", "Publication de la nuit"
    REMONTEE = "remontee", "Après une remontée de gouvernance"
    PREMIERE = "premiere", "Première publication"
    COMMANDE = "commande", "Commande d'administration"
