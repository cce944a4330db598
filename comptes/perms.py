"""Who may read or write what, and when: the one module that decides access.

Its vocabulary:
- **read** / **write** a département: its candidates, gouvernance, besoins, feuilles de route
  and diagnostic. The préfecture of the département writes; the préfecture of its région and the
  national roles read; administrators write everywhere.
- **national**: the ANCT pages. Administrators read and write them; the démo account reads them
  (without ANCT's follow-up notes, which may name problems with a préfecture while the démo
  account is shown to partners).
- a feuille de route's document: **read** it, **write** its content (also the co-writers the
  préfecture invited from the porteur collectivité), **manage** it (status, invitations, signed
  copy: the préfecture and administrators).
- **subventions**: a département's demandes are read by whoever reads the département and written
  by whoever writes it (until the préfecture validates them); ANCT administrators **instruct**
  them; the conventions they lead to are **obtained** by the préfecture and ANCT only (a
  convention names amounts and signatories: it is not for presentations or the région).
- the **campaign window**: whether a write the role allows is allowed today (the campaign's
  deadline, or the date an administrator reopened the form to).

Predicates take the user and objects already loaded, and return a bool; they read other data
only through the relations those objects carry. Selectors return data (None when there is
nothing); views turn a refusal into a 404 — outside the user's scope the object is not shown to
exist — or a 403 — a read-only role asking to write — with `get_departement_for_user_or_404`,
`require_national`, `or_404` and `or_403`.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from territoires.models import Departement

from .enums import Role

# --- Refusals users read ------------------------------------------------------------------------

NOT_FOUND = "Page introuvable."
DEPARTEMENT_NOT_FOUND = "Département introuvable."
READ_ONLY_DEPARTEMENT = "Votre compte peut consulter ce département mais pas le modifier."
READ_ONLY_NATIONAL = "Le compte de démonstration ne peut rien modifier."
READ_ONLY_FEUILLE = "Votre compte peut consulter cette feuille de route mais pas la modifier."
PDF_READ_ONLY = (
    "Votre compte peut consulter cette feuille de route et télécharger un PDF déjà produit, "
    "mais pas en demander la génération."
)
MANAGE_FEUILLE_ONLY = "Seule la préfecture du département peut effectuer cette action."
CAMPAIGN_OVER = (
    "L'échéance de la campagne est passée : le formulaire est en lecture seule. "
    "Un administrateur de l'ANCT peut le rouvrir si nécessaire."
)
READ_ONLY_GOUVERNANCE = "Votre compte peut consulter cette gouvernance mais pas la modifier."
READ_ONLY_SUBVENTIONS = (
    "Votre compte peut consulter les demandes de subvention de ce département mais pas les modifier."
)
INSTRUCTION_ADMIN_ONLY = "Seuls les administrateurs de l'ANCT instruisent les demandes de subvention."
CONVENTION_PREFECTURE_ANCT = (
    "Seules la préfecture du département et l'ANCT obtiennent les conventions de subvention."
)


# --- Roles ---------------------------------------------------------------------------------------


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


def is_agent(user) -> bool:
    """Someone who works on the platform for the State (not a collectivité or a structure)."""
    return is_national(user) or is_prefecture(user) or is_prefecture_region(user)


# --- A département -----------------------------------------------------------------------------


def departements_readable_by(user) -> QuerySet[Departement]:
    qs = Departement.objects.select_related("region")
    if is_national(user):
        return qs
    if is_prefecture_region(user):
        return qs.filter(region_id=user.region_id)
    if is_prefecture(user):
        return qs.filter(code=user.departement_id)
    return qs.none()


def reads_several_departements(user) -> bool:
    """Whether the user may switch between départements (national roles, most régions): a query
    only for a préfecture de région, whose région may have a single département (outre-mer)."""
    if is_national(user):
        return True
    if is_prefecture_region(user):
        return departements_readable_by(user).count() > 1
    return False


def can_read_departement(user, departement: Departement) -> bool:
    if is_national(user):
        return True
    if is_prefecture_region(user):
        return departement.region_id == user.region_id
    if is_prefecture(user):
        return departement.code == user.departement_id
    return False


def can_read_several_departements(user) -> bool:
    """A préfecture de région (its région's départements) and the national roles (all of them):
    they read, and export, several départements at once."""
    return is_national(user) or is_prefecture_region(user)


def can_write_departement(user, departement: Departement) -> bool:
    """Only the préfecture of the département and ANCT administrators write."""
    if is_admin(user):
        return True
    return is_prefecture(user) and departement.code == user.departement_id


# --- National pages ------------------------------------------------------------------------------


def can_read_national(user) -> bool:
    return is_national(user)


def can_write_national(user) -> bool:
    return is_admin(user)


def can_read_suivi(user) -> bool:
    """ANCT's follow-up notes: administrators only (see the module's docstring)."""
    return is_admin(user)


# --- Role requests ---------------------------------------------------------------------------------


def can_request_role(user) -> bool:
    """Anyone signed in may ask for a préfecture role, except the national accounts."""
    return user.is_authenticated and not is_national(user)


def can_decide_role_requests(user) -> bool:
    """Granting a role is an administrator's decision (the démo account never sees the requests:
    they name people)."""
    return is_admin(user)


# --- A feuille de route's document ---------------------------------------------------------------


def is_coredacteur(user, feuille_de_route) -> bool:
    """Invited by the préfecture to co-write for the porteur collectivité of this feuille de route."""
    if not user.is_authenticated or feuille_de_route.porteur_id is None:
        return False
    return user.coredactions.filter(membre_id=feuille_de_route.porteur_id).exists()


def can_read_feuille(user, feuille_de_route) -> bool:
    departement = feuille_de_route.gouvernance.departement
    return can_read_departement(user, departement) or is_coredacteur(user, feuille_de_route)


def can_write_feuille(user, feuille_de_route) -> bool:
    departement = feuille_de_route.gouvernance.departement
    return can_write_departement(user, departement) or is_coredacteur(user, feuille_de_route)


def can_manage_feuille(user, feuille_de_route) -> bool:
    return can_write_departement(user, feuille_de_route.gouvernance.departement)


def can_request_feuille_pdf(user, feuille_de_route) -> bool:
    """Asking for a new PDF costs a worker's time: those who write the feuille de route may;
    read-only roles (démo, préfecture de région) download the PDFs already produced."""
    return can_write_feuille(user, feuille_de_route)


# --- Subventions --------------------------------------------------------------------------------


def can_read_subventions(user, departement: Departement) -> bool:
    return can_read_departement(user, departement)


def can_write_subventions(user, departement: Departement) -> bool:
    """The préfecture of the département and administrators; the demande's status decides the rest."""
    return can_write_departement(user, departement)


