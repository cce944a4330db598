from django.db import models


class TypePerimetre(models.TextChoices):
    """The circulaire's scenarios (webinar of 14 November 2023): one départementale, possibly with
    infra-départementales, or infra-départementales covering the whole département."""

    REGIONAL = "regional", "Régional"
    DEPARTEMENTAL = "departemental", "Départemental"
    EPCI = "epci", "Infra-départemental (un ou plusieurs EPCI)"


class ContratPreexistant(models.TextChoices):
    AUCUN = "", "Aucun"
    CRTE = "crte", "CRTE"
    SDAASAP = "sdaasap", "SDAASaP"
    SDIN = "sdin", "SDIN"
    SDUN = "sdun", "SDUN"
    AUTRE = "autre", "Autre"
