import factory
from django.utils import timezone

from feuilles_de_route.enums import ContratPreexistant, TypePerimetre
from feuilles_de_route.models import FeuilleDeRoute
from gouvernances.enums import Frequence, StatutGouvernance, TypeComite
from gouvernances.models import Comite, Coordination, Gouvernance, Membre
from territoires.enums import TypeCollectivite
from territoires.models import Departement, Epci


class GouvernanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gouvernance
        django_get_or_create = ("departement",)

    departement = factory.LazyFunction(lambda: Departement.objects.get(code="58"))
    sous_prefet_prenom = "Claire"
    sous_prefet_nom = "Sous-Préfète"
    sous_prefet_email = "sous-prefete@nievre.gouv.example"
    pas_de_coporteur = True
    note_contexte = "<p>Note confidentielle de contexte</p>"

    class Params:
        pressentie = factory.Trait(
            statut=StatutGouvernance.PRESSENTIE, pressentie_remontee_le=factory.LazyFunction(timezone.now)
        )
        definitive = factory.Trait(
            statut=StatutGouvernance.DEFINITIVE,
            pressentie_remontee_le=factory.LazyFunction(timezone.now),
            definitive_remontee_le=factory.LazyFunction(timezone.now),
        )


class MembreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membre

    gouvernance = factory.SubFactory(GouvernanceFactory)
    structure_nom = factory.Sequence(lambda n: f"Association numérique {n}")
    structure_siret = ""
    referent_prenom = "Alice"
    referent_nom = factory.Sequence(lambda n: f"Référente {n}")
    referent_fonction = "Directrice"
    referent_email = factory.Sequence(lambda n: f"referent{n}@example.org")
    suppleant_prenom = "Bruno"
    suppleant_nom = factory.Sequence(lambda n: f"Suppléant {n}")
    suppleant_fonction = "Chargé de mission"
    suppleant_email = factory.Sequence(lambda n: f"suppleant{n}@example.org")

    class Params:
        departement_cd = factory.Trait(
            structure_nom="",
            type_collectivite=TypeCollectivite.DEPARTEMENT,
            departement=factory.LazyAttribute(lambda o: o.gouvernance.departement),
        )
        coporteur = factory.Trait(est_coporteur=True)

    epci_code = None  # a SIREN: the member is that EPCI

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        epci_code = kwargs.pop("epci_code", None)
        if epci_code:
            kwargs.update(
                structure_nom="",
                type_collectivite=TypeCollectivite.EPCI,
                epci=Epci.objects.get(code=epci_code),
            )
        return super()._create(model_class, *args, **kwargs)


class ComiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comite

    gouvernance = factory.SubFactory(GouvernanceFactory)
    type = TypeComite.STRATEGIQUE
    frequence = Frequence.SEMESTRIELLE
    composition = "Préfet, co-porteurs, membres"
    role = "Valider les orientations"


class CoordinationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordination

    gouvernance = factory.SubFactory(GouvernanceFactory)
    structure_nom = "La Poste"
    structure_siret = "35600000000048"
    nombre_postes = 1


class FeuilleDeRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeuilleDeRoute
        skip_postgeneration_save = True

    gouvernance = factory.SubFactory(GouvernanceFactory)
    nom = factory.Sequence(lambda n: f"Feuille de route {n}")
    perimetre = TypePerimetre.DEPARTEMENTAL
    contrat_preexistant = ContratPreexistant.AUCUN

    class Params:
        infra = factory.Trait(perimetre=TypePerimetre.EPCI)

    @factory.post_generation
    def epcis(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.epcis.set(extracted)
