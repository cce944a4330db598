"""Celery tasks: they take ids (or nothing) and call a service."""

import smtplib

from celery import shared_task

from . import services

RETRY_OPTIONS = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY_OPTIONS)
def send_reopening_email(*, gouvernance_id: int) -> int:
    return services.reopening_email_send(gouvernance_id=gouvernance_id)


@shared_task(**RETRY_OPTIONS)
def send_echeance_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE). Safe to run twice: already reminded départements are skipped."""
    return services.echeance_reminders_send()
