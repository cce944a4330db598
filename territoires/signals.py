"""The referential's generation for cached computations (core/cache.py): renewed when the import
writes the referential and when a row is edited one by one (the admin)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core.cache import invalidate

from .models import AncienCodeCommune, Commune, Departement, Epci, Region

REFERENTIEL = "territoires"


def referentiel_changed(**kwargs) -> None:
    invalidate(REFERENTIEL)


def connect() -> None:
    for model in (Region, Departement, Epci, Commune, AncienCodeCommune):
        post_save.connect(
            referentiel_changed, sender=model, dispatch_uid=f"referentiel-save-{model.__name__}"
        )
        post_delete.connect(
            referentiel_changed, sender=model, dispatch_uid=f"referentiel-delete-{model.__name__}"
        )
    m2m_changed.connect(
        referentiel_changed, sender=Epci.departements.through, dispatch_uid="referentiel-epci-deps"
    )
