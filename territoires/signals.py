"""The referential's generation for cached computations (core/cache.py): renewed when the import
writes the referential (in bulk: it renews it itself) and when a row is edited one by one (the
admin)."""

from core.cache import invalidate_on_writes

from .models import AncienCodeCommune, Commune, Departement, Epci, Region

REFERENTIEL = "territoires"


def connect() -> None:
    invalidate_on_writes(
        REFERENTIEL, (Region, Departement, Epci, Epci.departements.through, Commune, AncienCodeCommune)
    )
