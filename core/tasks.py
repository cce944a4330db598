"""The one retry policy of the platform's Celery tasks.

A task takes ids and calls a service. When the service fails for a reason that may go away by
itself (the mail server, the network, the file system or the database hiccuping), Celery runs it
again later: exponential backoff from 30 s, capped at settings.FNE_TASK_RETRY_MAX_DELAY (8
minutes), with full jitter so that tasks failing together do not retry together, up to 12 times
(at most about 70 minutes in all). The cap stays below the broker's visibility timeout (which
settings derive from it and from the time limits): a retry waiting for its countdown is an
unacknowledged message, which Redis would otherwise hand to a second worker. `acks_late`: a
task whose worker dies before the end is delivered again.

    @shared_task(**RETRY_POLICY)
    def send_reopening_email(*, gouvernance_id: int) -> int:
        return services.reopening_email_send(gouvernance_id=gouvernance_id)

A task that records each failure itself (a PDF job shows its state to the user) catches
TRANSIENT_ERRORS, checks `is_last_attempt` and raises `retry_later(task, exc)`: same policy.
"""

import smtplib
from types import MappingProxyType

from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import OperationalError as DatabaseOperationalError

TRANSIENT_ERRORS = (
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
    OSError,
    DatabaseOperationalError,
)

# Read-only: every task shares this very mapping, none may tune its own copy.
RETRY_POLICY = MappingProxyType(
    {
        "autoretry_for": TRANSIENT_ERRORS,
        "retry_backoff": 30,
        "retry_backoff_max": settings.FNE_TASK_RETRY_MAX_DELAY,
        "retry_jitter": True,
        "max_retries": 12,
        "acks_late": True,
    }
)


def retry_delay(retries: int) -> int:
    """Seconds before the next try, after `retries` retries: what Celery's autoretry would wait."""
    return get_exponential_backoff_interval(
        factor=RETRY_POLICY["retry_backoff"],
        retries=retries,
        maximum=RETRY_POLICY["retry_backoff_max"],
        full_jitter=RETRY_POLICY["retry_jitter"],
    )


def is_last_attempt(task) -> bool:
    return task.request.retries >= task.max_retries


def retry_later(task, exc: BaseException):
    """The Retry to raise from a bound task for another try after the policy's backoff."""
    return task.retry(exc=exc, countdown=retry_delay(task.request.retries))


def queue_of(name: str) -> str | None:
    """The queue settings.FNE_TASK_QUEUES gives the task `name` (without the prefix)."""
    for queue, names in settings.FNE_TASK_QUEUES.items():
        if name in names:
            return queue
    return None


def route_task(name, args, kwargs, options, task=None, **extra):
    """Celery's router (settings.CELERY_TASK_ROUTES): the task's queue, with the deployment's
    prefix, read when the task is sent; a task the table does not name goes to the default
    queue."""
    queue = queue_of(name)
    if queue is None:
        return None
    return {"queue": f"{settings.FNE_CELERY_QUEUE_PREFIX}{queue}"}
