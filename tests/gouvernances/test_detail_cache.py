"""The gouvernance page's content is cached until what it shows changes: the gouvernance's rows,
what the State's register says about a SIRET, the write window (a closed campaign, even closed by
a bulk update of the calendar, shows at once)."""

import pytest
from django.urls import reverse

from entreprises.enums import StatutVerification
from entreprises.models import Etablissement
from territoires.models import Departement
from tests.gouvernances.factories import GouvernanceFactory, MembreFactory

from .conftest import fermer_campagne

pytestmark = pytest.mark.django_db

URL = reverse("gouvernances:detail", kwargs={"code": "58"})
SIRET = "73282932000074"


@pytest.fixture
def gouvernance(db):
    return GouvernanceFactory(departement=Departement.objects.get(code="58"))


def test_a_new_member_and_a_register_answer_show_at_once(client_for, gouvernance):
    client = client_for("prefecture")
    assert "Association du Morvan" not in client.get(URL).content.decode()
    MembreFactory(gouvernance=gouvernance, structure_nom="Association du Morvan", structure_siret=SIRET)
    html = client.get(URL).content.decode()
    assert "Association du Morvan" in html
    assert "Fermé" not in html
    Etablissement.objects.create(siret=SIRET, statut=StatutVerification.FERME, nom="ASSOCIATION DU MORVAN")
    assert "ASSOCIATION DU MORVAN" in client.get(URL).content.decode()


def test_the_end_of_the_write_window_shows_at_once(client_for, gouvernance):
    client = client_for("prefecture")
    assert "Remonter la gouvernance pressentie" in client.get(URL).content.decode()
    fermer_campagne()  # the calendar moved by a bulk update: no signal, the window is in the key
    assert "Remonter la gouvernance pressentie" not in client.get(URL).content.decode()


def test_a_read_only_viewer_gets_the_page_without_the_links_to_write(client_for, gouvernance):
    assert "Remonter la gouvernance pressentie" in client_for("prefecture").get(URL).content.decode()
    html = client_for("region").get(URL).content.decode()
    assert "Gouvernance — Nièvre" in html
    assert "Remonter la gouvernance pressentie" not in html
