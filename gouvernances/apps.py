from django.apps import AppConfig


class GouvernancesConfig(AppConfig):
    name = "gouvernances"
    verbose_name = "Gouvernances"
