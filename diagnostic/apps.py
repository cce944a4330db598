from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "diagnostic"
    verbose_name = "Diagnostic territorial"

    def ready(self):
        from . import signals

        signals.connect()
