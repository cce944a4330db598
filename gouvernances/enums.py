from django.db import models


class StatutGouvernance(models.TextChoices):
    """The campaign's steps: brouillon → pressentie remontée → définitive remontée."""

    BROUILLON = "brouillon", "Brouillon"
    PRESSENTIE = "pressentie", "Gouvernance pressentie remontée"
    DEFINITIVE = "definitive", "Gouvernance définitive remontée"


class Section(models.TextChoices):
    """The seven sections of the form, in the order of the side menu."""

    SOUS_PREFET = "sous-prefet", "Sous-préfet référent"
    MEMBRES = "membres", "Membres de la gouvernance"
    COPORTEURS = "co-porteurs", "Co-porteurs"
    COMITOLOGIE = "comitologie", "Comitologie"
    FEUILLES_DE_ROUTE = "feuilles-de-route", "Feuilles de route et porteurs"
    COORDINATION = "coordination", "Coordination des conseillers numériques"
    NOTE_CONTEXTE = "note-de-contexte", "Note de contexte"


class TypeComite(models.TextChoices):
    STRATEGIQUE = "strategique", "Comité stratégique"
    TECHNIQUE = "technique", "Comité technique"
    CONSULTATIF = "consultatif", "Comité consultatif"
    AUTRE = "autre", "Autre"


class Frequence(models.TextChoices):
    MENSUELLE = "mensuelle", "Mensuelle"
    TRIMESTRIELLE = "trimestrielle", "Trimestrielle"
    SEMESTRIELLE = "semestrielle", "Semestrielle"
    ANNUELLE = "annuelle", "Annuelle"
