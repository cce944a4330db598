"""Périmètre rules on the real Nièvre of the referential (loaded by tests/conftest.py)."""

import pytest

from feuilles_de_route.selectors import couverture, couverture_of_gouvernance
from feuilles_de_route.services import perimetre_conflicts
from territoires.models import Commune, Departement
from tests.gouvernances.factories import FeuilleDeRouteFactory, GouvernanceFactory
from tests.gouvernances.helpers import HAUT_NIVERNAIS, LOIRE_ALLIER, MOULINS, NEVERS

pytestmark = pytest.mark.django_db

NIEVRE_COMMUNES = 309
NIEVRE_POPULATION = 201_417


@pytest.fixture
def nievre():
    return Departement.objects.get(code="58")


def test_two_infra_feuilles_de_route_covering_the_same_commune_are_refused_with_the_communes_named(nievre):
    errors = perimetre_conflicts(
        departement=nievre,
        perimetres=[
            ("Nord Nivernais", "epci", [HAUT_NIVERNAIS, NEVERS]),
            ("Départementale", "departemental", []),
            ("Clamecy et Vézelien", "epci", [HAUT_NIVERNAIS]),
        ],
    )
    assert list(errors) == [2]
    message = errors[2]
    assert message.startswith(
        "Les communes suivantes sont déjà couvertes par la feuille de route « Nord Nivernais » : "
    )
    assert "Clamecy" in message
    # Only the Nièvre's communes of the EPCI are named (it straddles the Yonne), at most 15 then a count.
    nievre_communes = Commune.objects.filter(epci=HAUT_NIVERNAIS, departement=nievre).count()
    assert nievre_communes == 26
    assert f"et {nievre_communes - 15} autres." in message


def test_distinct_infra_perimetres_and_a_departementale_do_not_conflict(nievre):
    assert (
        perimetre_conflicts(
            departement=nievre,
            perimetres=[
                ("Départementale", "departemental", []),
                ("Nevers", "epci", [NEVERS]),
                ("Clamecy", "epci", [HAUT_NIVERNAIS]),
                ("Régionale", "regional", []),
            ],
        )
        == {}
    )


def test_coverage_of_infra_feuilles_de_route_on_the_real_nievre(nievre, django_assert_num_queries):
    nevers = Commune.objects.filter(epci=NEVERS)
    with django_assert_num_queries(2):
        result = couverture(departement=nievre, perimetres=[("epci", [NEVERS]), ("epci", [LOIRE_ALLIER])])
    assert result.communes_total == NIEVRE_COMMUNES
    assert result.population_totale == NIEVRE_POPULATION
    loire_allier = Commune.objects.filter(epci=LOIRE_ALLIER)
    assert result.communes_couvertes == nevers.count() + loire_allier.count() == 19
    assert result.population_couverte == sum(c.population for c in [*nevers, *loire_allier])
    assert not result.complete
    uncovered = {e.code for e in result.epcis_non_couverts}
    assert NEVERS not in uncovered
    assert HAUT_NIVERNAIS in uncovered
    assert len(uncovered) == 11


def test_a_straddling_epci_counts_only_its_communes_of_the_departement(nievre):
    result = couverture(departement=nievre, perimetres=[("epci", [MOULINS])])
    # CA Moulins Communauté: 44 communes, of which Dornes and Saint-Parize-en-Viry are in the Nièvre.
    assert result.communes_couvertes == 2
    assert result.population_couverte == 1437 + 139
    allier = couverture(departement=Departement.objects.get(code="03"), perimetres=[("epci", [MOULINS])])
    assert allier.communes_couvertes == 42


def test_a_departementale_covers_the_whole_departement(nievre):
    result = couverture(departement=nievre, perimetres=[("departemental", []), ("epci", [NEVERS])])
    assert result.complete
    assert result.population_couverte == NIEVRE_POPULATION
    assert result.communes_couvertes_infra == 14


def test_coverage_of_a_gouvernance(nievre):
    gouvernance = GouvernanceFactory()
    FeuilleDeRouteFactory(gouvernance=gouvernance, infra=True, epcis=[NEVERS])
    result = couverture_of_gouvernance(gouvernance=gouvernance)
    assert result.communes_couvertes == 14
