"""The diagnostic data's generation for cached indicators (core/cache.py): renewed by every
import (`services`, which writes in bulk) and when a row is edited one by one (the admin)."""

from django.db.models.signals import post_delete, post_save

from core.cache import invalidate

from .models import (
    AidantsConnectStructure,
    ConseillersNumeriquesActivite,
    ImportRun,
    IndiceFragilite,
    LieuMediation,
)

DONNEES = "diagnostic"


def donnees_changed(**kwargs) -> None:
    invalidate(DONNEES)


def connect() -> None:
    for model in (
        ImportRun,
        LieuMediation,
        IndiceFragilite,
        AidantsConnectStructure,
        ConseillersNumeriquesActivite,
    ):
        post_save.connect(donnees_changed, sender=model, dispatch_uid=f"diagnostic-save-{model.__name__}")
        post_delete.connect(donnees_changed, sender=model, dispatch_uid=f"diagnostic-delete-{model.__name__}")
