from django.db import models


class Zone(models.TextChoices):
    METRO = "metro", "Métropole"
    DROM = "drom", "Département ou région d'outre-mer"
    COM = "com", "Collectivité d'outre-mer"


class TypeCollectivite(models.TextChoices):
    """The collectivités a form can name, from the widest to the smallest."""

    REGION = "region", "Conseil régional"
    DEPARTEMENT = "departement", "Conseil départemental"
    EPCI = "epci", "EPCI"
    COMMUNE = "commune", "Commune"


class TypeEpci(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d'agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"
    MET69 = "MET69", "Métropole de Lyon"
