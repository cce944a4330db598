import pytest

from tests.feuilles_de_route.factories import DocumentFactory, FeuilleDeRouteFactory, MembreFactory
from tests.gouvernances.conftest import campagne_ouverte  # noqa: F401 - autouse fixture


@pytest.fixture
def feuille():
    """A feuille de route of the Nièvre, carried by its conseil départemental."""
    porteur = MembreFactory(departement_cd=True)
    return FeuilleDeRouteFactory(
        gouvernance=porteur.gouvernance, porteur=porteur, nom="Feuille de route de la Nièvre"
    )


@pytest.fixture
def document(feuille):
    """Its current document, without axes yet."""
    return DocumentFactory(feuille_de_route=feuille)
