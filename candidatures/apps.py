from django.apps import AppConfig


class CandidaturesConfig(AppConfig):
    name = "candidatures"
    verbose_name = "Candidatures (manifestations d'intérêt)"

    def ready(self):
        from . import signals

        signals.connect()
