"""Who may read or write a feuille de route's document (object-level rules over comptes.perms).

- Read: whoever reads the département (its préfecture, its région's, the national roles), and
  the co-writers of the porteur collectivité.
- Write the content: the préfecture of the département, administrators, and the co-writers.
- Manage (status, invitations, signed copy): the préfecture of the département and administrators.
Outsiders get 404, read-only roles 403 on writes.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from comptes import perms as comptes_perms

from .models import CoRedacteur, FeuilleDeRoute


def is_coredacteur(user, feuille_de_route: FeuilleDeRoute) -> bool:
    if not user.is_authenticated or feuille_de_route.porteur_id is None:
        return False
    return CoRedacteur.objects.filter(membre_id=feuille_de_route.porteur_id, user=user).exists()


def can_read(user, feuille_de_route: FeuilleDeRoute) -> bool:
    departement = feuille_de_route.gouvernance.departement
    return comptes_perms.can_read_departement(user, departement) or is_coredacteur(user, feuille_de_route)


def can_write(user, feuille_de_route: FeuilleDeRoute) -> bool:
    departement = feuille_de_route.gouvernance.departement
    return comptes_perms.can_write_departement(user, departement) or is_coredacteur(user, feuille_de_route)


def can_manage(user, feuille_de_route: FeuilleDeRoute) -> bool:
    return comptes_perms.can_write_departement(user, feuille_de_route.gouvernance.departement)


READ, WRITE, MANAGE = "read", "write", "manage"
_CHECKS = {WRITE: can_write, MANAGE: can_manage}
_REFUSALS = {
    WRITE: "Votre compte peut consulter cette feuille de route mais pas la modifier.",
    MANAGE: "Seule la préfecture du département peut effectuer cette action.",
}


def get_feuille_for_user_or_404(user, pk: int, *, need: str = READ) -> FeuilleDeRoute:
    feuille = (
        FeuilleDeRoute.objects.select_related("gouvernance__departement__region", "porteur")
        .filter(pk=pk)
        .first()
    )
    if feuille is None or not can_read(user, feuille):
        raise Http404("Feuille de route introuvable.")
    if need in _CHECKS and not _CHECKS[need](user, feuille):
        raise PermissionDenied(_REFUSALS[need])
    return feuille
