import io

import pytest
from django.core.management import call_command

from feuilles_de_route.enums import TypePerimetre
from feuilles_de_route.services import perimetre_conflicts
from gouvernances.enums import StatutGouvernance
from gouvernances.models import Gouvernance

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_nievre_a_realistic_gouvernance_idempotently():
    call_command("seed_demo", stdout=io.StringIO())
    gouvernance = Gouvernance.objects.get(departement="58")
    assert gouvernance.statut == StatutGouvernance.PRESSENTIE
    feuilles = list(gouvernance.feuilles_de_route.prefetch_related("epcis"))
    assert [f.perimetre for f in feuilles].count(TypePerimetre.DEPARTEMENTAL) == 1
    infra = [f for f in feuilles if f.perimetre == TypePerimetre.EPCI]
    assert len(infra) >= 2
    assert all(f.epcis.exists() for f in infra)
    assert not perimetre_conflicts(
        departement=gouvernance.departement,
        perimetres=[(f.nom, f.perimetre, [e.code for e in f.epcis.all()]) for f in feuilles],
    )
    assert gouvernance.membres.filter(est_coporteur=True).count() == 2
    assert gouvernance.comites.count() == 2
    assert gouvernance.coordinations.count() == 2
    counts = (gouvernance.membres.count(), len(feuilles))
    call_command("seed_demo", stdout=io.StringIO())
    gouvernance.refresh_from_db()
    assert (gouvernance.membres.count(), gouvernance.feuilles_de_route.count()) == counts
