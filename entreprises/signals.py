"""The generation of what the State's register says about the SIRET numbers, for cached pages
(core/cache.py): renewed by every save and delete of an établissement (each lookup saves its
row)."""

from django.apps import apps

from core.cache import invalidate_on_writes

ENTREPRISES = "entreprises"


def connect() -> None:
    invalidate_on_writes(
        ENTREPRISES, apps.get_app_config("entreprises").get_models(include_auto_created=True)
    )
