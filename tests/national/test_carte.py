"""The national dashboard's map of the départements: one named shape per département linking to
its page of the national consolidation, coloured by the chosen indicator, with the same figures in
the table beside it."""

import html as html_lib

import pytest
from django.urls import reverse

from national.cartes import INDICATEURS_NATIONAUX
from territoires.models import Departement
from tests.diagnostic.test_cartes import TABLE_ROW, shapes
from tests.gouvernances.factories import CoordinationFactory, FeuilleDeRouteFactory, GouvernanceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campagne(db):
    nievre = GouvernanceFactory(departement=Departement.objects.get(code="58"), pressentie=True)
    FeuilleDeRouteFactory(gouvernance=nievre)
    CoordinationFactory(gouvernance=nievre, nombre_postes=2)
    GouvernanceFactory(departement=Departement.objects.get(code="21"), sous_prefet_email="sp@21.example")


@pytest.mark.parametrize("indicateur", list(INDICATEURS_NATIONAUX))
def test_one_shape_per_departement_linking_to_its_page_and_the_table_says_the_same(
    client_for, campagne, indicateur
):
    page = (
        client_for("demo").get(reverse("national:tableau_de_bord") + f"?carte={indicateur}").content.decode()
    )
    found = shapes(page, "carte-departements")
    assert set(found) == set(Departement.objects.exclude(zone="com").values_list("code", flat=True))
    noms = dict(Departement.objects.values_list("code", "nom"))
    table = dict(TABLE_ROW.findall(page.split('data-carte-table="carte-departements"', 1)[1]))
    assert set(table) == set(found)
    for code, (href, label, _) in found.items():
        assert href == f"/national/departements/{code}/"
        assert label == f"{noms[code]} ({code}) : {html_lib.unescape(table[code])}"
    assert f'<option value="{indicateur}" selected>' in page


def test_the_campaign_indicators_colour_each_departement(client_for, campagne):
    client = client_for("admin")

    def nievre_and_cote_dor(indicateur):
        page = client.get(reverse("national:tableau_de_bord") + f"?carte={indicateur}").content.decode()
        found = shapes(page, "carte-departements")
        return found["58"][1:], found["21"][1:], found["23"][1:]

    statut = nievre_and_cote_dor("statut")
    assert statut[0] == ("Nièvre (58) : gouvernance pressentie remontée", "k2")
    assert statut[1] == ("Côte-d'Or (21) : gouvernance en brouillon", "k1")
    assert statut[2] == ("Creuse (23) : pas de gouvernance", "k0")
    feuilles = nievre_and_cote_dor("feuilles")
    assert feuilles[0] == ("Nièvre (58) : 1 feuille de route déclarée, 0 approuvée", "k1")
    assert feuilles[1][1] == "k0"
    couverture = nievre_and_cote_dor("couverture")
    assert couverture[0] == (
        "Nièvre (58) : 100 % des communes couvertes par une feuille de route (309 sur 309)",
        "s4",
    )
    coordinateurs = nievre_and_cote_dor("coordinateurs")
    assert coordinateurs[0] == ("Nièvre (58) : 2 postes de coordinateur demandés", "s2")
    assert coordinateurs[1] == ("Côte-d'Or (21) : aucun poste de coordinateur demandé", "s0")
    assert coordinateurs[2] == ("Creuse (23) : pas de gouvernance", "na")


def test_the_public_data_page_maps_the_same_departements(client):
    page = client.get(reverse("diagnostic:national") + "?carte=conseillers").content.decode()
    found = shapes(page, "carte-departements")
    assert len(found) == 101
    assert found["58"][1] == "Nièvre (58) : 0 lieu accueillant des conseillers numériques"
