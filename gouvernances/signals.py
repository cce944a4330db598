"""The generation of the gouvernances, their membres, comités, coordination and the campaign's
échéances, for cached computations and pages (core/cache.py): renewed by every save and delete
of a model of this app and by every change of its many-to-many relations; the bulk writes
(`bulk_create`, `update`), which send no signal, renew it themselves."""

from django.apps import apps

from core.cache import invalidate_on_writes

GOUVERNANCES = "gouvernances"


def connect() -> None:
    invalidate_on_writes(
        GOUVERNANCES, apps.get_app_config("gouvernances").get_models(include_auto_created=True)
    )
