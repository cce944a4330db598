"""seed_demo fills the Nièvre's besoins once (after the gouvernance), and says so when it cannot."""

import io

from django.core.management import call_command

from besoins import demo
from besoins.models import Besoins
from besoins.rules import cartes_attendues, ordre_valide

from .conftest import fermer_campagne


def test_seed_demo_fills_the_nievre_once(gouvernance_58):
    fermer_campagne()  # a demo seeded after the campaign still gets its besoins
    call_command("seed_demo", stdout=io.StringIO())
    besoins = Besoins.objects.get(gouvernance__departement_id="58")
    snapshot = (besoins.version, list(besoins.lignes.values_list("item", "etp", "personnes_a_former")))
    assert besoins.lignes.count() == 10
    assert besoins.chef_de_projet is True
    assert besoins.priorisee_le is not None
    cartes = cartes_attendues([row.as_ligne() for row in besoins.lignes.all()])
    assert ordre_valide(besoins.priorites, [carte.cle for carte in cartes])

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    besoins.refresh_from_db()
    assert (
        besoins.version,
        list(besoins.lignes.values_list("item", "etp", "personnes_a_former")),
    ) == snapshot
    assert "déjà présents" in out.getvalue()


def test_besoins_seed_without_gouvernance_creates_nothing(db):
    out = io.StringIO()
    demo.seed(stdout=out)
    assert not Besoins.objects.exists()
    assert "pas de gouvernance" in out.getvalue()
