"""Only what is public is published, tested on seed_demo's Nièvre, which holds everything that
must not be: a note de contexte, a sous-préfet, référents and suppléants, candidates' contacts,
free texts in the besoins, a follow-up note of ANCT (added here) — and it is demonstration data,
left out altogether unless a demonstration site asks for it."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from comptes.models import User
from donnees_ouvertes.jeux import PUBLIES
from gouvernances.enums import Section, StatutGouvernance
from gouvernances.models import Gouvernance, SectionState
from national.models import SuiviDepartement
from national.seed import SEED_DOMAIN
from territoires.models import Departement
from tests.donnees_ouvertes.conftest import publier
from tests.gouvernances.factories import GouvernanceFactory, MembreFactory

pytestmark = pytest.mark.django_db

SUIVI_DEMO = "Relance téléphonique du SGAR prévue"
# Everything of seed_demo's Nièvre that is not public (see gouvernances/demo.py, besoins/demo.py,
# candidatures/demo.py): the note, the sous-préfète, the members' référents and suppléants, the
# candidates' contacts, the besoins' free texts, and the follow-up note added by the fixture.
PRIVATE = (
    "Contexte territorial",
    "Concertation du 14 novembre",
    "claire.martin",
    "nievre.gouv.example",
    "Référent",
    "Suppléant",
    "Élu·e en charge du numérique",
    "nievre-departement.example",
    "epci-nievre.example",
    "partenaire.example",
    "helene.morin@",
    "Vice-présidente chargée du numérique",
    "julien.roux@",
    "nadia.benali@",
    "Directrice",
    "Former les agents d'accueil",
    "en lien avec la Nièvre Numérique",
    SUIVI_DEMO,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo's data, once for the module (rolled back at its end)."""
    from django.db import transaction

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
            SuiviDepartement.objects.create(departement_id="58", commentaire=SUIVI_DEMO, probleme="")
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _text(fichiers) -> str:
    return "\n".join(content.decode("utf-8") for content in fichiers.values())


def test_demonstration_data_are_left_out(demo):
    fichiers = publier()
    text = _text(fichiers)
    gouvernance = next(
        line for line in fichiers[("gouvernances", "csv")].decode().splitlines() if line.startswith("58,")
    )
    assert ",non_remontee," in gouvernance
    for jeu in ("membres", "feuilles-de-route", "besoins-ingenierie"):
        assert fichiers[(jeu, "json")] == b"[]\n", jeu
    # The diagnostic's demo files are fictional: their figures are not published either.
    assert '"nombre_lieux":null' in fichiers[("diagnostic-communes", "json")].decode()
    assert '"nombre_lieux":0' not in fichiers[("diagnostic-communes", "json")].decode()
    assert "Nevers Agglomération numérique inclusive" not in text


def test_what_a_demonstration_site_publishes_holds_nothing_private(demo, settings, client):
    settings.DONNEES_OUVERTES_DEMONSTRATION = True
    fichiers = publier()
    text = _text(fichiers)
    # The demonstration Nièvre is there…
    assert "Nevers Agglomération numérique inclusive" in text
    assert "La Poste — bureau de Nevers" in text
    assert '"code_departement":"58","besoins":"diagnostic|' in text
    # … without anything private.
    for private in PRIVATE:
        assert private not in text, private
    responses = [
        client.get(f"/api/v1/{path}")
        for path in (
            "gouvernances/58",
            "membres?departement=58",
            "feuilles-de-route?departement=58",
            "besoins-ingenierie",
            "diagnostic/communes?departement=58&par_page=1000",
        )
    ]
    assert [r.status_code for r in responses] == [200] * 5
    api_text = "\n".join(r.content.decode() for r in responses)
    assert "CA de Nevers" in api_text
    for private in PRIVATE:
        assert private not in api_text, private
    nevers = next(c for c in responses[-1].json()["resultats"] if c["code_commune"] == "58194")
    assert nevers["nombre_lieux"] > 0  # the demo's (fictional) lieux, on a demonstration site only


def _statut(fichiers, code: str) -> str:
    rows = csv.DictReader(io.StringIO(fichiers[("gouvernances", "csv")].decode()))
    return next(row["statut"] for row in rows if row["code_departement"] == code)


def test_seed_national_gouvernances_are_demonstration(db, settings):
    GouvernanceFactory(
        departement=Departement.objects.get(code="21"),
        statut=StatutGouvernance.PRESSENTIE,
        sous_prefet_email=f"jean.dupont.0@{SEED_DOMAIN}",
    )
    assert _statut(publier(), "21") == "non_remontee"
    settings.DONNEES_OUVERTES_DEMONSTRATION = True
    assert _statut(publier(), "21") == "pressentie"


def test_a_gouvernance_a_demonstration_account_saved_is_demonstration(demo, db):
    """seed_demo's accounts write its gouvernance: whoever edits it afterwards, it stays demo."""
    gouvernance = GouvernanceFactory(departement=Departement.objects.get(code="21"), definitive=True)
    MembreFactory(gouvernance=gouvernance, departement_cd=True, coporteur=True)
    assert "Conseil départemental de la Côte-d'Or" in publier()[("membres", "csv")].decode()
    demo_admin = User.objects.get(email="admin@anct.demo.example")  # seed_demo's administrator
    SectionState.objects.create(
        gouvernance=gouvernance, section=Section.MEMBRES, version=1, modifie_par=demo_admin
    )
    assert "Côte-d'Or" not in publier()[("membres", "csv")].decode()
    assert _statut(publier(), "21") == "non_remontee"
    assert Gouvernance.objects.filter(pk=gouvernance.pk).exists()


def test_every_published_field_is_declared_public():
    """No field of a published data set comes from a private column (a guard for new fields)."""
    forbidden = (
        "note",
        "sous_prefet",
        "referent",
        "suppleant",
        "email",
        "contact",
        "suivi",
        "precision",
        "siret",
    )
    for jeu in PUBLIES.values():
        for nom in jeu.noms:
            assert not any(word in nom for word in forbidden), (jeu.slug, nom)
