"""The signed copy of an approved feuille de route, uploaded by the préfecture."""

import logging
import shutil
import subprocess
import tempfile

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import (
    CopieSignee,
    Document,
)

logger = logging.getLogger(__name__)
PDFINFO = shutil.which("pdfinfo") or "/usr/bin/pdfinfo"

COPIE_MAX_OCTETS = 40 * 1024 * 1024


def check_pdf_upload(fichier) -> None:
    """A signed copy must be a real PDF (by content, not by name) of at most 40 Mo."""
    if fichier.size > COPIE_MAX_OCTETS:
        raise ValidationError(
            {"fichier": "Le fichier dépasse 40 Mo : déposez une version plus légère du PDF signé."}
        )
    fichier.seek(0)
    head = fichier.read(1024)
    fichier.seek(0)
    if b"%PDF-" not in head[:1024]:
        raise ValidationError(
            {"fichier": "Ce fichier n'est pas un PDF : déposez le document signé au format PDF."}
        )
    if not _pdf_parses(fichier):
        raise ValidationError(
            {"fichier": "Ce PDF est illisible ou endommagé : déposez de nouveau le document signé."}
        )


def _pdf_parses(fichier) -> bool:
    """poppler's pdfinfo (poppler-utils, already needed to read PDFs back) opens the file."""
    path = getattr(fichier, "temporary_file_path", None)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        if path is None:
            for chunk in fichier.chunks():
                tmp.write(chunk)
            tmp.flush()
            fichier.seek(0)
            path = tmp.name
        else:
            path = fichier.temporary_file_path()
        try:
            result = subprocess.run(  # noqa: S603 - fixed program, the path is ours
                [PDFINFO, path], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            logger.exception("pdfinfo n'a pas pu lire la copie signée")
            return False
    return result.returncode == 0 and b"Pages:" in result.stdout


@transaction.atomic
def copie_signee_upload(*, document: Document, fichier, user) -> CopieSignee:
    check_pdf_upload(fichier)
    copie = CopieSignee(
        document=document, nom_original=fichier.name[:255], taille=fichier.size, deposee_par=user
    )
    copie.fichier.save("copie.pdf", fichier, save=False)
    copie.save()
    return copie
