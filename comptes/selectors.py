"""Reads about accounts: the role requests, for the person who asked and for administrators."""

from django.db.models import QuerySet

from . import perms
from .enums import StatutDemande
from .models import DemandeRole

RELATED = ("demandeur", "departement__region", "region", "traitee_par")


def demandes_of(*, user) -> list[DemandeRole]:
    """The person's own requests, the latest first."""
    if not user.is_authenticated:
        return []
    return list(DemandeRole.objects.filter(demandeur=user).select_related(*RELATED))


def demandes_for_admin(*, user, statut: str | None = None) -> QuerySet[DemandeRole]:
    """Every request, pending ones first (the oldest first: they have waited longest), then the
    decided ones (the latest first). Empty for anyone but an administrator."""
    if not perms.can_decide_role_requests(user):
        return DemandeRole.objects.none()
    qs = DemandeRole.objects.select_related(*RELATED)
    if statut:
        qs = qs.filter(statut=statut)
    return qs.order_by("-statut", "created_at", "id") if statut == StatutDemande.EN_ATTENTE else qs


def demandes_en_attente(*, user) -> QuerySet[DemandeRole]:
    return demandes_for_admin(user=user, statut=StatutDemande.EN_ATTENTE)
