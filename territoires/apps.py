from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "territoires"
    verbose_name = "Référentiel territorial"

    def ready(self):
        from . import signals

        signals.connect()
