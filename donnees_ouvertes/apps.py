from django.apps import AppConfig


class DonneesOuvertesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "donnees_ouvertes"
    verbose_name = "Données ouvertes et API"
