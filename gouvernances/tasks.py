"""Celery tasks: they take ids and call a service (notifications.py); core.tasks' retry policy."""

import logging

from celery import shared_task
from django.db import transaction

from core.tasks import RETRY_POLICY

from . import notifications

logger = logging.getLogger(__name__)


@shared_task(**RETRY_POLICY)
def notify_new_members(gouvernance_id: int) -> int:
    return notifications.notify_new_members(gouvernance_id=gouvernance_id)


def enqueue_member_notifications(gouvernance_id: int) -> None:
    """Once the save is committed, tell the members not told yet. The gouvernance is already
    stored: a broker failure is logged (the next save of its members sends them), never shown
    as a failed save."""

    def enqueue():
        try:
            notify_new_members.delay(gouvernance_id)
        except Exception:
            logger.exception("Avis aux membres non envoyés (gouvernance %s)", gouvernance_id)

    transaction.on_commit(enqueue)
