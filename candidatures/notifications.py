"""Confirmation e-mails. Plain services (tested without Celery); tasks.py only calls them.

Each e-mail records when it left, so that a retried task never sends it twice.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from comptes.models import User
from core.cache import invalidate
from territoires.enums import TypeCollectivite
from territoires.models import Departement

from .models import ManifestationInteret
from .signals import CANDIDATURES


def departements_of(manifestation: ManifestationInteret) -> list[Departement]:
    """The départements whose préfecture sees this form (same rule as the selectors)."""
    type_ = manifestation.type_collectivite
    if manifestation.is_structure:
        return [manifestation.structure_departement] if manifestation.structure_departement_id else []
    if type_ == TypeCollectivite.COMMUNE:
        return [manifestation.commune.departement]
    if type_ == TypeCollectivite.DEPARTEMENT:
        return [manifestation.departement]
    if type_ == TypeCollectivite.REGION:
        return list(Departement.objects.filter(region_id=manifestation.region_id))
    if type_ == TypeCollectivite.EPCI:
        return list(manifestation.epci.departements.all())
    return []


def _load(manifestation_id: int) -> ManifestationInteret:
    return (
        ManifestationInteret.objects.select_related(
            "user", "region", "departement", "epci", "commune__departement", "structure_departement"
        )
        .prefetch_related("contacts", "perimetre", "autres_structures")
        .get(pk=manifestation_id)
    )


def send_accuse_reception(*, manifestation_id: int) -> bool:
    """The submitter's summary. Returns False when already sent or not confirmed."""
    manifestation = _load(manifestation_id)
    if manifestation.accuse_envoye_le or not manifestation.is_confirmee:
        return False
    context = {
        "manifestation": manifestation,
        "url": settings.SITE_URL + reverse("candidatures:mon_formulaire"),
    }
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Votre manifestation d'intérêt est enregistrée",
        message=render_to_string("candidatures/emails/accuse_reception.txt", context),
        from_email=None,
        recipient_list=[manifestation.user.email],
    )
    ManifestationInteret.objects.filter(pk=manifestation.pk).update(accuse_envoye_le=timezone.now())
    invalidate(CANDIDATURES)  # update() sends no post_save
    return True


def notify_prefectures(*, manifestation_id: int) -> int:
    """Tell the préfecture accounts of the form's départements. Returns the number of e-mails sent."""
    manifestation = _load(manifestation_id)
    if manifestation.prefecture_notifiee_le or not manifestation.is_confirmee:
        return 0
    sent = 0
    for departement in departements_of(manifestation):
        recipients = list(
            User.objects.filter(role=Role.PREFECTURE, departement=departement, is_active=True)
            .order_by("email")
            .values_list("email", flat=True)
        )
        if not recipients:
            continue
        context = {
            "manifestation": manifestation,
            "departement": departement,
            "url": settings.SITE_URL + reverse("candidatures:liste", kwargs={"code": departement.code}),
        }
        send_mail(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Nouveau candidat : {manifestation.nom}",
            message=render_to_string("candidatures/emails/nouveau_candidat.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
        sent += 1
    with transaction.atomic():
        ManifestationInteret.objects.filter(pk=manifestation.pk).update(prefecture_notifiee_le=timezone.now())
        invalidate(CANDIDATURES)  # update() sends no post_save
    return sent
