"""seed_demo gives the Nièvre demandes in each status, once."""

import io

from django.core.management import call_command

from subventions.enums import Fonds, StatutDemande
from subventions.models import Demande, Dotation, NoteSubventions


def test_seed_demo_has_a_demande_in_each_status_and_runs_twice(db):
    call_command("seed_demo", stdout=io.StringIO())
    demandes = Demande.objects.filter(gouvernance__departement_id="58")
    statuts = {d.statut_affiche for d in demandes}
    assert statuts == {"Brouillon", "Modification demandée", "Validée et envoyée", "Acceptée", "Rejetée"}
    assert demandes.filter(fonds=Fonds.FORMATION, statut=StatutDemande.ACCEPTEE).count() == 1
    assert NoteSubventions.objects.filter(gouvernance__departement_id="58").exists()
    assert Dotation.objects.filter(departement_id="58", fonds=Fonds.INGENIERIE, annee=2024).exists()
    snapshot = sorted(demandes.values_list("pk", "statut", "version"))

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Subventions de démonstration de la Nièvre : déjà présentes." in out.getvalue()
    assert sorted(demandes.values_list("pk", "statut", "version")) == snapshot


def test_seed_national_sets_plausible_dotations_once(db):
    out = io.StringIO()
    call_command("seed_national", departements=3, seed=7, stdout=out)
    assert "dotations : " in out.getvalue()
    ingenierie = Dotation.objects.filter(fonds=Fonds.INGENIERIE, annee=2024)
    assert sum(ingenierie.values_list("montant", flat=True)) == 5_000_000
    count = Dotation.objects.count()
    call_command("seed_national", departements=3, seed=7, stdout=io.StringIO())
    assert Dotation.objects.count() == count
