"""Celery tasks of the feuilles de route: they load ids and call a service (STYLE §9)."""

import logging

from celery import shared_task
from django.db import OperationalError as DatabaseOperationalError

from . import services

logger = logging.getLogger(__name__)

# Failures worth another try: the database or the file system hiccuping, a worker killed.
TRANSIENT = (DatabaseOperationalError, OSError, TimeoutError, ConnectionError)
MAX_RETRIES = 3


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def render_pdf_job(self, *, job_id: int) -> None:
    job = services.pdf_job_start(job_id=job_id)
    if job is None:
        return
    try:
        services.pdf_job_render(job=job)
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            services.pdf_job_fail(job_id=job_id, raison=services.pdf_failure_reason(exc, final=True))
            return
        services.pdf_job_back_to_waiting(job_id=job_id, raison=services.pdf_failure_reason(exc, final=False))
        # Exponential backoff: 10 s, 20 s, 40 s.
        raise self.retry(exc=exc, countdown=10 * 2**self.request.retries) from exc
    except Exception as exc:
        logger.exception("Rendu du PDF %s impossible", job_id)
        services.pdf_job_fail(job_id=job_id, raison=services.pdf_failure_reason(exc, final=True))


@shared_task
def requeue_waiting_pdf_jobs() -> int:
    """For Celery beat: enqueue the jobs left waiting while the broker was unreachable."""
    return services.pdf_jobs_requeue()


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_invitation(self, *, coredacteur_id: int, feuille_de_route_id: int) -> None:
    try:
        services.invitation_send_by_ids(
            coredacteur_id=coredacteur_id, feuille_de_route_id=feuille_de_route_id
        )
    except (OSError, ConnectionError) as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
