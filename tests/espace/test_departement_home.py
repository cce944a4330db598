"""The espace départemental is cached until its data change: a new form, a cancelled one, an
edited referential, a gouvernance, besoins expressed or prioritised, a deadline moved in the
admin, a reopening, a dotation or a demande de subvention show on the next visit; viewers with
other rights never get each other's content."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from besoins import rules
from besoins import services as besoins_services
from besoins.enums import Item
from besoins.models import Besoins
from candidatures import services
from gouvernances.models import Echeance, Gouvernance
from gouvernances.services import gouvernance_reopen
from subventions.enums import StatutDemande
from territoires.models import Departement
from tests.candidatures.factories import ManifestationFactory
from tests.gouvernances.conftest import move_echeances
from tests.gouvernances.factories import GouvernanceFactory
from tests.subventions.factories import demande, nievre_subventions

pytestmark = pytest.mark.django_db

URL = reverse("espace:departement", kwargs={"code": "58"})


def compteur(html: str, name: str) -> int:
    return int(re.search(rf'data-compteur="{name}">(\d+)<', html).group(1))


def test_the_counters_follow_each_form_at_once(client_for, users, django_assert_num_queries):
    client = client_for("prefecture")
    assert compteur(client.get(URL).content.decode(), "porteurs_collectivites") == 0
    porteur = ManifestationFactory(porteur_departement=True, confirmee=True)
    assert compteur(client.get(URL).content.decode(), "porteurs_collectivites") == 1
    services.manifestation_cancel(manifestation=porteur, user=porteur.user)
    html = client.get(URL).content.decode()
    assert compteur(html, "porteurs_collectivites") == 0
    # Nothing changed since: the page's content comes from the cache (the session, the account and
    # the département are read).
    with django_assert_num_queries(3):
        assert client.get(URL).content.decode().count("data-compteur=") == 5


def test_the_figures_follow_the_referential(client_for):
    client = client_for("prefecture")

    def habitants() -> str:
        html = client.get(URL).content.decode()
        return re.search(r'fne-chiffre">([^<]*)</p><p class="fr-tile__desc">habitants', html).group(1)

    before = habitants()
    nievre = Departement.objects.get(code="58")
    nievre.population = 123456
    nievre.save()
    assert habitants() != before
    assert habitants().replace("\u202f", "").replace("\xa0", "") == "123456"


# --- The page's content is cached: every kind of write shows on the next read -------------------


@pytest.fixture
def campagne():
    """The campaign runs: its gouvernance deadlines are ahead (the seeded calendar is 2023's)."""
    move_echeances(Echeance.objects.exclude(statut=""), timezone.localdate() + datetime.timedelta(days=60))


def _lignes(*items):
    return [rules.Ligne(item=item, prestation=True) for item in items]


def besoins_card(html: str) -> str:
    return re.search(
        r'<section class="fr-card fr-card--no-arrow" id="besoins">.*?</section>', html, re.S
    ).group(0)


def subventions_card(html: str) -> str:
    return re.search(
        r'<section class="fr-card fr-card--no-arrow" id="subventions">.*?</section>', html, re.S
    ).group(0)


def test_the_besoins_card_follows_the_gouvernance_and_the_besoins(campagne, client_for, prefecture_58):
    client = client_for("prefecture")
    assert "À saisir après le premier enregistrement" in besoins_card(client.get(URL).content.decode())
    gouvernance = GouvernanceFactory()
    assert "Aucun besoin saisi pour l'instant." in besoins_card(client.get(URL).content.decode())
    besoins_services.besoins_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        version=0,
        lignes=_lignes(Item.DIAGNOSTIC, Item.FONDS_LOCAL),
        chef_de_projet=False,
    )
    card = besoins_card(client.get(URL).content.decode())
    assert "2 besoins · 0 ETP · 2 prestations" in card
    assert "priorisation à faire" in card
    besoins = Besoins.objects.get(gouvernance=gouvernance)
    besoins_services.besoins_prioritise(
        besoins=besoins, user=prefecture_58, version=besoins.version, ordre=list(reversed(besoins.priorites))
    )
    card = besoins_card(client.get(URL).content.decode())
    assert "2 besoins" in card
    assert "priorisation à faire" not in card


def test_the_besoins_card_follows_the_calendar_changed_in_the_admin_and_a_reopening(
    campagne, client_for, users
):
    GouvernanceFactory()
    prefecture = client_for("prefecture")
    assert "Saisir les besoins" in besoins_card(prefecture.get(URL).content.decode())

    admin = Client()
    admin.force_login(users["admin"])
    for echeance in Echeance.objects.exclude(statut=""):  # the campaign closes yesterday
        data = {
            field: getattr(echeance, field)
            for field in ("code", "libelle", "texte", "date_affichee", "statut", "besoins_attendus")
        }
        data["date_limite"] = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
        response = admin.post(reverse("admin:gouvernances_echeance_change", args=[echeance.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
    card = besoins_card(prefecture.get(URL).content.decode())
    assert "Saisir les besoins" not in card
    assert "Voir les besoins" in card

    gouvernance_reopen(
        gouvernance=Gouvernance.objects.get(departement="58"),
        user=users["admin"],
        jusquau=timezone.localdate() + datetime.timedelta(days=10),
    )
    assert "Saisir les besoins" in besoins_card(prefecture.get(URL).content.decode())


def test_the_subventions_card_follows_the_dotation_and_the_demandes(client_for):
    client = client_for("prefecture")
    GouvernanceFactory()
    assert "dotation restante" not in subventions_card(client.get(URL).content.decode())
    n = nievre_subventions()  # the dotations of the Nièvre: 50 000 € for the ingénierie
    assert "dotation restante : 50\u202f000\u202f€" in subventions_card(client.get(URL).content.decode())
    demande(n, subvention="10000", statut=StatutDemande.VALIDEE)
    assert "dotation restante : 40\u202f000\u202f€" in subventions_card(client.get(URL).content.decode())


def test_viewers_with_other_rights_never_get_each_others_content(campagne, users):
    GouvernanceFactory()

    def page(role: str) -> str:
        client = Client()
        client.force_login(users[role])
        return client.get(URL).content.decode()

    # The préfecture fills the cache first: the région and the démo account still read only.
    writer = page("prefecture")
    assert "Consultation seule" not in writer
    assert "Saisir les besoins" in writer
    for role in ("region", "demo"):
        html = page(role)
        assert "Consultation seule" in html
        assert "Saisir les besoins" not in html
        assert "Voir les besoins" in html
    # National roles may switch département; the préfecture may not, whatever the cache holds.
    assert "Changer de département" in page("admin")
    assert "Changer de département" not in page("prefecture")
    # And the other way round: a read-only viewer first, a writer next.
    cache.clear()
    assert "Consultation seule" in page("region")
    assert "Saisir les besoins" in page("prefecture")
