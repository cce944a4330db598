import datetime

import pytest
from django.utils import timezone

from gouvernances.models import Echeance


@pytest.fixture(autouse=True)
def campagne_ouverte(db):
    """The seeded calendar is the 2023 campaign: move the définitive deadline to the future so
    that the form is open, as it would be during a campaign. Deadline tests move it back."""
    Echeance.objects.filter(code="gouvernance-definitive").update(
        date_limite=timezone.localdate() + datetime.timedelta(days=60)
    )


def fermer_campagne():
    Echeance.objects.exclude(statut="").update(date_limite=timezone.localdate() - datetime.timedelta(days=1))
