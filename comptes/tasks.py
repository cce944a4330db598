"""Celery tasks: they take ids and call a service; core.tasks' retry policy."""

from celery import shared_task

from core.tasks import RETRY_POLICY

from . import services


@shared_task(**RETRY_POLICY)
def send_role_decision(*, demande_id: int) -> bool:
    return services.role_decision_email_send(demande_id=demande_id)
