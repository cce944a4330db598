"""The generation of the forms, their contacts, périmètres and other structures, for cached
computations and pages (core/cache.py): renewed by every save and delete of a model of this app
and by every change of its many-to-many relations; the bulk writes (`bulk_create`, `update`),
which send no signal, renew it themselves."""

from django.apps import apps

from core.cache import invalidate_on_writes

CANDIDATURES = "candidatures"


def connect() -> None:
    invalidate_on_writes(
        CANDIDATURES, apps.get_app_config("candidatures").get_models(include_auto_created=True)
    )
