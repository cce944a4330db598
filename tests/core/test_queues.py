"""Each task of the platform goes to the queue of its kind of work, so that a worker per queue
keeps a slow PDF from delaying an e-mail (settings.FNE_TASK_QUEUES, core.tasks.route_task)."""

import pytest
from django.conf import settings

from fne.celery import app

PROJECT_APPS = (
    "comptes",
    "candidatures",
    "gouvernances",
    "feuilles_de_route",
    "subventions",
    "national",
    "entreprises",
    "donnees_ouvertes",
    "besoins",
    "diagnostic",
    "territoires",
    "espace",
    "core",
)

EXPECTED = {
    "feuilles_de_route.tasks.render_pdf_job": "documents",
    "subventions.tasks.render_convention_job": "documents",
    "feuilles_de_route.tasks.sweep_stale_pdf_jobs": "documents",
    "comptes.tasks.send_role_decision": "emails",
    "candidatures.tasks.send_accuse_reception": "emails",
    "national.tasks.send_echeance_reminders": "emails",
    "feuilles_de_route.tasks.send_invitation": "emails",
    "entreprises.tasks.verify_siret": "imports",
    "donnees_ouvertes.tasks.publish_open_data": "donnees_ouvertes",
    "donnees_ouvertes.tasks.publish_open_data_after_remontee": "donnees_ouvertes",
}


def project_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if name.split(".")[0] in PROJECT_APPS)


def queue_sent_to(name: str) -> str:
    """The queue Celery's router picks when the task is sent (what apply_async would use)."""
    return app.amqp.router.route({}, name, args=(), kwargs={})["queue"].name


@pytest.mark.parametrize(("task", "queue"), EXPECTED.items())
def test_each_task_is_sent_to_its_queue(task, queue):
    assert queue_sent_to(task) == queue


def test_every_task_of_the_platform_has_a_queue_and_the_table_names_no_ghost():
    tasks = project_tasks()
    assert len(tasks) > 10  # the autodiscovery found the apps
    unrouted = [name for name in tasks if queue_sent_to(name) == settings.CELERY_TASK_DEFAULT_QUEUE]
    assert unrouted == []
    named = [name for names in settings.FNE_TASK_QUEUES.values() for name in names]
    assert sorted(named) == tasks  # every task once, and only tasks that exist


def test_the_prefix_keeps_a_deployment_s_queues_apart(settings):
    settings.FNE_CELERY_QUEUE_PREFIX = "recette."
    assert queue_sent_to("feuilles_de_route.tasks.render_pdf_job") == "recette.documents"
    assert queue_sent_to("comptes.tasks.send_role_decision") == "recette.emails"


def test_the_beat_schedule_names_only_routed_tasks():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert queue_sent_to(entry["task"]) in settings.FNE_TASK_QUEUES
