"""PDF jobs: the request stores the job, the task renders it; the state lives in the database.

What keeps the work bounded and the page truthful:
- one job waits or runs per document version (a database constraint): asking again returns it;
- the task has Celery time limits (settings.FNE_PDF_TIME_LIMIT); overrunning ends the job
  « échec » with a reason the user can act on;
- a job whose worker died stays « en cours » only until the sweeper (`pdf_jobs_sweep`, Celery
  beat) sees it past its time limit: it is requeued, or failed after FNE_PDF_MAX_ATTEMPTS starts;
- the page reads `raison` (French, actionable); the exception text (paths, error numbers) goes to
  the logs and to `detail_technique`, shown in the admin only.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..enums import EtatJob
from ..models import (
    Document,
    PdfJob,
)

logger = logging.getLogger(__name__)

PENDING = (EtatJob.EN_ATTENTE, EtatJob.EN_COURS)

RAISON_TEMPORAIRE = "Incident temporaire : une nouvelle tentative est programmée."
RAISON_INTERROMPU = "Le rendu a été interrompu : une nouvelle tentative est programmée."
RAISON_ECHEC = (
    "La génération du PDF a échoué. Relancez-la ; si l'échec se répète, contactez l'équipe ANCT "
    "(societe.numerique@anct.gouv.fr) en indiquant la feuille de route concernée."
)


def raison_trop_long() -> str:
    minutes = max(1, round(settings.FNE_PDF_TIME_LIMIT / 60))
    return (
        f"La génération a dépassé la durée maximale ({minutes} minute{'s' if minutes > 1 else ''}) : "
        "le document est probablement très long. Raccourcissez les textes les plus longs "
        "(descriptions des fiches action, annexes collées dans une section), puis relancez la génération."
    )


def raison_abandon() -> str:
    return (
        "Le rendu a été interrompu à plusieurs reprises : le document est "
        "probablement trop lourd à mettre en page. Raccourcissez les textes les plus longs, puis "
        "relancez la génération ; si l'échec se répète, contactez l'équipe ANCT."
    )


def technical_detail(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:2000]


def pending_job(document: Document) -> PdfJob | None:
    return PdfJob.objects.filter(document=document, etat__in=PENDING).first()


@transaction.atomic
def pdf_request(*, document: Document, user) -> PdfJob:
    """The job of this document version that waits or runs, or a new one enqueued once committed.

    When the broker is down, the job stays « en attente » with `file_indisponible` set, and the
    page says the rendering is delayed; `pdf_jobs_requeue` (Celery beat, or by hand) picks it up.
    """
    # The document row is locked so that two requests at once find the same pending job.
    Document.objects.select_for_update().filter(pk=document.pk).first()
    existing = pending_job(document)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = PdfJob.objects.create(
                document=document, demande_par=user if user.is_authenticated else None
            )
    except IntegrityError:  # a concurrent request created it first (the constraint held)
        return pending_job(document)
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


def _stale_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.FNE_PDF_STALE_AFTER)


def pdf_jobs_sweep() -> dict[str, int]:
    """Jobs « en cours » past their time limit lost their worker (killed, out of memory, the
    machine restarted): requeue each, or fail it once it has been started FNE_PDF_MAX_ATTEMPTS
    times. Returns how many were requeued and failed."""
    requeued, failed = [], 0
    stale = PdfJob.objects.filter(etat=EtatJob.EN_COURS, debut__lt=_stale_before())
    for job_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            job = PdfJob.objects.select_for_update().filter(pk=job_id, etat=EtatJob.EN_COURS).first()
            if job is None or job.debut >= _stale_before():
                continue  # finished, or started again, meanwhile
            logger.warning(
                "PDF %s bloqué « en cours » depuis %s (tentative %s)", job.pk, job.debut, job.tentatives
            )
            if job.tentatives >= settings.FNE_PDF_MAX_ATTEMPTS:
                _fail(job, raison=raison_abandon(), detail="Rendu interrompu à chaque tentative (balayage).")
                failed += 1
                continue
            job.etat, job.raison, job.tache = EtatJob.EN_ATTENTE, RAISON_INTERROMPU, ""
            job.save(update_fields=["etat", "raison", "tache", "updated_at"])
            requeued.append(job)
    for job in requeued:
        pdf_enqueue(job=job)
    return {"relances": len(requeued), "echecs": failed}


def pdf_job_start(*, job_id: int, task_id: str = "") -> PdfJob | None:
    """Mark the job « en cours » for this task; None when there is nothing to do: the job is
    done or failed, or another task renders it right now.

    A job already « en cours » for this very task id was started by a message delivered again
    after its pool child died (acks_late, reject on worker lost): that run is dead, start again.
    Past FNE_PDF_MAX_ATTEMPTS starts, the job fails instead of killing one more worker."""
    with transaction.atomic():
        job = PdfJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.etat in (EtatJob.TERMINE, EtatJob.ECHEC):
            return None
        alive = job.etat == EtatJob.EN_COURS and job.tache != task_id and job.debut >= _stale_before()
        if alive:
            return None
        # Only a run that died counts here: transient failures have their own retry policy.
        if job.etat == EtatJob.EN_COURS and job.tentatives >= settings.FNE_PDF_MAX_ATTEMPTS:
            _fail(job, raison=raison_abandon(), detail="Rendu interrompu à chaque tentative.")
            return None
        job.etat = EtatJob.EN_COURS
        job.tentatives += 1
        job.debut = timezone.now()
        job.tache = task_id
        job.save(update_fields=["etat", "tentatives", "debut", "tache", "updated_at"])
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


def pdf_job_back_to_waiting(*, job_id: int, exc: BaseException) -> None:
    """A transient failure: the task will retry."""
    PdfJob.objects.filter(pk=job_id).update(
        etat=EtatJob.EN_ATTENTE,
        raison=RAISON_TEMPORAIRE,
        detail_technique=technical_detail(exc),
        updated_at=timezone.now(),
    )


def _fail(job: PdfJob, *, raison: str, detail: str) -> None:
    job.etat, job.raison, job.detail_technique, job.fin = EtatJob.ECHEC, raison, detail[:2000], timezone.now()
    job.save(update_fields=["etat", "raison", "detail_technique", "fin", "updated_at"])


def pdf_job_fail(*, job_id: int, raison: str = RAISON_ECHEC, exc: BaseException | None = None) -> None:
    PdfJob.objects.filter(pk=job_id).update(
        etat=EtatJob.ECHEC,
        raison=raison,
        detail_technique=technical_detail(exc) if exc is not None else "",
        fin=timezone.now(),
        updated_at=timezone.now(),
    )
