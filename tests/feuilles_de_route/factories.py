import factory

from feuilles_de_route.models import Axe, Document, FicheAction
from tests.gouvernances import factories as gouvernance_factories
from tests.gouvernances.factories import (  # noqa: F401 - re-exported for the tests
    ComiteFactory,
    GouvernanceFactory,
    MembreFactory,
)


class FeuilleDeRouteFactory(gouvernance_factories.FeuilleDeRouteFactory):
    class Meta:
        skip_postgeneration_save = True


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    feuille_de_route = factory.SubFactory(FeuilleDeRouteFactory)
    specificites = "Un département rural et vieillissant."


class AxeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axe

    document = factory.SubFactory(DocumentFactory)
    nom = factory.Sequence(lambda n: f"Axe {n}")
    ordre = factory.Sequence(int)
    description = "Pourquoi cet axe."


class FicheActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FicheAction

    axe = factory.SubFactory(AxeFactory)
    nom = factory.Sequence(lambda n: f"Fiche action {n}")
    ordre = factory.Sequence(int)
    pilote = "Conseil départemental"
