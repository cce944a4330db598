import datetime

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def campagne_ouverte(db):
    """The seeded calendar is the 2023 campaign: move its gouvernance deadlines to the future so
    that besoins may be written, as during a campaign. Locking tests call `fermer_campagne`."""
    from gouvernances.models import Echeance
    from tests.gouvernances.conftest import move_echeances, seed_calendar

    seed_calendar()  # a transactional test (tests/reliability) may have flushed the seeded rows
    move_echeances(Echeance.objects.exclude(statut=""), timezone.localdate() + datetime.timedelta(days=60))


def fermer_campagne():
    from gouvernances.models import Echeance
    from tests.gouvernances.conftest import move_echeances

    move_echeances(Echeance.objects.exclude(statut=""), timezone.localdate() - datetime.timedelta(days=1))


@pytest.fixture
def gouvernance_58(db):
    from tests.gouvernances.factories import GouvernanceFactory

    return GouvernanceFactory()
