"""What every write of the app shares: amounts written for French readers, the refusals."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.html import strip_tags

from comptes import perms
from core.formats import french_euros


def montant(value: Decimal) -> str:
    """« 12 500 € », « 12 500,50 € »: cents only when there are some."""
    return french_euros(value)


def plain_text(html: str) -> str:
    """The text a reader sees in sanitised HTML: tags aside, entities decoded, spaces collapsed."""
    import html as html_module

    return " ".join(html_module.unescape(strip_tags(html or "")).split())


def check_can_write(*, user, departement) -> None:
    if not perms.can_write_subventions(user, departement):
        raise PermissionDenied(perms.READ_ONLY_SUBVENTIONS)
