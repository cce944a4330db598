from django.apps import AppConfig


class EntreprisesConfig(AppConfig):
    name = "entreprises"
    verbose_name = "Établissements (répertoire Sirene)"

    def ready(self):
        from . import signals

        signals.connect()
