"""Who may see or change what. The one place that decides access (STYLE §4).

Views never test roles themselves: they fetch a département through
`get_departement_for_user_or_404` (404 for outsiders, 403 for read-only roles asking to write)
or call the predicates below.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from territoires.models import Departement

from .enums import Role


def is_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN)


def is_demo(user) -> bool:
    return user.is_authenticated and user.role == Role.DEMO and not user.is_superuser


def is_national(user) -> bool:
    """Administrators and the démo account see the whole country."""
    return is_admin(user) or is_demo(user)


def is_prefecture(user) -> bool:
    return user.is_authenticated and user.role == Role.PREFECTURE and bool(user.departement_id)


def is_prefecture_region(user) -> bool:
    return user.is_authenticated and user.role == Role.PREFECTURE_REGION and bool(user.region_id)


def departements_readable_by(user) -> QuerySet[Departement]:
    qs = Departement.objects.select_related("region")
    if is_national(user):
        return qs
    if is_prefecture_region(user):
        return qs.filter(region_id=user.region_id)
    if is_prefecture(user):
        return qs.filter(code=user.departement_id)
    return qs.none()


def can_read_departement(user, departement: Departement) -> bool:
    if is_national(user):
        return True
    if is_prefecture_region(user):
        return departement.region_id == user.region_id
    if is_prefecture(user):
        return departement.code == user.departement_id
    return False


def can_write_departement(user, departement: Departement) -> bool:
    """Only the préfecture of the département and ANCT administrators write."""
    if is_admin(user):
        return True
    return is_prefecture(user) and departement.code == user.departement_id


def get_departement_for_user_or_404(user, code: str, *, write: bool = False) -> Departement:
    departement = Departement.objects.select_related("region").filter(code=code).first()
    if departement is None or not can_read_departement(user, departement):
        raise Http404("Département introuvable.")
    if write and not can_write_departement(user, departement):
        raise PermissionDenied("Votre compte peut consulter ce département mais pas le modifier.")
    return departement


def require_national(user, *, write: bool = False) -> None:
    """National pages: administrators (and, read-only, the démo account); 404 for others."""
    if not is_national(user):
        raise Http404("Page introuvable.")
    if write and not is_admin(user):
        raise PermissionDenied("Le compte de démonstration ne peut rien modifier.")
