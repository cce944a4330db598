"""The generation of the feuilles de route, their documents, fiches action and cibles, for cached
computations and pages (core/cache.py): renewed by every save and delete of a model of this app
and by every change of its many-to-many relations; the bulk writes (`bulk_create`, `update`),
which send no signal, renew it themselves. The PdfJob rows are left out: their state is read
live (their page polls it), never from a cached computation."""

from django.apps import apps

from core.cache import invalidate_on_writes

FEUILLES = "feuilles_de_route"


def connect() -> None:
    models = apps.get_app_config("feuilles_de_route").get_models(include_auto_created=True)
    invalidate_on_writes(
        FEUILLES, [m for m in models if m._meta.object_name not in {"PdfJob", "HistoricalPdfJob"}]
    )
