from decimal import Decimal

import factory
from django.utils import timezone

from besoins.enums import CARTE_RESSOURCE_HUMAINE, CATEGORIE_OF, Item
from besoins.models import Besoin, Besoins
from tests.gouvernances.factories import GouvernanceFactory


class BesoinsFactory(factory.django.DjangoModelFactory):
    """An empty set of besoins for the Nièvre's gouvernance; Traits for filled-in states."""

    class Meta:
        model = Besoins
        django_get_or_create = ("gouvernance",)

    gouvernance = factory.SubFactory(GouvernanceFactory)
    version = 1

    class Params:
        chef = factory.Trait(chef_de_projet=True, chef_de_projet_structure="Conseil départemental")
        sans_chef = factory.Trait(chef_de_projet=False)
        priorisee = factory.Trait(priorisee_le=factory.LazyFunction(timezone.now))


class BesoinFactory(factory.django.DjangoModelFactory):
    """A selected item: « Faire un diagnostic territorial » by prestation unless a Trait says otherwise."""

    class Meta:
        model = Besoin

    besoins = factory.SubFactory(BesoinsFactory)
    item = Item.DIAGNOSTIC
    categorie = factory.LazyAttribute(lambda o: CATEGORIE_OF[Item(o.item)])
    prestation = True

    class Params:
        rh = factory.Trait(ressource_humaine=True, etp=Decimal("1"), prestation=False)
        rh_et_prestation = factory.Trait(ressource_humaine=True, etp=Decimal("0.5"), prestation=True)
        formation = factory.Trait(item=Item.FORMER_AGENTS, prestation=False, personnes_a_former=20)


def besoins_complets(gouvernance=None, **kwargs) -> Besoins:
    """A typical set: a diagnostic by RH + prestation, a fonds local by prestation, a formation."""
    besoins = BesoinsFactory(
        chef=True, priorisee=True, **({"gouvernance": gouvernance} if gouvernance else {}), **kwargs
    )
    BesoinFactory(besoins=besoins, rh_et_prestation=True)
    BesoinFactory(besoins=besoins, item=Item.FONDS_LOCAL)
    BesoinFactory(besoins=besoins, formation=True)
    besoins.priorites = [
        Item.FORMER_AGENTS.value,
        CARTE_RESSOURCE_HUMAINE,
        Item.DIAGNOSTIC.value,
        Item.FONDS_LOCAL.value,
    ]
    besoins.save()
    return besoins
