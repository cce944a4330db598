"""The generation of the besoins en ingénierie and their priorities, for cached computations and
pages (core/cache.py): renewed by every save and delete of a model of this app and by every
change of its many-to-many relations; the bulk writes (`bulk_create`, `update`), which send no
signal, renew it themselves."""

from django.apps import apps

from core.cache import invalidate_on_writes

BESOINS = "besoins"


def connect() -> None:
    invalidate_on_writes(BESOINS, apps.get_app_config("besoins").get_models(include_auto_created=True))
