from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "national"
    verbose_name = "Consolidation nationale (ANCT)"

    def ready(self):
        from . import signals

        signals.connect()
