from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Socle commun"

    def ready(self):
        from .cache import invalidate_all

        post_migrate.connect(invalidate_all, dispatch_uid="core-cache-after-migrate")
