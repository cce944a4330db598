"""PDF jobs: the request stores the job, the task renders it; the state lives in the database."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..enums import EtatJob
from ..models import (
    Document,
    PdfJob,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def pdf_request(*, document: Document, user) -> PdfJob:
    """Create a job and enqueue its task once the job is committed.

    When the broker is down, the job stays « en attente » with `file_indisponible` set, and the
    page says the rendering is delayed; `pdf_jobs_requeue` (Celery beat, or by hand) picks it up.
    """
    job = PdfJob.objects.create(document=document, demande_par=user if user.is_authenticated else None)
    transaction.on_commit(lambda: pdf_enqueue(job=job))
    return job


def pdf_enqueue(*, job: PdfJob) -> bool:
    from kombu.exceptions import OperationalError

    from ..tasks import render_pdf_job

    try:
        render_pdf_job.apply_async(kwargs={"job_id": job.pk}, retry=False)
    except OperationalError:
        logger.warning("File Celery indisponible : le PDF %s attendra la prochaine relance.", job.pk)
        PdfJob.objects.filter(pk=job.pk, etat=EtatJob.EN_ATTENTE).update(file_indisponible=True)
        job.file_indisponible = True
        return False
    return True


def pdf_jobs_requeue() -> int:
    """Enqueue again the jobs left waiting while the broker was down."""
    count = 0
    for job in PdfJob.objects.filter(etat=EtatJob.EN_ATTENTE, file_indisponible=True):
        PdfJob.objects.filter(pk=job.pk).update(file_indisponible=False)
        count += pdf_enqueue(job=job)
    return count


def pdf_job_start(*, job_id: int) -> PdfJob | None:
    """Mark the job « en cours » (returns None when it is already done or failed)."""
    with transaction.atomic():
        job = PdfJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.etat in (EtatJob.TERMINE, EtatJob.ECHEC):
            return None
        job.etat = EtatJob.EN_COURS
        job.tentatives += 1
        job.debut = timezone.now()
        job.save(update_fields=["etat", "tentatives", "debut", "updated_at"])
    return job


def pdf_job_render(*, job: PdfJob) -> PdfJob:
    """Render the document and store the file privately; the job ends « terminé »."""
    from ..pdf import render_pdf
    from ..selectors import pdf_document_for

    rendered = render_pdf(pdf_document_for(job.document))
    job.fichier.save(f"feuille-de-route-{job.document_id}.pdf", ContentFile(rendered.content), save=False)
    job.pages = rendered.pages
    job.etat = EtatJob.TERMINE
    job.raison = ""
    job.fin = timezone.now()
    job.save()
    return job


def pdf_job_back_to_waiting(*, job_id: int, raison: str) -> None:
    """A transient failure: the task will retry."""
    PdfJob.objects.filter(pk=job_id).update(etat=EtatJob.EN_ATTENTE, raison=raison, updated_at=timezone.now())


def pdf_job_fail(*, job_id: int, raison: str) -> None:
    PdfJob.objects.filter(pk=job_id).update(
        etat=EtatJob.ECHEC, raison=raison, fin=timezone.now(), updated_at=timezone.now()
    )


def pdf_failure_reason(exc: BaseException, *, final: bool) -> str:
    detail = str(exc).strip()[:300] or exc.__class__.__name__
    if final:
        return f"La génération du PDF a échoué ({detail}). Relancez-la ; si l'échec se répète, contactez l'équipe ANCT."
    return f"Incident temporaire ({detail}) : une nouvelle tentative est programmée."
