"""Writes of the national consolidation: follow-up notes, reopening a gouvernance
(through gouvernances.services, told to the préfecture by e-mail) and the deadline reminders.

E-mails are plain functions here; national/tasks.py only loads ids and calls them.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from comptes import perms
from comptes.enums import Role
from comptes.models import User
from gouvernances.models import Echeance, Gouvernance
from gouvernances.services import gouvernance_reopen
from territoires.models import Departement

from . import selectors
from .models import RappelEnvoye, SuiviDepartement

logger = logging.getLogger(__name__)

RAPPEL_JOURS_AVANT = 7


def _prefecture_emails(departement_id: str) -> list[str]:
    return list(
        User.objects.filter(role=Role.PREFECTURE, departement_id=departement_id, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )


# --- Follow-up notes --------------------------------------------------------------------------------


@transaction.atomic
def suivi_save(*, departement: Departement, user, commentaire: str, probleme: str) -> SuiviDepartement:
    """Administrators only: keeps history of every change."""
    if not perms.can_write_national(user):
        raise PermissionDenied(perms.READ_ONLY_NATIONAL)
    suivi = SuiviDepartement.objects.select_for_update().filter(departement=departement).first()
    suivi = suivi or SuiviDepartement(departement=departement)
    suivi.commentaire = commentaire.strip()
    suivi.probleme = probleme.strip()
    suivi.modifie_par = user
    suivi._history_user = user
    suivi.save()
    return suivi


# --- Reopening ---------------------------------------------------------------------------------------


@transaction.atomic
def gouvernance_reopen_and_notify(*, gouvernance: Gouvernance, user, jusquau: datetime.date) -> Gouvernance:
    """Reopen the form, then, once committed, e-mail the préfecture (Celery)."""
    if not perms.can_write_national(user):
        raise PermissionDenied(perms.READ_ONLY_NATIONAL)
    gouvernance = gouvernance_reopen(gouvernance=gouvernance, user=user, jusquau=jusquau)

    def enqueue():
        from .tasks import send_reopening_email

        try:
            send_reopening_email.delay(gouvernance_id=gouvernance.pk)
        except Exception:
            # The reopening is stored; a broker failure is logged, never shown as a failed save.
            logger.exception("E-mail de réouverture non envoyé (gouvernance %s)", gouvernance.pk)

    transaction.on_commit(enqueue)
    return gouvernance


def reopening_email_send(*, gouvernance_id: int) -> int:
    """Tell the préfecture its form is open again. Returns the number of recipients."""
    gouvernance = Gouvernance.objects.select_related("departement").get(pk=gouvernance_id)
    if not gouvernance.rouverte_jusquau:
        return 0
    recipients = _prefecture_emails(gouvernance.departement_id)
    if not recipients:
        return 0
    context = {
        "departement": gouvernance.departement,
        "gouvernance": gouvernance,
        "url": settings.SITE_URL
        + reverse("gouvernances:detail", kwargs={"code": gouvernance.departement_id}),
    }
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Votre formulaire de gouvernance est rouvert",
        message=render_to_string("national/emails/reouverture.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
    return len(recipients)


# --- Deadline reminders ------------------------------------------------------------------------------


def _send_reminder(
    *, departement: Departement, echeance: Echeance, manques: list[str], recipients: list[str]
) -> None:
    code = departement.code
    context = {
        "departement": departement,
        "echeance": echeance,
        "manques": manques,
        "url": settings.SITE_URL + reverse("gouvernances:detail", kwargs={"code": code}),
        "url_besoins": settings.SITE_URL + reverse("besoins:synthese", kwargs={"code": code}),
        "url_feuilles": settings.SITE_URL + reverse("feuilles_de_route:liste"),
        "besoins": selectors.MANQUE_BESOINS in manques,
        "feuilles": selectors.MANQUE_FEUILLES in manques,
    }
    send_mail(
        subject=(
            f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Rappel : {echeance.libelle} "
            f"avant le {echeance.date_limite:%d/%m/%Y}"
        ),
        message=render_to_string("national/emails/rappel_echeance.txt", context),
        from_email=None,
        recipient_list=recipients,
    )


def echeance_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail the préfectures that still owe something a deadline due within seven days expects
    (a statut of the gouvernance, the besoins en ingénierie, approved feuilles de route).

    Each département is reminded at most once per deadline, even if the job runs twice (or twice at
    once): the RappelEnvoye row is inserted first under a unique constraint, and the e-mail is sent
    inside the same transaction — a mail failure rolls the row back so that a retry sends it.
    One e-mail lists everything the département still owes for that deadline.
    A département without any préfecture account is skipped (and reminded once an account exists).
    Returns the number of départements reminded by this run.
    """
    today = today or timezone.localdate()
    sent = 0
    for echeance in selectors.echeances_a_rappeler(today=today, jours=RAPPEL_JOURS_AVANT):
        deja = set(RappelEnvoye.objects.filter(echeance=echeance).values_list("departement_id", flat=True))
        retards = selectors.retards(echeance)
        for departement in Departement.objects.filter(code__in=set(retards) - deja).order_by("code"):
            recipients = _prefecture_emails(departement.code)
            if not recipients:
                continue
            try:
                with transaction.atomic():
                    RappelEnvoye.objects.create(
                        departement=departement, echeance=echeance, destinataires=", ".join(recipients)
                    )
                    _send_reminder(
                        departement=departement,
                        echeance=echeance,
                        manques=retards[departement.code],
                        recipients=recipients,
                    )
            except IntegrityError:
                continue  # another run reminded it in the meantime
            sent += 1
    return sent
