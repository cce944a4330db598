import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from gouvernances.models import Echeance


def seed_calendar() -> None:
    """The calendar rows of the data migration (a transactional test may have flushed them)."""
    import_module("gouvernances.migrations.0002_echeances_campagne_2023").seed(apps, None)


def move_echeances(echeances, date_limite: datetime.date) -> None:
    """Move deadlines as the admin does, through save(): the calendar is cached until the
    gouvernances' data change, and QuerySet.update() sends no signal to say they did."""
    for echeance in echeances:
        echeance.date_limite = date_limite
        echeance.save()


@pytest.fixture(autouse=True)
def campagne_ouverte(db):
    """The seeded calendar is the 2023 campaign: move the définitive deadline to the future so
    that the form is open, as it would be during a campaign. Deadline tests move it back."""
    seed_calendar()
    move_echeances(
        Echeance.objects.filter(code="gouvernance-definitive"),
        timezone.localdate() + datetime.timedelta(days=60),
    )


def fermer_campagne():
    move_echeances(Echeance.objects.exclude(statut=""), timezone.localdate() - datetime.timedelta(days=1))
