"""The generation of the dotations, demandes de subvention and conventions, for cached computations
and pages (core/cache.py): renewed by every save and delete of a model of this app and by every
change of its many-to-many relations; the bulk writes (`bulk_create`, `update`), which send no
signal, renew it themselves. The ConventionJob rows are left out: their state is read live
(their page polls it), never from a cached computation."""

from django.apps import apps

from core.cache import invalidate_on_writes

SUBVENTIONS = "subventions"


def connect() -> None:
    models = apps.get_app_config("subventions").get_models(include_auto_created=True)
    invalidate_on_writes(
        SUBVENTIONS,
        [m for m in models if m._meta.object_name not in {"ConventionJob", "HistoricalConventionJob"}],
    )
