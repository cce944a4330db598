"""A small, hand-computable territory (département 99, outside the real referential) and its data."""

import factory

from diagnostic.models import (
    AidantsConnectStructure,
    ConseillersNumeriquesActivite,
    IndiceFragilite,
    LieuMediation,
)
from territoires.models import Commune, Departement, Epci, Region


class LieuMediationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LieuMediation

    source = "Tests"
    identifiant = factory.Sequence(lambda n: f"lieu-{n}")
    nom = factory.Sequence(lambda n: f"Lieu {n}")
    adresse = "1 place de la Mairie"
    code_postal = "99000"
    typologie = "EPN"
    typologies = factory.LazyAttribute(lambda o: [o.typologie] if o.typologie else [])

    class Params:
        france_services_label = factory.Trait(france_services=True, dispositifs=["France Services"])
        cnfs = factory.Trait(conseillers_numeriques=True, dispositifs=["Conseillers numériques"])


class AidantsConnectStructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidantsConnectStructure

    uuid = factory.Faker("uuid4")
    identifiant = factory.Sequence(lambda n: n + 1)
    nom = factory.Sequence(lambda n: f"Structure {n}")
    actif = True

    class Params:
        inactive = factory.Trait(actif=False)


def petit_territoire():
    """Four communes: Alpha 1 000 hab., Beta 3 000, Gamma 500, Delta 500 (Delta outside any EPCI).

    Lieux: 2 in Alpha (a BIB with conseillers numériques, an EPN), 1 in Beta (France services, ZRR).
    IFN: Alpha 8.0, Beta 4.0, Gamma 9.0, Delta none; the EPCI 6.5. Aidants Connect: 3 aidants in an
    active structure of Alpha, 5 in an inactive one of Beta. Conseillers numériques: 100
    accompagnements, 80 usagers.
    """
    region = Region.objects.create(code="99", nom="Région d'essai", nom_recherche="region d essai")
    departement = Departement.objects.create(
        code="99",
        nom="Département d'essai",
        nom_recherche="departement d essai",
        region=region,
        population=5000,
    )
    epci = Epci.objects.create(
        code="999999999", nom="CC d'essai", nom_recherche="cc d essai", type="CC", population=4500
    )
    epci.departements.add(departement)
    communes = {}
    for code, nom, population, member in [
        ("99001", "Alpha", 1000, True),
        ("99002", "Beta", 3000, True),
        ("99003", "Gamma", 500, True),
        ("99004", "Delta", 500, False),
    ]:
        communes[nom] = Commune.objects.create(
            code=code,
            nom=nom,
            nom_recherche=nom.lower(),
            departement=departement,
            epci=epci if member else None,
            population=population,
            codes_postaux="99000",
        )
    LieuMediationFactory(commune=communes["Alpha"], typologie="BIB", cnfs=True)
    LieuMediationFactory(commune=communes["Alpha"], typologie="EPN")
    LieuMediationFactory(commune=communes["Beta"], typologie="RFS", france_services_label=True, en_zrr=True)
    for nom, score in [("Alpha", 8.0), ("Beta", 4.0), ("Gamma", 9.0)]:
        IndiceFragilite.objects.create(commune=communes[nom], code_source=communes[nom].code, score=score)
    IndiceFragilite.objects.create(epci=epci, code_source=epci.code, score=6.5)
    AidantsConnectStructureFactory(commune=communes["Alpha"], nb_aidants=3, nb_usagers=10, nb_demarches=20)
    AidantsConnectStructureFactory(commune=communes["Beta"], nb_aidants=5, inactive=True)
    ConseillersNumeriquesActivite.objects.create(departement=departement, accompagnements=100, usagers=80)
    return departement, communes
