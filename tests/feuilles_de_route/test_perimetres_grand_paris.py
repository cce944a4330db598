"""Périmètres made of établissements publics territoriaux: the Seine-Saint-Denis, whose only EPCI
à fiscalité propre is the Métropole du Grand Paris, declares infra-départementales over its EPT."""

import pytest

from feuilles_de_route.selectors import couverture
from feuilles_de_route.services import perimetre_conflicts
from territoires.models import Commune, Departement

pytestmark = pytest.mark.django_db

MGP = "200054781"
PLAINE_COMMUNE = "200057867"
EST_ENSEMBLE = "200057875"
TERRES_D_ENVOL = "200058097"
GRAND_EST = "200058790"


@pytest.fixture
def seine_saint_denis():
    return Departement.objects.get(code="93")


def test_coverage_by_ept(seine_saint_denis, django_assert_num_queries):
    with django_assert_num_queries(2):
        result = couverture(
            departement=seine_saint_denis, perimetres=[("epci", [PLAINE_COMMUNE]), ("epci", [EST_ENSEMBLE])]
        )
    covered = Commune.objects.filter(ept__in=[PLAINE_COMMUNE, EST_ENSEMBLE])
    assert result.communes_couvertes == covered.count() == 17
    assert result.population_couverte == sum(c.population for c in covered)
    # What is left is named by territoire, not as « Métropole du Grand Paris ».
    assert [(e.code, e.communes) for e in result.epcis_non_couverts] == [(GRAND_EST, 14), (TERRES_D_ENVOL, 8)]
    assert not result.communes_hors_epci_non_couvertes


def test_four_ept_cover_the_whole_departement(seine_saint_denis):
    result = couverture(
        departement=seine_saint_denis,
        perimetres=[("epci", [PLAINE_COMMUNE, EST_ENSEMBLE]), ("epci", [TERRES_D_ENVOL, GRAND_EST])],
    )
    assert result.complete
    assert result.communes_total == 39


def test_the_metropole_covers_its_communes_of_the_departement(seine_saint_denis):
    result = couverture(departement=seine_saint_denis, perimetres=[("epci", [MGP])])
    assert result.complete


def test_the_metropole_and_one_of_its_ept_overlap(seine_saint_denis):
    errors = perimetre_conflicts(
        departement=seine_saint_denis,
        perimetres=[("Métropole", "epci", [MGP]), ("Plaine Commune", "epci", [PLAINE_COMMUNE])],
    )
    assert list(errors) == [1]
    assert errors[1].startswith(
        "Les communes suivantes sont déjà couvertes par la feuille de route « Métropole » : Aubervilliers, "
    )
    assert "Saint-Denis" in errors[1]


def test_two_distinct_ept_do_not_conflict(seine_saint_denis):
    assert (
        perimetre_conflicts(
            departement=seine_saint_denis,
            perimetres=[("Nord", "epci", [PLAINE_COMMUNE]), ("Est", "epci", [EST_ENSEMBLE, GRAND_EST])],
        )
        == {}
    )
