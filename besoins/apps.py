from django.apps import AppConfig


class BesoinsConfig(AppConfig):
    name = "besoins"
    verbose_name = "Besoins en ingénierie"

    def ready(self):
        from . import signals

        signals.connect()
