"""Celery application: broker from REDIS_URL; without it tasks run eagerly (see settings)."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fne.settings")

app = Celery("fne")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# The request id of the request that sends a task follows it into the worker's log records.
@before_task_publish.connect
def _carry_request_id(sender=None, headers=None, **kwargs):
    from core.logs import task_publish_headers

    task_publish_headers(headers)


@task_prerun.connect
def _set_request_id(sender=None, task=None, **kwargs):
    from core.logs import task_started

    task_started(task)


@task_postrun.connect
def _reset_request_id(sender=None, task=None, **kwargs):
    from core.logs import task_ended

    task_ended(task)
