"""Celery tasks: they take ids and call a service (notifications.py); core.tasks' retry policy."""

import logging

from celery import shared_task

from core.tasks import RETRY_POLICY

from . import notifications

logger = logging.getLogger(__name__)


@shared_task(**RETRY_POLICY)
def send_accuse_reception(manifestation_id: int) -> bool:
    return notifications.send_accuse_reception(manifestation_id=manifestation_id)


@shared_task(**RETRY_POLICY)
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
