"""The candidatures' generation for cached computations (core/cache.py): renewed by every save or
delete of a form, of its périmètre or of the other structures it names (the services and the
admin go through them), and by the bulk writes of the demo data, which skip signals."""

from django.db.models.signals import post_delete, post_save

from core.cache import invalidate

from .models import AutreStructure, ManifestationInteret, PerimetreCollectivite

CANDIDATURES = "candidatures"


def candidatures_changed(**kwargs) -> None:
    invalidate(CANDIDATURES)


def connect() -> None:
    for model in (ManifestationInteret, PerimetreCollectivite, AutreStructure):
        post_save.connect(
            candidatures_changed, sender=model, dispatch_uid=f"candidatures-save-{model.__name__}"
        )
        post_delete.connect(
            candidatures_changed, sender=model, dispatch_uid=f"candidatures-delete-{model.__name__}"
        )
