"""The national dashboard and tables are cached until the data they show change: every kind of
write shows at once — one row saved or deleted, a many-to-many change, ANCT's follow-up, the bulk
writes of a new document version and of the national seed."""

import re

import pytest
from django.core.management import call_command

from feuilles_de_route.models import Document
from feuilles_de_route.services import document_new_version
from gouvernances.models import Gouvernance, Membre
from territoires.models import Epci
from tests.gouvernances.factories import FeuilleDeRouteFactory, MembreFactory

pytestmark = pytest.mark.django_db


def tile(html: str, name: str) -> int:
    return int(re.search(rf'data-testid="{name}">(\d+)<', html).group(1))


def total(html: str) -> int:
    return int(re.search(r'data-testid="total">(\d+) ligne', html).group(1))


def test_the_dashboard_shows_a_new_feuille_de_route_at_once(
    cas_simple, client_for, django_assert_num_queries
):
    admin = client_for("admin")
    before = admin.get("/national/").content.decode()
    with django_assert_num_queries(2):  # the session and the account: the rest from the cache
        assert tile(admin.get("/national/").content.decode(), "feuilles") == tile(before, "feuilles")
    FeuilleDeRouteFactory(gouvernance=Gouvernance.objects.get(departement="58"))
    assert tile(admin.get("/national/").content.decode(), "feuilles") == tile(before, "feuilles") + 1


def test_the_tables_show_a_row_saved_or_deleted_at_once(cas_simple, client_for):
    admin = client_for("admin")
    url = "/national/tableaux/membres/"
    count = total(admin.get(url).content.decode())
    membre = MembreFactory(gouvernance=Gouvernance.objects.get(departement="58"))
    assert total(admin.get(url).content.decode()) == count + 1
    # A filtered page is another cached entry, renewed all the same.
    assert total(admin.get(url + "?region=27").content.decode()) == count + 1
    Membre.objects.filter(pk=membre.pk).delete()
    assert total(admin.get(url).content.decode()) == count
    assert total(admin.get(url + "?region=27").content.decode()) == count


def test_a_many_to_many_change_shows_at_once(cas_simple, client_for):
    admin = client_for("admin")
    feuille = FeuilleDeRouteFactory(gouvernance=Gouvernance.objects.get(departement="21"), infra=True)
    url = "/national/tableaux/feuilles-de-route/"

    def epci_count() -> str:
        html = admin.get(url).content.decode()
        row = re.search(rf"<td>{re.escape(feuille.nom)}</td>.*?</tr>", html, re.S).group(0)
        return re.findall(r"<td>([^<]*)</td>", row)[3]  # name, porteur, périmètre, then the EPCI count

    assert epci_count() == "0"
    feuille.epcis.add(*Epci.objects.filter(departements="21").order_by("code")[:2])
    assert epci_count() == "2"
    feuille.epcis.clear()
    assert epci_count() == "0"


def test_anct_follow_up_shows_at_once_and_only_to_those_who_may_read_it(cas_simple, client_for):
    admin = client_for("admin")
    url = "/national/tableaux/gouvernances/?q=58"  # its page of the table
    assert "Relance du 2 décembre" not in admin.get(url).content.decode()
    admin.post("/national/departements/58/suivi/", {"commentaire": "Relance du 2 décembre", "probleme": ""})
    assert "Relance du 2 décembre" in admin.get(url).content.decode()
    admin.logout()
    demo = client_for("demo")  # reads the national pages, not ANCT's follow-up
    html = demo.get(url).content.decode()
    assert "Suivi ANCT" not in html
    assert "Relance du 2 décembre" not in html


def test_bulk_writes_show_at_once(cas_simple, client_for, users):
    admin = client_for("admin")
    url = "/national/tableaux/feuilles-de-route/"
    approuvee = Document.objects.filter(statut="approuvee").select_related("feuille_de_route").first()
    html = admin.get(url).content.decode()
    assert html.count("Approuvée</p>") == 1
    # A new version copies the approved one's fiches, cibles and signataires in bulk.
    document_new_version(document=approuvee, user=users["admin"])
    html = admin.get(url).content.decode()
    assert html.count("Approuvée</p>") == 0
    assert "En rédaction" in html
    # The national seed writes its gouvernances, membres and feuilles de route in bulk.
    pressentie = tile(admin.get("/national/").content.decode(), "pressentie")
    call_command("seed_national", departements=11, seed=1)
    assert tile(admin.get("/national/").content.decode(), "pressentie") > pressentie
