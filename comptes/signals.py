"""The generation of the accounts, for cached pages that name a person (the author of the last
save of a département's besoins): renewed by every save and delete of a model of this app (a
name edited in the admin, a role granted, and each login, which stores its date) and by every
change of their many-to-many relations."""

from django.apps import apps

from core.cache import invalidate_on_writes

COMPTES = "comptes"


def connect() -> None:
    invalidate_on_writes(COMPTES, apps.get_app_config("comptes").get_models(include_auto_created=True))
