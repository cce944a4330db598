from django.apps import AppConfig


class SubventionsConfig(AppConfig):
    name = "subventions"
    verbose_name = "Subventions : dotations, demandes et conventions"

    def ready(self):
        from . import signals

        signals.connect()
