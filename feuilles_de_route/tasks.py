"""Celery tasks of the feuilles de route: they take ids and call a service; core.tasks' retry
policy."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from core.tasks import RETRY_POLICY, TRANSIENT_ERRORS, is_last_attempt, retry_later

from . import services

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    soft_time_limit=settings.FNE_PDF_SOFT_TIME_LIMIT,
    time_limit=settings.FNE_PDF_TIME_LIMIT,
    **RETRY_POLICY,
)
def render_pdf_job(self, *, job_id: int) -> None:
    """The job's state is what the user sees: a transient failure puts it back « en attente »
    until the next try, the last one (or any other failure) leaves it « échec ». The page reads a
    reason in French; the exception goes to the logs and to the admin's technical detail.

    Past the soft time limit the job fails as too long (the hard limit, a little later, kills
    the pool child should the rendering not stop: the sweeper then closes the job)."""
    job = services.pdf_job_start(job_id=job_id, task_id=self.request.id or "")
    if job is None:
        return
    try:
        services.pdf_job_render(job=job)
    except SoftTimeLimitExceeded as exc:
        logger.warning("Rendu du PDF %s arrêté : durée maximale dépassée", job_id)
        services.pdf_job_fail(job_id=job_id, raison=services.raison_trop_long(), exc=exc)
    except TRANSIENT_ERRORS as exc:
        logger.warning("Rendu du PDF %s : incident temporaire", job_id, exc_info=True)
        if is_last_attempt(self):
            services.pdf_job_fail(job_id=job_id, exc=exc)
            return
        services.pdf_job_back_to_waiting(job_id=job_id, exc=exc)
        raise retry_later(self, exc) from exc
    except Exception as exc:
        logger.exception("Rendu du PDF %s impossible", job_id)
        services.pdf_job_fail(job_id=job_id, exc=exc)


@shared_task(**RETRY_POLICY)
def requeue_waiting_pdf_jobs() -> int:
    """For Celery beat: enqueue the jobs left waiting while the broker was unreachable."""
    return services.pdf_jobs_requeue()


@shared_task(**RETRY_POLICY)
def sweep_stale_pdf_jobs() -> dict[str, int]:
    """For Celery beat: requeue (or fail) the jobs whose worker died while rendering."""
    return services.pdf_jobs_sweep()


@shared_task(**RETRY_POLICY)
def send_invitation(*, coredacteur_id: int, feuille_de_route_id: int) -> None:
    services.invitation_send_by_ids(coredacteur_id=coredacteur_id, feuille_de_route_id=feuille_de_route_id)
