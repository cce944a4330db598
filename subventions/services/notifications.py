"""E-mails of the instruction: plain functions; subventions/tasks.py only loads ids and calls them."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from comptes.enums import Role
from comptes.models import User

from ..models import Demande

logger = logging.getLogger(__name__)


def modification_enqueue(*, demande_id: int) -> None:
    from ..tasks import send_modification_email

    try:
        send_modification_email.delay(demande_id=demande_id)
    except Exception:
        # The decision is stored and shown on the préfecture's page; a broker failure is logged,
        # never shown as a failed instruction.
        logger.exception("E-mail de demande de modification non envoyé (demande %s)", demande_id)


def modification_email_send(*, demande_id: int) -> int:
    """Tell the préfecture that ANCT asks for a change, with ANCT's comment. Returns the number
    of recipients."""
    demande = (
        Demande.objects.select_related("gouvernance__departement", "fiche_action")
        .filter(pk=demande_id)
        .first()
    )
    if demande is None or not demande.modification_demandee:
        return 0
    departement = demande.gouvernance.departement
    recipients = list(
        User.objects.filter(role=Role.PREFECTURE, departement_id=departement.code, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    context = {
        "demande": demande,
        "departement": departement,
        "url": settings.SITE_URL
        + reverse("subventions:demande", kwargs={"code": departement.code, "pk": demande.pk}),
    }
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Demande de subvention : modification demandée par l'ANCT",
        message=render_to_string("subventions/emails/modification_demandee.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
    return len(recipients)
