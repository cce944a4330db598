"""The diagnostic data's generation for cached indicators (core/cache.py): renewed by every
import (`services`, which writes in bulk and renews it itself) and when a row is edited one by one
(the admin)."""

from core.cache import invalidate_on_writes

from .models import (
    AidantsConnectStructure,
    ConseillersNumeriquesActivite,
    ImportRun,
    IndiceFragilite,
    LieuMediation,
)

DONNEES = "diagnostic"


def connect() -> None:
    invalidate_on_writes(
        DONNEES,
        (ImportRun, LieuMediation, IndiceFragilite, AidantsConnectStructure, ConseillersNumeriquesActivite),
    )
