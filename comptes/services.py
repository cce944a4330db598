import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.formats import french_datetime
from territoires.models import Departement, Region

from . import perms
from .enums import ROLES_DEMANDABLES, Role, StatutDemande
from .models import DemandeRole, User

logger = logging.getLogger(__name__)


@transaction.atomic
def account_create_or_update(
    *,
    email: str,
    role: Role | str,
    departement: Departement | None = None,
    region: Region | None = None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> tuple[User, bool]:
    """Create (or bring up to date) an account with its role and scope; its e-mail is verified.

    Returns the user and whether it was created. A password is set only when one is given, so a
    second run never resets what the person chose.
    """
    role = Role(role)
    if role == Role.PREFECTURE and departement is None:
        raise ValidationError("Un compte préfecture de département doit avoir un département.")
    if role == Role.PREFECTURE_REGION and region is None:
        raise ValidationError("Un compte préfecture de région doit avoir une région.")
    email = email.strip().lower()
    user, created = User.objects.get_or_create(email=email)
    user.role = role
    user.departement = departement if role == Role.PREFECTURE else None
    user.region = region if role == Role.PREFECTURE_REGION else None
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    if first_name:
        user.first_name = first_name
    if last_name:
        user.last_name = last_name
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


# --- Role requests -------------------------------------------------------------------------------


def state_domain(territoire: Departement | Region) -> str:
    """The State's mail domain of a département's préfecture: « nievre.gouv.fr »,
    « cote-dor.gouv.fr », « seine-saint-denis.gouv.fr » (lower case, no accent nor apostrophe)."""
    return f"{slugify(territoire.nom)}.gouv.fr"


def is_likely_address(email: str, *, departement: Departement | None, region: Region | None) -> bool:
    """Whether the address is on the State's domain of the territoire asked for: for a région,
    its own or one of its départements' (the SGAR sits in the préfecture of the chef-lieu)."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if departement is not None:
        return domain == state_domain(departement)
    if region is not None:
        return domain in {state_domain(region), *(state_domain(d) for d in region.departements.all())}
    return False


@transaction.atomic
def demande_role_create(
    *,
    user: User,
    role: Role | str,
    departement: Departement | None,
    region: Region | None,
    service: str,
    fonction: str = "",
    message: str = "",
) -> DemandeRole:
    """Record a request for a préfecture (or préfecture de région) role; nothing is granted."""
    if not perms.can_request_role(user):
        raise ValidationError("Votre compte n'a pas besoin de demander un rôle de préfecture.")
    errors = {}
    if role not in ROLES_DEMANDABLES:
        errors["role"] = "Choisissez « Préfecture de département » ou « Préfecture de région »."
    elif role == Role.PREFECTURE and departement is None:
        errors["departement"] = "Choisissez le département de votre préfecture."
    elif role == Role.PREFECTURE_REGION and region is None:
        errors["region"] = "Choisissez la région de votre préfecture."
    if not service.strip():
        errors["service"] = "Indiquez votre service (par exemple : secrétariat général, cabinet du préfet)."
    if errors:
        raise ValidationError(errors)
    role = Role(role)
    demande = DemandeRole(
        demandeur=user,
        role=role,
        departement=departement if role == Role.PREFECTURE else None,
        region=region if role == Role.PREFECTURE_REGION else None,
        service=service.strip(),
        fonction=fonction.strip(),
        message=message.strip(),
        adresse_probable=is_likely_address(
            user.email,
            departement=departement if role == Role.PREFECTURE else None,
            region=region if role == Role.PREFECTURE_REGION else None,
        ),
    )
    demande.full_clean(exclude=["demandeur", "departement", "region", "traitee_par"])
    try:
        with transaction.atomic():
            demande.save()
    except IntegrityError as exc:  # one pending request per person (a database constraint)
        raise ValidationError(
            "Vous avez déjà une demande en attente : un administrateur va la traiter."
        ) from exc
    return demande


@transaction.atomic
def demande_role_decide(
    *, demande: DemandeRole, admin: User, approuver: bool, motif: str = ""
) -> DemandeRole:
    """Approve (the account gets the role and its territoire) or refuse a pending request; the
    person is told by e-mail once the decision is committed."""
    if not perms.can_decide_role_requests(admin):
        raise ValidationError("Seul un administrateur peut traiter les demandes de rôle.")
    # No join here: PostgreSQL locks no row on the nullable side of an outer join (traitee_par is
    # read only when the request was already decided).
    locked = DemandeRole.objects.select_for_update().get(pk=demande.pk)
    if not locked.en_attente:
        qui = locked.traitee_par.display_name if locked.traitee_par else "un administrateur"
        quand = french_datetime(locked.traitee_le) if locked.traitee_le else ""
        raise ValidationError(f"Cette demande a déjà été traitée par {qui}{' le ' + quand if quand else ''}.")
    if not approuver and not motif.strip():
        raise ValidationError({"motif_refus": "Indiquez le motif du refus : il est envoyé à la personne."})
    if approuver:
        demandeur = User.objects.select_for_update().get(pk=locked.demandeur_id)
        if perms.is_national(demandeur):
            raise ValidationError("Ce compte est un compte national : il n'a pas besoin de ce rôle.")
        account_create_or_update(
            email=demandeur.email, role=locked.role, departement=locked.departement, region=locked.region
        )
    locked.statut = StatutDemande.APPROUVEE if approuver else StatutDemande.REFUSEE
    locked.motif_refus = "" if approuver else motif.strip()
    locked.traitee_par = admin
    locked.traitee_le = timezone.now()
    locked.save()
    pk = locked.pk
    transaction.on_commit(lambda: _enqueue_decision_email(pk))
    return locked


def _enqueue_decision_email(demande_id: int) -> None:
    """The decision is stored: a broker failure is logged, never raised (the task retries mail errors)."""
    from .tasks import send_role_decision

    try:
        send_role_decision.delay(demande_id=demande_id)
    except Exception:
        logger.exception("Courriel de décision non envoyé (demande de rôle %s)", demande_id)


def role_decision_email_send(*, demande_id: int) -> bool:
    """Tell the person the decision. Returns False when already sent (a retried task sends once)."""
    demande = DemandeRole.objects.select_related("demandeur", "departement", "region").get(pk=demande_id)
    if demande.en_attente or demande.courriel_envoye_le:
        return False
    context = {"demande": demande, "url": settings.SITE_URL + reverse("espace:mon_espace")}
    approuvee = demande.statut == StatutDemande.APPROUVEE
    sujet = "Votre demande de rôle est acceptée" if approuvee else "Votre demande de rôle n'est pas acceptée"
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{sujet}",
        message=render_to_string("comptes/emails/decision_demande.txt", context),
        from_email=None,
        recipient_list=[demande.demandeur.email],
    )
    DemandeRole.objects.filter(pk=demande.pk).update(courriel_envoye_le=timezone.now())
    return True
