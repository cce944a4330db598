"""The espace départemental's figures and counters are cached until their data change: a new form,
a cancelled one or an edited referential shows on the next visit."""

import re

import pytest
from django.urls import reverse

from candidatures import services
from territoires.models import Departement
from tests.candidatures.factories import ManifestationFactory

pytestmark = pytest.mark.django_db

URL = reverse("espace:departement", kwargs={"code": "58"})


def compteur(html: str, name: str) -> int:
    return int(re.search(rf'data-compteur="{name}">(\d+)<', html).group(1))


def test_the_counters_follow_each_form_at_once(client_for, users, django_assert_max_num_queries):
    client = client_for("prefecture")
    assert compteur(client.get(URL).content.decode(), "porteurs_collectivites") == 0
    porteur = ManifestationFactory(porteur_departement=True, confirmee=True)
    assert compteur(client.get(URL).content.decode(), "porteurs_collectivites") == 1
    services.manifestation_cancel(manifestation=porteur, user=porteur.user)
    html = client.get(URL).content.decode()
    assert compteur(html, "porteurs_collectivites") == 0
    # Nothing changed since: the figures and the counters come from the cache.
    with django_assert_max_num_queries(9):
        assert client.get(URL).content.decode().count("data-compteur=") == 5


def test_the_figures_follow_the_referential(client_for):
    client = client_for("prefecture")

    def habitants() -> str:
        html = client.get(URL).content.decode()
        return re.search(r'fne-chiffre">([^<]*)</p><p class="fr-tile__desc">habitants', html).group(1)

    before = habitants()
    nievre = Departement.objects.get(code="58")
    nievre.population = 123456
    nievre.save()
    assert habitants() != before
    assert habitants().replace("\u202f", "").replace("\xa0", "") == "123456"
