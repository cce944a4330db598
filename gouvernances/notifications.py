"""E-mails to the collectivités and structures added to a gouvernance. Plain services (tested
without Celery); tasks.py only calls them.

Members are told once the gouvernance has been sent to ANCT (pressentie or définitive): a draft's
composition may still change and its public page shows nothing yet. Each member is told once that
it is a member, and once that it is a co-porteur (both in the same
e-mail when it is added as a co-porteur at once): the dates stored on the row make a retried or
repeated task send nothing twice.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.cache import invalidate
from feuilles_de_route.libelles import article_de

from .enums import StatutGouvernance
from .models import Gouvernance, Membre
from .signals import GOUVERNANCES


def member_recipients(membre: Membre) -> list[str]:
    """The référent and the suppléant the préfecture named, and the account that filed the
    member's manifestation d'intérêt, if any."""
    emails = [membre.referent_email, membre.suppleant_email]
    if membre.manifestation_id and membre.manifestation.user_id:
        emails.append(membre.manifestation.user.email)
    seen, out = set(), []
    for email in emails:
        key = (email or "").strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(email.strip())
    return out


def notify_new_members(*, gouvernance_id: int) -> int:
    """E-mail the members not told yet (new ones, new co-porteurs). Returns the e-mails sent."""
    gouvernance = Gouvernance.objects.select_related("departement").get(pk=gouvernance_id)
    if gouvernance.statut == StatutGouvernance.BROUILLON:
        return 0  # told when it is sent
    membres = (
        gouvernance.membres.filter(
            Q(avis_membre_envoye_le__isnull=True)
            | Q(est_coporteur=True, avis_coporteur_envoye_le__isnull=True)
        )
        .select_related("region", "departement", "epci", "commune", "manifestation__user")
        .order_by("id")
    )
    context = {
        "gouvernance": gouvernance,
        "departement": gouvernance.departement,
        # « de la Nièvre », « du Doubs »: the sentence reads « La préfecture de la Nièvre a inscrit… ».
        "de_departement": article_de(gouvernance.departement),
        "url_publique": settings.SITE_URL
        + reverse("gouvernances:publique", kwargs={"code": gouvernance.departement_id}),
        "url_espace": settings.SITE_URL + reverse("espace:mon_espace"),
    }
    sent = 0
    for membre in membres:
        recipients = member_recipients(membre)
        nouveau = membre.avis_membre_envoye_le is None
        coporteur = membre.est_coporteur and membre.avis_coporteur_envoye_le is None
        if recipients:
            sujet = (
                f"Votre structure est co-porteuse de la gouvernance {context['de_departement']}"
                if coporteur
                else f"Votre structure est membre de la gouvernance {context['de_departement']}"
            )
            send_mail(
                subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{sujet}",
                message=render_to_string(
                    "gouvernances/emails/membre_ajoute.txt",
                    {**context, "membre": membre, "nouveau": nouveau, "coporteur": coporteur},
                ),
                from_email=None,
                recipient_list=recipients,
            )
            sent += 1
        now = timezone.now()
        with transaction.atomic():
            if nouveau:
                Membre.objects.filter(pk=membre.pk).update(avis_membre_envoye_le=now)
            if coporteur:
                Membre.objects.filter(pk=membre.pk).update(avis_coporteur_envoye_le=now)
            invalidate(GOUVERNANCES)  # update() sends no post_save
    return sent
