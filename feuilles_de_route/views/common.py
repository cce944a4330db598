"""What every page of the feuille de route editor shares: access (404 outside the reader's scope,
403 for a reader asking to write or manage), the breadcrumb and the common context."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from comptes import perms
from core.breadcrumbs import breadcrumb, departement_link

from .. import selectors
from ..enums import SectionDocument

READ, WRITE, MANAGE, PDF = "read", "write", "manage", "pdf"
_ALLOWED = {
    READ: perms.can_read_feuille,
    WRITE: perms.can_write_feuille,
    MANAGE: perms.can_manage_feuille,
    PDF: perms.can_request_feuille_pdf,
}
_REFUSALS = {WRITE: perms.READ_ONLY_FEUILLE, MANAGE: perms.MANAGE_FEUILLE_ONLY, PDF: perms.PDF_READ_ONLY}


def feuille_or_404(request, pk: int, *, need: str = READ):
    """404 for whoever may not read it, 403 for a reader asking to write or manage."""
    return allowed_or_404(request, selectors.feuille_by_pk(pk), need=need)


def allowed_or_404(request, feuille, *, need: str = READ):
    """`feuille` (None: not found) if the user may `need` it: 404 for whoever may not read it,
    403 for a reader asking to write or manage."""
    perms.or_404(
        feuille is not None and perms.can_read_feuille(request.user, feuille), "Feuille de route introuvable."
    )
    if need != READ:
        perms.or_403(_ALLOWED[need](request.user, feuille), _REFUSALS[need])
    return feuille


def editor_url(feuille) -> str:
    return reverse("feuilles_de_route:editeur", kwargs={"pk": feuille.pk})


def document_or_404(feuille):
    document = selectors.current_document(feuille)
    if document is None:
        raise Http404("La rédaction de cette feuille de route n'a pas commencé.")
    return document


def writable_document(request, pk: int):
    feuille = feuille_or_404(request, pk, need=WRITE)
    document = document_or_404(feuille)
    if document.est_fige:
        raise PermissionDenied("Cette version est approuvée : ouvrez une nouvelle version pour la modifier.")
    return feuille, document


def add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def page_breadcrumb(feuille, current: str = "") -> dict:
    """The département, then the feuille de route, then the page of the editor (`current`) if any."""
    departement = departement_link(feuille.gouvernance.departement)
    if not current:
        return breadcrumb(departement, current=feuille.nom)
    return breadcrumb(departement, (feuille.nom, editor_url(feuille)), current=current)


def page_context(request, feuille, document, *, courant: str = "", **extra):
    """`courant`: the label of the page in the breadcrumb, below the feuille de route."""
    return {
        "feuille": feuille,
        "document": document,
        "departement": feuille.gouvernance.departement,
        "breadcrumb_data": page_breadcrumb(feuille, courant),
        "sections": SectionDocument,
        "peut_ecrire": perms.can_write_feuille(request.user, feuille)
        and document is not None
        and not document.est_fige,
        "peut_gerer": perms.can_manage_feuille(request.user, feuille),
        "peut_generer": perms.can_request_feuille_pdf(request.user, feuille),
        **extra,
    }


def editor_url_for(pk: int) -> str:
    return reverse("feuilles_de_route:editeur", kwargs={"pk": pk})
