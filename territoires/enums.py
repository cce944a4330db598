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
    # The twelve territoires of the Métropole du Grand Paris: eleven établissements publics
    # territoriaux (EPCI without their own taxation, under the Métropole) and the Ville de Paris,
    # which forms a territoire by itself (article L5219-2 of the CGCT).
    EPT = "EPT", "Établissement public territorial"
    PARIS = "PARIS", "Territoire de la Ville de Paris"


# The territoires of the Grand Paris, inside the Métropole: a commune belongs to one of them and,
# besides, to the Métropole (its EPCI à fiscalité propre).
TERRITOIRES_GRAND_PARIS = (TypeEpci.EPT, TypeEpci.PARIS)
