"""Co-writers of the porteur collectivité, invited by the préfecture."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from ..models import (
    CoRedacteur,
    FeuilleDeRoute,
)


@transaction.atomic
def coredacteur_invite(*, feuille_de_route: FeuilleDeRoute, email: str, user) -> CoRedacteur:
    """Link (creating it if needed) a structure account to the porteur membre and e-mail it."""
    from comptes.enums import Role
    from comptes.services import account_create_or_update

    from ..tasks import send_invitation

    membre = feuille_de_route.porteur
    if membre is None:
        raise ValidationError(
            "Cette feuille de route est portée par la préfecture seule : aucun porteur à inviter."
        )
    email = email.strip().lower()
    from comptes.models import User

    existing = User.objects.filter(email=email).first()
    if existing is not None and existing.role != Role.STRUCTURE:
        raise ValidationError(
            {"email": "Cette adresse appartient à un compte d'agent : elle ne peut pas être invitée."}
        )
    if existing is None:
        existing, _ = account_create_or_update(email=email, role=Role.STRUCTURE)
    coredacteur, _ = CoRedacteur.objects.get_or_create(
        membre=membre, user=existing, defaults={"invite_par": user}
    )
    transaction.on_commit(
        lambda: send_invitation.delay(coredacteur_id=coredacteur.pk, feuille_de_route_id=feuille_de_route.pk)
    )
    return coredacteur


def invitation_send(*, coredacteur: CoRedacteur, feuille_de_route: FeuilleDeRoute) -> None:
    """The invitation e-mail: where to write, and how to choose a password the first time."""
    url = settings.SITE_URL + reverse("feuilles_de_route:editeur", kwargs={"pk": feuille_de_route.pk})
    body = render_to_string(
        "feuilles_de_route/email/invitation.txt",
        {
            "feuille": feuille_de_route,
            "membre": coredacteur.membre,
            "url": url,
            "site_url": settings.SITE_URL,
            "reset_url": settings.SITE_URL + reverse("account_reset_password"),
        },
    )
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Invitation à co-rédiger « {feuille_de_route.nom} »",
        message=body,
        from_email=None,
        recipient_list=[coredacteur.user.email],
    )


def invitation_send_by_ids(*, coredacteur_id: int, feuille_de_route_id: int) -> None:
    coredacteur = CoRedacteur.objects.select_related("user", "membre").get(pk=coredacteur_id)
    feuille = FeuilleDeRoute.objects.get(pk=feuille_de_route_id)
    invitation_send(coredacteur=coredacteur, feuille_de_route=feuille)
