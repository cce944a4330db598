"""The generation of the people's names and addresses, for cached pages that show who did what
(the editor's co-rédacteurs and signed copies, the author of the last save of a département's
besoins; core/cache.py): renewed when a save may change a user's e-mail address or name, and
when a user is deleted. A login writes `last_login` alone and leaves it as it is: pages stay
cached. Roles and rights are not followed here: each page puts the viewer's rights in its key."""

from django.contrib.auth import get_user_model

from core.cache import invalidate_on_writes

COMPTES = "comptes"


def connect() -> None:
    invalidate_on_writes(COMPTES, [get_user_model()], fields={"email", "first_name", "last_name"})
