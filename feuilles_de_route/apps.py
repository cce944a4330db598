from django.apps import AppConfig


class FeuillesDeRouteConfig(AppConfig):
    name = "feuilles_de_route"
    verbose_name = "Feuilles de route"

    def ready(self):
        from . import signals

        signals.connect()
