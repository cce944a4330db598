"""A public Nièvre for the open data: a gouvernance sent with members of every kind, feuilles de
route (one approved, with targets), besoins and a comité; a draft in the Côte-d'Or (never
public). And the files, built by the publication service and read back from storage."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from besoins.enums import Item
from donnees_ouvertes import services
from donnees_ouvertes.enums import Declencheur
from feuilles_de_route.enums import Indicateur, StatutDocument, TypePerimetre
from feuilles_de_route.models import IndicateurCible
from gouvernances.enums import StatutGouvernance
from national.models import SuiviDepartement
from territoires.models import Departement, Epci
from tests.besoins.factories import BesoinFactory, BesoinsFactory
from tests.feuilles_de_route.factories import (
    ComiteFactory,
    DocumentFactory,
    FeuilleDeRouteFactory,
    GouvernanceFactory,
    MembreFactory,
)

NEVERS_AGGLO = "245804406"
HAUT_NIVERNAIS = "200067429"
SIRET_STRUCTURE = "35600000000048"  # La Poste: SIREN 356000000
SUIVI = "Note de suivi ANCT : relancer le préfet"


def nievre_publique(*, membres_en_plus: int = 0, feuilles_en_plus: int = 0) -> dict:
    """The Nièvre's gouvernance, sent (définitive), and what hangs on it."""
    gouvernance = GouvernanceFactory(definitive=True)
    cd = MembreFactory(gouvernance=gouvernance, departement_cd=True, coporteur=True)
    agglo = MembreFactory(gouvernance=gouvernance, epci_code=NEVERS_AGGLO, coporteur=True)
    MembreFactory(gouvernance=gouvernance, epci_code=HAUT_NIVERNAIS)
    structure = MembreFactory(
        gouvernance=gouvernance, structure_nom="La Poste — Nièvre", structure_siret=SIRET_STRUCTURE
    )
    for _ in range(membres_en_plus):
        MembreFactory(gouvernance=gouvernance)
    ComiteFactory(gouvernance=gouvernance)
    departementale = FeuilleDeRouteFactory(
        gouvernance=gouvernance, porteur=cd, nom="Feuille de route départementale de la Nièvre"
    )
    infra = FeuilleDeRouteFactory(
        gouvernance=gouvernance,
        porteur=agglo,
        nom="Nevers numérique",
        perimetre=TypePerimetre.EPCI,
        epcis=[Epci.objects.get(code=NEVERS_AGGLO), Epci.objects.get(code=HAUT_NIVERNAIS)],
        contrat_preexistant="crte",
    )
    prefecture_seule = FeuilleDeRouteFactory(gouvernance=gouvernance, porteur=None, nom="Morvan connecté")
    for n in range(feuilles_en_plus):
        FeuilleDeRouteFactory(gouvernance=gouvernance, porteur=structure, nom=f"Feuille {n}")
    approuvee = DocumentFactory(
        feuille_de_route=departementale,
        statut=StatutDocument.APPROUVEE,
        approuvee_le=datetime.date(2024, 5, 14),
    )
    IndicateurCible.objects.create(
        document=approuvee, indicateur=Indicateur.CONSEILLERS, cible_2023=20, cible_2025=25, cible_2027=30
    )
    IndicateurCible.objects.create(document=approuvee, indicateur=Indicateur.LIEUX, cible_2027=120)
    # A version in redaction after the approved one: its targets are not published.
    brouillon = DocumentFactory(feuille_de_route=departementale, numero=2)
    IndicateurCible.objects.create(document=brouillon, indicateur=Indicateur.CONSEILLERS, cible_2027=999)
    besoins = BesoinsFactory(gouvernance=gouvernance, chef=True)
    BesoinFactory(besoins=besoins, rh_et_prestation=True)  # diagnostic: 0.5 ETP and a prestation
    BesoinFactory(besoins=besoins, item=Item.SUBVENTIONS, rh=True)  # 1 ETP
    BesoinFactory(besoins=besoins, formation=True)  # 20 people
    BesoinFactory(
        besoins=besoins,
        item=Item.FORMER_AUTRE,
        prestation=False,
        personnes_a_former=5,
        forme_des_personnes=True,  # an « autre » that trains people: its head count counts
        precision="Former Jeanne Dupont",
    )
    SuiviDepartement.objects.create(departement=gouvernance.departement, commentaire=SUIVI, probleme="Retard")
    # The Côte-d'Or only has a draft: not public.
    GouvernanceFactory(
        departement=Departement.objects.get(code="21"),
        statut=StatutGouvernance.BROUILLON,
        sous_prefet_email="sp@cote-dor.gouv.example",
    )
    return {
        "gouvernance": gouvernance,
        "cd": cd,
        "agglo": agglo,
        "structure": structure,
        "departementale": departementale,
        "infra": infra,
        "prefecture_seule": prefecture_seule,
    }


@pytest.fixture
def nievre(db):
    return nievre_publique()


def publier(declencheur=Declencheur.COMMANDE) -> dict:
    """Run a build; {(data set, format): the bytes stored}."""
    publication = services.publication_run(declencheur=declencheur)
    assert publication is not None
    found = {}
    for fichier in publication.fichiers.all():
        with default_storage.open(fichier.nom, "rb") as content:
            found[(fichier.jeu, fichier.format)] = content.read()
    return found


def hier(days: int = 1):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture(scope="module")
def publie(django_db_setup, django_db_blocker, tmp_path_factory):
    """The public Nièvre and its files, built once for a module inside a transaction rolled back
    at its end (the way tests/nievre.py builds the access matrix's data): (objects, files)."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            from tests.nievre import open_campaign

            open_campaign()
            objects = nievre_publique()
            yield objects, publier()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
