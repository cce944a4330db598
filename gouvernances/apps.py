from django.apps import AppConfig


class GouvernancesConfig(AppConfig):
    name = "gouvernances"
    verbose_name = "Gouvernances"

    def ready(self):
        from . import signals

        signals.connect()