def can_instruct_subventions(user) -> bool:
    return is_admin(user)


def can_get_convention(user, departement: Departement) -> bool:
    return can_write_departement(user, departement)


# --- The campaign window -------------------------------------------------------------------------


@dataclass(frozen=True)
class WriteWindow:
    """Whether a form may be written now, and until when (for the page's banner)."""

    possible: bool
    jusquau: datetime.date | None
    rouverte: bool
    raison: str = ""


def write_window(
    user,
    departement: Departement,
    *,
    deadline: datetime.date | None,
    reopened_until: datetime.date | None,
    today: datetime.date,
) -> WriteWindow:
    """May `user` write the département's campaign forms today?

    The préfecture writes until the campaign's next deadline that expects a gouvernance
    (`deadline`, None once they have all passed), or until the date an administrator reopened
    the form to; administrators always may; read-only roles never."""
    if not can_write_departement(user, departement):
        return WriteWindow(False, None, False, READ_ONLY_GOUVERNANCE)
    rouverte = bool(reopened_until and reopened_until >= today)
    if rouverte and (deadline is None or reopened_until > deadline):
        return WriteWindow(True, reopened_until, True)
    if deadline is not None:
        return WriteWindow(True, deadline, False)
    if is_admin(user):
        return WriteWindow(True, None, False)
    return WriteWindow(False, None, False, CAMPAIGN_OVER)


def write_window_rights(user, departement: Departement) -> tuple[bool, bool]:
    """What `write_window` reads of the user: two viewers with the same rights get the same window
    from the same dates and data (a page showing the window is cached once per value of this)."""
    return (can_write_departement(user, departement), is_admin(user))


# --- What views answer ---------------------------------------------------------------------------


def or_404(allowed: bool, message: str = NOT_FOUND) -> None:
    """Outside the user's scope: the object is not shown to exist."""
    if not allowed:
        raise Http404(message)


def or_403(allowed: bool, message: str) -> None:
    """Inside the user's scope, but the role (or the moment) does not allow this."""
    if not allowed:
        raise PermissionDenied(message)


def get_departement_for_user_or_404(user, code: str, *, write: bool = False) -> Departement:
    departement = Departement.objects.select_related("region").filter(code=code).first()
    or_404(departement is not None and can_read_departement(user, departement), DEPARTEMENT_NOT_FOUND)
    if write:
        or_403(can_write_departement(user, departement), READ_ONLY_DEPARTEMENT)
    return departement


def require_national(user, *, write: bool = False) -> None:
    """National pages: administrators (and, read-only, the démo account); 404 for others."""
    or_404(can_read_national(user))
    if write:
        or_403(can_write_national(user), READ_ONLY_NATIONAL)
