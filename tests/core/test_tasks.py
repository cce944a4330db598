"""Every Celery task of the platform retries the same way (core.tasks.RETRY_POLICY)."""

import smtplib

import pytest
from celery.exceptions import Retry

from core.tasks import RETRY_POLICY, TRANSIENT_ERRORS, retry_delay
from fne.celery import app

PROJECT_APPS = ("candidatures.", "feuilles_de_route.", "national.")


def _project_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.startswith(PROJECT_APPS)}


def test_every_task_of_every_app_takes_the_shared_policy():
    tasks = _project_tasks()
    assert {name.split(".")[0] for name in tasks} == {"candidatures", "feuilles_de_route", "national"}
    for name, task in tasks.items():
        assert tuple(task.autoretry_for) == TRANSIENT_ERRORS, name
        assert task.max_retries == RETRY_POLICY["max_retries"], name
        assert task.retry_backoff == RETRY_POLICY["retry_backoff"], name
        assert task.retry_backoff_max == RETRY_POLICY["retry_backoff_max"], name
        assert task.retry_jitter is True, name
        assert task.acks_late is True, name


def test_tasks_of_two_apps_retry_a_transient_error_with_backoff(db, monkeypatch):
    from candidatures import tasks as candidatures_tasks
    from national import tasks as national_tasks

    def mail_server_down(**kwargs):
        raise smtplib.SMTPServerDisconnected("serveur injoignable")

    monkeypatch.setattr("candidatures.notifications.send_accuse_reception", mail_server_down)
    monkeypatch.setattr("national.services.reopening_email_send", mail_server_down)
    for task, kwargs in (
        (candidatures_tasks.send_accuse_reception, {"manifestation_id": 1}),
        (national_tasks.send_reopening_email, {"gouvernance_id": 1}),
    ):
        with pytest.raises(Retry) as retry:
            task.apply(kwargs=kwargs)
        assert isinstance(retry.value.exc, smtplib.SMTPServerDisconnected), task.name
        # First retry: full jitter over the first backoff step.
        assert 0 <= retry.value.when <= RETRY_POLICY["retry_backoff"], task.name


def test_backoff_doubles_up_to_its_cap(monkeypatch):
    monkeypatch.setattr("random.randrange", lambda stop: stop - 1)  # the top of the jitter range
    assert [retry_delay(n) for n in range(7)] == [30, 60, 120, 240, 480, 480, 480]
    # Below the broker's visibility timeout: a retry waiting for its turn is never handed to a
    # second worker.
    from django.conf import settings

    assert RETRY_POLICY["retry_backoff_max"] < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


def test_the_policy_cannot_be_changed_by_one_task():
    with pytest.raises(TypeError):
        RETRY_POLICY["max_retries"] = 1
