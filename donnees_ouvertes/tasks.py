"""Celery tasks of the open data: they call a service; core.tasks' retry policy.

Two beat entries (settings.CELERY_BEAT_SCHEDULE): the nightly build, and a check every few
minutes that builds after a remontée. The check reads the gouvernances' dates of remontée rather
than being told by the gouvernance service: gouvernances stays unaware of the open data, the
remontées of a deadline's last hour (hundreds at once) make one build rather than hundreds,
and a remontée made while the broker was down is still published."""

from celery import shared_task

from core.tasks import RETRY_POLICY

from . import services
from .enums import Declencheur


@shared_task(**RETRY_POLICY)
def publish_open_data() -> int | None:
    """Nightly: rebuild every file (unchanged content keeps its file, ETag and date)."""
    publication = services.publication_run(declencheur=Declencheur.NUIT)
    return publication.pk if publication else None


@shared_task(**RETRY_POLICY)
def publish_open_data_after_remontee() -> int | None:
    """Every few minutes: build when a gouvernance was sent since the last build."""
    publication = services.publication_after_remontee()
    return publication.pk if publication else None
