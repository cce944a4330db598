from django.db import models


class StatutVerification(models.TextChoices):
    EN_COURS = "en_cours", "En cours de vérification"
    VERIFIE = "verifie", "Vérifié"
    INTROUVABLE = "introuvable", "Introuvable"
    FERME = "ferme", "Fermé"


# Level I of INSEE's catégories juridiques: the first digit of the four-digit code the
# « recherche d'entreprises » service returns (nature_juridique).
CATEGORIES_JURIDIQUES = {
    "1": "Entrepreneur individuel",
    "2": "Groupement de droit privé non doté de la personnalité morale",
    "3": "Personne morale de droit étranger",
    "4": "Personne morale de droit public soumise au droit commercial",
    "5": "Société commerciale",
    "6": "Autre personne morale immatriculée au RCS",
    "7": "Personne morale et organisme soumis au droit administratif",
    "8": "Organisme privé spécialisé",
    "9": "Groupement de droit privé",
}
