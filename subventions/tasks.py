"""Celery tasks of the subventions: they take ids and call a service; core.tasks' retry policy."""

import logging

from celery import shared_task

from core.tasks import RETRY_POLICY, TRANSIENT_ERRORS, is_last_attempt, retry_later

from . import services

logger = logging.getLogger(__name__)


@shared_task(**RETRY_POLICY)
def send_modification_email(*, demande_id: int) -> int:
    return services.modification_email_send(demande_id=demande_id)


@shared_task(bind=True, **RETRY_POLICY)
def render_convention_job(self, *, job_id: int) -> None:
    """The job's state is what the user sees: a transient failure puts it back « en attente » with
    the reason until the next try, the last one (or any other failure) leaves it « échec »."""
    job = services.convention_job_start(job_id=job_id)
    if job is None:
        return
    try:
        services.convention_job_render(job=job)
    except TRANSIENT_ERRORS as exc:
        if is_last_attempt(self):
            services.convention_job_fail(
                job_id=job_id, raison=services.convention_failure_reason(exc, final=True)
            )
            return
        services.convention_job_back_to_waiting(
            job_id=job_id, raison=services.convention_failure_reason(exc, final=False)
        )
        raise retry_later(self, exc) from exc
    except Exception as exc:
        logger.exception("Rendu de la convention %s impossible", job_id)
        services.convention_job_fail(
            job_id=job_id, raison=services.convention_failure_reason(exc, final=True)
        )


@shared_task(**RETRY_POLICY)
def requeue_waiting_convention_jobs() -> int:
    """For Celery beat: enqueue the jobs left waiting while the broker was unreachable."""
    return services.convention_jobs_requeue()
