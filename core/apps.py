from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Socle commun"

    def ready(self):
        from .cache import invalidate_all

        # post_migrate is sent once per installed app: renewing after core's is enough (and the
        # test suite empties its tables, which sends the signal, after each transactional test).
        post_migrate.connect(invalidate_all, sender=self, dispatch_uid="core-cache-after-migrate")
