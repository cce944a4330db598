"""Celery tasks: they take ids (or nothing) and call a service; core.tasks' retry policy."""

from celery import shared_task

from core.tasks import RETRY_POLICY

from . import services


@shared_task(**RETRY_POLICY)
def send_reopening_email(*, gouvernance_id: int) -> int:
    return services.reopening_email_send(gouvernance_id=gouvernance_id)


@shared_task(**RETRY_POLICY)
def send_echeance_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE). Safe to run twice: already reminded départements are skipped."""
    return services.echeance_reminders_send()
