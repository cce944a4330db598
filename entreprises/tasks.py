"""Celery tasks: they take ids (a SIRET is its row's key) and call a service; core.tasks' retry
policy retries a lookup the service could not answer (time-out, 429, 5xx) later."""

from celery import shared_task

from core.tasks import RETRY_POLICY

from . import services


@shared_task(**RETRY_POLICY)
def verify_siret(*, siret: str) -> str:
    return services.siret_lookup(siret=siret).statut


@shared_task(**RETRY_POLICY)
def requeue_pending_lookups() -> int:
    return services.pending_lookups_requeue()
