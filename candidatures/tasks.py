"""Celery tasks: they take ids and call a service (notifications.py)."""

import logging
import smtplib

from celery import shared_task

from . import notifications

logger = logging.getLogger(__name__)

# A mail server that is down or refuses for a while: retry with exponential backoff (up to ~1 h).
RETRY_ON = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
RETRY_OPTIONS = {
    "autoretry_for": RETRY_ON,
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY_OPTIONS)
def send_accuse_reception(manifestation_id: int) -> bool:
    return notifications.send_accuse_reception(manifestation_id=manifestation_id)


@shared_task(**RETRY_OPTIONS)
def notify_prefectures(manifestation_id: int) -> int:
    return notifications.notify_prefectures(manifestation_id=manifestation_id)


def enqueue_confirmation_emails(manifestation_id: int) -> None:
    """Called on commit of the confirmation. The form is already stored: a broker or mail failure
    is logged (and retried by Celery) but never fails the user's request."""
    for task in (send_accuse_reception, notify_prefectures):
        try:
            task.delay(manifestation_id)
        except Exception:
            logger.exception(
                "E-mail de confirmation non envoyé (manifestation %s, %s)", manifestation_id, task.name
            )
