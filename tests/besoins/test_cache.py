"""The besoins page of a département and the national consolidation are cached until their data
change: besoins expressed, prioritised or removed, a deadline moved, a reopening, a département
renamed show on the next read; viewers with other rights never get each other's content."""

import datetime
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from besoins import rules, services
from besoins.enums import Item
from besoins.models import Besoins
from core.formats import french_date
from gouvernances.models import Echeance, Gouvernance
from gouvernances.services import gouvernance_reopen
from territoires.models import Departement
from tests.gouvernances.conftest import move_echeances
from tests.gouvernances.factories import GouvernanceFactory

from .conftest import fermer_campagne

pytestmark = pytest.mark.django_db

SYNTHESE = reverse("besoins:synthese", kwargs={"code": "58"})
NATIONAL = reverse("besoins:national")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _save(gouvernance, user, *items) -> Besoins:
    besoins = Besoins.objects.filter(gouvernance=gouvernance).first()
    return services.besoins_save(
        gouvernance=gouvernance,
        user=user,
        version=besoins.version if besoins else 0,
        lignes=[rules.Ligne(item=item, prestation=True) for item in items],
        chef_de_projet=False,
    )


def priorites(html: str) -> list[str]:
    liste = re.search(r'data-testid="priorites">(.*?)</ol>', html, re.S).group(1)
    return [unescape(titre) for titre in re.findall(r"<li><strong>([^<]*)</strong>", liste)]


def test_the_page_shows_besoins_expressed_prioritised_and_removed(gouvernance_58, prefecture_58):
    client = _client(prefecture_58)
    assert "Aucun besoin n'a encore été saisi" in client.get(SYNTHESE).content.decode()
    _save(gouvernance_58, prefecture_58, Item.DIAGNOSTIC, Item.FONDS_LOCAL)
    html = client.get(SYNTHESE).content.decode()
    assert "La priorisation de vos besoins reste à faire" in html
    assert priorites(html) == [Item.DIAGNOSTIC.label, Item.FONDS_LOCAL.label]

    besoins = Besoins.objects.get(gouvernance=gouvernance_58)
    services.besoins_prioritise(
        besoins=besoins, user=prefecture_58, version=besoins.version, ordre=["fonds_local", "diagnostic"]
    )
    html = client.get(SYNTHESE).content.decode()
    assert "La priorisation de vos besoins reste à faire" not in html
    assert priorites(html) == [Item.FONDS_LOCAL.label, Item.DIAGNOSTIC.label]

    _save(gouvernance_58, prefecture_58, Item.FONDS_LOCAL)  # the diagnostic's row is deleted
    assert priorites(client.get(SYNTHESE).content.decode()) == [Item.FONDS_LOCAL.label]


def test_the_page_follows_the_calendar_and_a_reopening(gouvernance_58, prefecture_58, admin_user):
    client = _client(prefecture_58)
    deadline = Echeance.objects.exclude(statut="").order_by("date_limite").first().date_limite
    assert f"Modifiable jusqu'au {french_date(deadline)}" in client.get(SYNTHESE).content.decode()

    later = timezone.localdate() + datetime.timedelta(days=90)
    move_echeances(Echeance.objects.exclude(statut=""), later)
    assert f"Modifiable jusqu'au {french_date(later)}" in client.get(SYNTHESE).content.decode()

    fermer_campagne()
    html = client.get(SYNTHESE).content.decode()
    assert "L&#x27;échéance de la campagne est passée" in html
    assert "Saisir les besoins" not in html

    jusquau = timezone.localdate() + datetime.timedelta(days=5)
    gouvernance_reopen(gouvernance=gouvernance_58, user=admin_user, jusquau=jusquau)
    html = client.get(SYNTHESE).content.decode()
    assert f"Rouvert par l'ANCT : modifiable jusqu'au {french_date(jusquau)}" in html
    assert "Saisir les besoins" in html


def test_the_page_follows_the_gouvernance_and_the_referential(prefecture_58):
    client = _client(prefecture_58)
    assert "Formulaire de gouvernance à enregistrer d'abord" in client.get(SYNTHESE).content.decode()
    GouvernanceFactory()
    assert "Formulaire de gouvernance à enregistrer d'abord" not in client.get(SYNTHESE).content.decode()
    nievre = Departement.objects.get(code="58")
    nievre.nom = "Nièvre renommée"
    nievre.save()
    assert "Nièvre renommée" in client.get(SYNTHESE).content.decode()


def test_read_only_viewers_never_get_the_writers_content(gouvernance_58, users):
    _save(gouvernance_58, users["prefecture"], Item.DIAGNOSTIC)
    writer = _client(users["prefecture"]).get(SYNTHESE).content.decode()
    assert "Modifier la sélection (étape 1)" in writer
    assert "Consultation seule" not in writer
    for role in ("region", "demo"):
        html = _client(users[role]).get(SYNTHESE).content.decode()
        assert "Consultation seule" in html
        assert "Modifier la sélection" not in html
        assert "Modifier la priorisation" not in html
    # An administrator writes whatever the calendar says: the same page as the préfecture's.
    assert "Modifier la sélection (étape 1)" in _client(users["admin"]).get(SYNTHESE).content.decode()
    cache.clear()  # the other way round: a read-only viewer fills the cache first
    assert "Consultation seule" in _client(users["region"]).get(SYNTHESE).content.decode()
    assert "Modifier la sélection (étape 1)" in _client(users["prefecture"]).get(SYNTHESE).content.decode()


def tile(html: str, name: str) -> str:
    return re.search(rf'data-testid="{name}">([^<]*)<', html).group(1)


def test_the_consolidation_shows_every_write_at_once(prefecture_58, admin_user, demo_user):
    admin, demo = _client(admin_user), _client(demo_user)
    assert tile(admin.get(NATIONAL).content.decode(), "national-departements") == "0"
    gouvernance = GouvernanceFactory()
    _save(gouvernance, prefecture_58, Item.DIAGNOSTIC, Item.FONDS_LOCAL)
    html = admin.get(NATIONAL).content.decode()
    assert tile(html, "national-departements") == "1"
    assert tile(html, "national-prestations") == "2"
    # The démo account reads the same figures (the page has nothing else).
    assert demo.get(NATIONAL).content.decode().count('data-testid="national-prestations">2<') == 1

    _save(gouvernance, prefecture_58, Item.DIAGNOSTIC)
    assert tile(admin.get(NATIONAL).content.decode(), "national-prestations") == "1"
    Gouvernance.objects.filter(pk=gouvernance.pk).delete()  # its besoins go with it
    html = demo.get(NATIONAL).content.decode()
    assert tile(html, "national-departements") == "0"
    assert tile(html, "national-prestations") == "0"


def test_the_page_names_the_author_of_the_last_save_as_the_accounts_say(gouvernance_58, prefecture_58):
    prefecture_58.first_name, prefecture_58.last_name = "Anne", "Martin"
    prefecture_58.save()
    _save(gouvernance_58, prefecture_58, Item.DIAGNOSTIC)
    client = _client(prefecture_58)
    assert "par Anne Martin." in client.get(SYNTHESE).content.decode()
    prefecture_58.last_name = "Martin-Durand"  # edited in the admin
    prefecture_58.save()
    assert "par Anne Martin-Durand." in client.get(SYNTHESE).content.decode()
