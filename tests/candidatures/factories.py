import factory
from django.utils import timezone

from candidatures.enums import EtapePorter, Intention, Persona, Statut, TypeContact
from candidatures.models import AutreStructure, Contact, ManifestationInteret, PerimetreCollectivite
from comptes.enums import Role
from comptes.models import User
from territoires.enums import TypeCollectivite
from territoires.models import Commune, Departement, Epci


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"candidat{n}@mairie.example")
    role = Role.STRUCTURE


class ManifestationFactory(factory.django.DjangoModelFactory):
    """A draft « participer » form of the commune of Nevers by default; Traits for other states."""

    class Meta:
        model = ManifestationInteret

    user = factory.SubFactory(UserFactory)
    persona = Persona.COMMUNE
    intention = Intention.PARTICIPER
    type_collectivite = TypeCollectivite.COMMUNE
    commune = factory.LazyFunction(lambda: Commune.objects.get(code="58194"))

    class Params:
        confirmee = factory.Trait(statut=Statut.CONFIRMEE, confirmee_le=factory.LazyFunction(timezone.now))
        annulee = factory.Trait(
            statut=Statut.ANNULEE,
            confirmee_le=factory.LazyFunction(timezone.now),
            annulee_le=factory.LazyFunction(timezone.now),
        )
        structure = factory.Trait(
            persona=Persona.STRUCTURE,
            type_collectivite="",
            commune=None,
            structure_nom="Association Numérique en Morvan",
            structure_siret="73282932000074",
            structure_departement=factory.LazyFunction(lambda: Departement.objects.get(code="58")),
            structure_type="association",
        )
        porteur_departement = factory.Trait(
            persona=Persona.CONSEIL_DEPARTEMENTAL,
            intention=Intention.PORTER,
            type_collectivite=TypeCollectivite.DEPARTEMENT,
            commune=None,
            departement=factory.LazyFunction(lambda: Departement.objects.get(code="58")),
            etape=EtapePorter.RECAPITULATIF,
        )
        porteur_epci = factory.Trait(
            persona=Persona.EPCI,
            intention=Intention.PORTER,
            type_collectivite=TypeCollectivite.EPCI,
            commune=None,
            epci=factory.LazyFunction(
                lambda: Epci.objects.filter(departements="58").order_by("code").first()
            ),
            etape=EtapePorter.RECAPITULATIF,
        )
        conseil_regional = factory.Trait(
            persona=Persona.CONSEIL_REGIONAL,
            type_collectivite=TypeCollectivite.REGION,
            commune=None,
            region_id="27",
        )


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    manifestation = factory.SubFactory(ManifestationFactory)
    type = TypeContact.POLITIQUE
    nom = factory.Sequence(lambda n: f"Martin{n}")
    prenom = "Claire"
    fonction = "Adjointe au numérique"
    email = factory.Sequence(lambda n: f"claire.martin{n}@nevers.example")


class PerimetreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerimetreCollectivite

    manifestation = factory.SubFactory(ManifestationFactory, porteur_departement=True, confirmee=True)
    type_collectivite = TypeCollectivite.COMMUNE
    commune = factory.LazyFunction(lambda: Commune.objects.get(code="58194"))


class AutreStructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AutreStructure

    manifestation = factory.SubFactory(ManifestationFactory, porteur_departement=True, confirmee=True)
    nom = "Emmaüs Connect Nièvre"
