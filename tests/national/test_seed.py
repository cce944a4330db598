from django.core.management import call_command

from candidatures.models import ManifestationInteret
from feuilles_de_route.enums import TypePerimetre
from feuilles_de_route.models import FeuilleDeRoute
from gouvernances.models import Gouvernance, Membre
from national.seed import SEED_DOMAIN
from territoires.models import Commune


def _snapshot():
    return (
        sorted(Gouvernance.objects.values_list("departement_id", "statut")),
        Membre.objects.count(),
        sorted(FeuilleDeRoute.objects.values_list("nom", "perimetre")),
        ManifestationInteret.objects.count(),
    )


def test_seed_national_is_deterministic_idempotent_and_resettable(db, capsys):
    call_command("seed_national", departements=5, seed=7)
    first = _snapshot()
    assert first[1] > 0
    assert first[3] > 0
    assert {p for _, p in first[2]} <= set(TypePerimetre.values)
    call_command("seed_national", departements=5, seed=7)  # idempotent: nothing added
    assert _snapshot() == first
    call_command("seed_national", departements=5, seed=7, reset=True)  # same seed, same data
    assert _snapshot() == first
    call_command("seed_national", departements=1, seed=7, reset=True)
    assert Gouvernance.objects.filter(sous_prefet_email__endswith=SEED_DOMAIN).count() <= 1


def test_seeded_infra_feuilles_never_share_a_commune(db):
    # Départements whose communes are in the test referential (Allier, Charente, Côte-d'Or…).
    call_command("seed_national", departements=30, seed=3)
    for gouvernance in Gouvernance.objects.prefetch_related("feuilles_de_route__epcis"):
        seen = set()
        for feuille in gouvernance.feuilles_de_route.all():
            if feuille.perimetre != TypePerimetre.EPCI:
                continue
            communes = set(
                Commune.objects.filter(
                    epci__in=feuille.epcis.all(), departement=gouvernance.departement
                ).values_list("code", flat=True)
            )
            assert not communes & seen
            seen |= communes
