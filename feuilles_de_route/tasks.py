"""Celery tasks of the feuilles de route: they take ids and call a service; core.tasks' retry
policy."""

import logging

from celery import shared_task

from core.tasks import RETRY_POLICY, TRANSIENT_ERRORS, is_last_attempt, retry_later

from . import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, **RETRY_POLICY)
def render_pdf_job(self, *, job_id: int) -> None:
    """The job's state is what the user sees: a transient failure puts it back « en attente » with
    the reason until the next try, the last one (or any other failure) leaves it « échec »."""
    job = services.pdf_job_start(job_id=job_id)
    if job is None:
        return
    try:
        services.pdf_job_render(job=job)
    except TRANSIENT_ERRORS as exc:
        if is_last_attempt(self):
            services.pdf_job_fail(job_id=job_id, raison=services.pdf_failure_reason(exc, final=True))
            return
        services.pdf_job_back_to_waiting(job_id=job_id, raison=services.pdf_failure_reason(exc, final=False))
        raise retry_later(self, exc) from exc
    except Exception as exc:
        logger.exception("Rendu du PDF %s impossible", job_id)
        services.pdf_job_fail(job_id=job_id, raison=services.pdf_failure_reason(exc, final=True))


@shared_task(**RETRY_POLICY)
def requeue_waiting_pdf_jobs() -> int:
    """For Celery beat: enqueue the jobs left waiting while the broker was unreachable."""
    return services.pdf_jobs_requeue()


@shared_task(**RETRY_POLICY)
def send_invitation(*, coredacteur_id: int, feuille_de_route_id: int) -> None:
    services.invitation_send_by_ids(coredacteur_id=coredacteur_id, feuille_de_route_id=feuille_de_route_id)
