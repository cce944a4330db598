import io
import itertools

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


def test_seed_demo_runs_the_campaign_now_with_named_people(client):
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from gouvernances import demo, selectors
    from gouvernances.models import Echeance

    from .conftest import seed_calendar

    # The calendar as the migration seeds it: the 2023 campaign, every deadline past.
    Echeance.objects.all().delete()
    seed_calendar()
    before = list(Echeance.objects.order_by("date_limite").values_list("date_limite", flat=True))
    call_command("seed_demo", stdout=io.StringIO())

    today = timezone.localdate()
    after = list(Echeance.objects.order_by("date_limite").values_list("date_limite", flat=True))
    assert selectors.echeance_gouvernance().date_limite == today + datetime.timedelta(
        days=demo.PRESSENTIE_DANS
    )
    assert [b - a for a, b in itertools.pairwise(after)] == [b - a for a, b in itertools.pairwise(before)]
    assert after[0] < today < after[-1]  # some deadlines past, some ahead
    feuilles = Echeance.objects.get(code="feuilles-de-route")
    assert feuilles.date_affichee.endswith(str(feuilles.date_limite.year))

    gouvernance = Gouvernance.objects.get(departement="58")
    assert gouvernance.rouverte_jusquau is None  # open because the campaign runs, not reopened
    membres = list(gouvernance.membres.all())
    noms = {m.referent_nom for m in membres} | {m.suppleant_nom for m in membres}
    assert not any(nom.startswith(("Référent", "Suppléant")) for nom in noms)
    assert gouvernance.membres.get(departement_id="58").referent_fonction == (
        "Vice-présidente chargée du numérique"
    )

    home = client.get(reverse("espace:home")).content.decode()
    assert "Prochaine échéance" in home
    assert home.count("Passée") == 1

    call_command("seed_demo", stdout=io.StringIO())  # idempotent: the calendar stays where it is
    assert list(Echeance.objects.order_by("date_limite").values_list("date_limite", flat=True)) == after
