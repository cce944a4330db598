"""A Nièvre with content in every page that writes, for the reliability tests."""

import pytest

from tests.besoins.factories import besoins_complets
from tests.conftest import load_test_territoires
from tests.feuilles_de_route.factories import (
    AxeFactory,
    ComiteFactory,
    DocumentFactory,
    FeuilleDeRouteFactory,
    FicheActionFactory,
    GouvernanceFactory,
    MembreFactory,
)
from tests.gouvernances.conftest import campagne_ouverte  # noqa: F401 - autouse fixture
from tests.gouvernances.factories import CoordinationFactory


@pytest.fixture
def contenu_58(db):
    """A gouvernance whose seven sections hold something, a feuille de route with a written
    document (an axe, a fiche action) and the besoins en ingénierie."""
    gouvernance = GouvernanceFactory(pressentie=True, pas_de_coporteur=False)
    cd = MembreFactory(gouvernance=gouvernance, departement_cd=True, coporteur=True)
    MembreFactory(gouvernance=gouvernance)
    ComiteFactory(gouvernance=gouvernance)
    ComiteFactory(gouvernance=gouvernance, composition="Techniciens des EPCI", role="Préparer")
    CoordinationFactory(gouvernance=gouvernance)
    feuille = FeuilleDeRouteFactory(gouvernance=gouvernance, porteur=cd, nom="Feuille de route de la Nièvre")
    document = DocumentFactory(
        feuille_de_route=feuille,
        historique="Un schéma depuis 2019.",
        positionnement="Un territoire pionnier.",
        coordinateurs_postes=2,
        mutualisation="Mutualiser les lieux.",
    )
    axe = AxeFactory(document=document)
    fiche = FicheActionFactory(axe=axe, objectifs="Former 200 aidants.", description="Des ateliers.")
    besoins = besoins_complets(gouvernance=gouvernance)
    return {
        "gouvernance": gouvernance,
        "feuille": feuille,
        "document": document,
        "axe": axe,
        "fiche": fiche,
        "besoins": besoins,
    }


@pytest.fixture
def committed(transactional_db):
    """Committed data that other connections (threads, a worker process) see: the territory
    subset is loaded again when a previous transactional test flushed the tables."""
    from territoires.models import Departement

    if not Departement.objects.exists():
        load_test_territoires()
