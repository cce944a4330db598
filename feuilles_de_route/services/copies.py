"""The signed copy of an approved feuille de route, uploaded by the préfecture."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..models import (
    CopieSignee,
    Document,
)

logger = logging.getLogger(__name__)

COPIE_MAX_OCTETS = 40 * 1024 * 1024
NOT_A_PDF = "Ce fichier n'est pas un PDF : déposez le document signé au format PDF."
UNREADABLE = "Ce PDF est illisible ou endommagé : déposez de nouveau le document signé."
PROTECTED = "Ce PDF est protégé par un mot de passe : déposez une version sans mot de passe."


def check_pdf_upload(fichier) -> None:
    """A signed copy must be a real PDF (by content, not by name) of at most 40 Mo.

    It must start with the PDF header: readers accept a header anywhere in the first kilobyte,
    which lets a file be HTML (or anything else) for one program and a PDF for another — a
    polyglot that a browser could run from a download. Then pypdf must read its pages."""
    if fichier.size > COPIE_MAX_OCTETS:
        raise ValidationError(
            {"fichier": "Le fichier dépasse 40 Mo : déposez une version plus légère du PDF signé."}
        )
    fichier.seek(0)
    head = fichier.read(5)
    fichier.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"fichier": NOT_A_PDF})
    problem = _pdf_problem(fichier)
    fichier.seek(0)
    if problem:
        raise ValidationError({"fichier": problem})


def _pdf_problem(fichier) -> str:
    """ "" when pypdf opens the file and finds at least one page, else the French refusal."""
    try:
        reader = PdfReader(fichier, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return PROTECTED
        if len(reader.pages) == 0:
            return UNREADABLE
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        # pypdf raises more than its own errors on a damaged file; none of them is a PDF.
        logger.info("Copie signée refusée : PDF illisible", exc_info=True)
        return UNREADABLE
    return ""


@transaction.atomic
def copie_signee_upload(*, document: Document, fichier, user) -> CopieSignee:
    check_pdf_upload(fichier)
    copie = CopieSignee(
        document=document, nom_original=fichier.name[:255], taille=fichier.size, deposee_par=user
    )
    copie.fichier.save("copie.pdf", fichier, save=False)
    copie.save()
    return copie
