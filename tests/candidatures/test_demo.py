import io

import pytest

from candidatures import demo
from candidatures.models import ManifestationInteret
from candidatures.selectors import compteurs_for_departement

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_fills_the_nievre_counters(prefecture_58):
    demo.seed(stdout=io.StringIO())
    count = ManifestationInteret.objects.count()
    demo.seed(stdout=io.StringIO())
    assert ManifestationInteret.objects.count() == count == 7
    compteurs = compteurs_for_departement(user=prefecture_58, departement=prefecture_58.departement)
    assert compteurs.porteurs_collectivites == 1
    assert compteurs.partenaires_collectivites == 4
    assert compteurs.partenaires_structures == 1
    assert compteurs.participants_collectivites == 3
    assert compteurs.participants_structures == 3
    emails = set(ManifestationInteret.objects.values_list("contacts__email", flat=True))
    assert all(email.endswith(".example") for email in emails)
