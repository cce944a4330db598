import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from feuilles_de_route.enums import StatutDocument, TypePerimetre
from feuilles_de_route.models import Document
from gouvernances.enums import StatutGouvernance
from gouvernances.models import Echeance
from territoires.models import Departement, Epci
from tests.candidatures.factories import ManifestationFactory
from tests.gouvernances.factories import FeuilleDeRouteFactory, GouvernanceFactory, MembreFactory


def seed_calendar() -> None:
    import_module("gouvernances.migrations.0002_echeances_campagne_2023").seed(apps, None)


@pytest.fixture(autouse=True)
def calendrier(db):
    """The 2023 campaign calendar of the data migration (a transactional test may have flushed it)."""
    seed_calendar()


def aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def cas_simple(db):
    """A small hand-built country (the test referential has 11 départements):
    - 58 Nièvre: pressentie on time (10/10/2023), CD co-porteur, 1 départementale;
    - 21 Côte-d'Or: définitive, pressentie late (20/10/2023), an EPCI co-porteur, 2 feuilles de
      route, one approved; besoins;
    - 89 Yonne: brouillon. The other 8 départements: nothing.
    Candidates: CD 58 porter, commune of Nevers participer, one structure participer."""
    nievre = GouvernanceFactory(
        departement=Departement.objects.get(code="58"),
        statut=StatutGouvernance.PRESSENTIE,
        pressentie_remontee_le=aware(datetime.date(2023, 10, 10)),
    )
    cd58 = MembreFactory(gouvernance=nievre, departement_cd=True, coporteur=True)
    MembreFactory(gouvernance=nievre)
    FeuilleDeRouteFactory(gouvernance=nievre, porteur=cd58)

    cote_dor = GouvernanceFactory(
        departement=Departement.objects.get(code="21"),
        statut=StatutGouvernance.DEFINITIVE,
        pressentie_remontee_le=aware(datetime.date(2023, 10, 20)),
        definitive_remontee_le=aware(datetime.date(2023, 12, 20)),
        sous_prefet_email="sp@cote-dor.gouv.example",
    )
    epci = Epci.objects.filter(departements="21").order_by("code").first()
    porteur = MembreFactory(gouvernance=cote_dor, epci_code=epci.code, coporteur=True)
    MembreFactory(gouvernance=cote_dor)
    MembreFactory(gouvernance=cote_dor)
    FeuilleDeRouteFactory(gouvernance=cote_dor)
    approuvee = FeuilleDeRouteFactory(
        gouvernance=cote_dor, porteur=porteur, perimetre=TypePerimetre.EPCI, epcis=[epci]
    )
    Document.objects.create(
        feuille_de_route=approuvee, statut=StatutDocument.APPROUVEE, approuvee_le=datetime.date(2024, 6, 1)
    )
    from besoins.enums import Categorie, Item
    from besoins.models import Besoin, Besoins

    besoins = Besoins.objects.create(gouvernance=cote_dor)
    Besoin.objects.create(
        besoins=besoins,
        categorie=Categorie.FORMALISER,
        item=Item.DIAGNOSTIC,
        ressource_humaine=True,
        etp="1.5",
    )
    Besoin.objects.create(
        besoins=besoins, categorie=Categorie.FORMER, item=Item.FORMER_AGENTS, personnes_a_former=12
    )

    GouvernanceFactory(
        departement=Departement.objects.get(code="89"), sous_prefet_email="sp@yonne.gouv.example"
    )

    ManifestationFactory(confirmee=True, porteur_departement=True)
    ManifestationFactory(confirmee=True)
    ManifestationFactory(confirmee=True, structure=True)
    ManifestationFactory()  # a draft: not a candidacy
    return {"58": nievre, "21": cote_dor}


@pytest.fixture
def echeance_pressentie(db):
    return Echeance.objects.get(code="gouvernance-pressentie")
