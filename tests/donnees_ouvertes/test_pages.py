"""The public pages of the open data: the data sets and their downloads (served from storage with
ETag and Last-Modified, never built by a request), the Table Schemas and the Data Package."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import http_date

from core.formats import french_date
from donnees_ouvertes import services
from donnees_ouvertes.jeux import PUBLIES
from donnees_ouvertes.models import FichierPublie
from tests.responses import close_response

pytestmark = pytest.mark.django_db

LISTE = "/donnees-ouvertes/"


@pytest.fixture
def servi(publie, settings, db):
    """The module's files, put back in this test's storage (MEDIA_ROOT): (objects, files)."""
    for fichier in FichierPublie.objects.all():
        path = Path(settings.MEDIA_ROOT) / fichier.nom
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(publie[1][(fichier.jeu, fichier.format)])
    return publie


def _content(response) -> bytes:
    try:
        return b"".join(response.streaming_content) if response.streaming else response.content
    finally:
        close_response(response)


@pytest.fixture
def no_build(monkeypatch):
    """A request that tried to build a file would fail the test."""

    def refused(**kwargs):
        raise AssertionError("Une requête ne construit jamais de fichier.")

    monkeypatch.setattr(services, "publication_build", refused)
    monkeypatch.setattr(services, "publication_run", refused)


# --- Before the first build ----------------------------------------------------------------------


def test_before_the_first_build_the_page_says_when_files_come(db, client, no_build):
    response = client.get(LISTE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fichiers pas encore produits" in html
    assert "chaque nuit à 3 h 30" in html
    assert "Télécharger" not in html
    assert html.count("Pas encore publié.") == len(PUBLIES)
    # The schemas are published from the start: they do not depend on a build.
    for slug in PUBLIES:
        assert reverse("donnees_ouvertes:schema", kwargs={"jeu": slug}) in html
    missing = client.get("/donnees-ouvertes/membres.csv")
    assert missing.status_code == 404
    assert client.get("/donnees-ouvertes/datapackage.json").status_code == 404


# --- The data sets page ----------------------------------------------------------------------------


def test_the_page_lists_each_data_set_with_licence_date_rows_and_downloads(
    servi, client, no_build, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(LISTE)
    html = response.content.decode()
    assert "Licence Ouverte / Open Licence version 2.0" in html
    assert "Fichiers produits le " in html
    membres = FichierPublie.objects.get(jeu="membres", format="csv")
    assert f"Mise à jour : {french_date(membres.modifie_le)}" in html
    assert "Taille : 4 lignes" in html  # membres
    assert "Taille : 101 lignes" in html  # gouvernances, one per département of the campaign
    assert "Taille : 1 ligne<" in html  # besoins
    for slug, jeu in PUBLIES.items():
        assert escape(jeu.titre) in html
        for fmt in ("csv", "json"):
            assert f'href="/donnees-ouvertes/{slug}.{fmt}"' in html
    assert "Télécharger en CSV" in html
    assert "Télécharger en JSON" in html
    assert 'href="/gouvernances/"' in html
    assert 'href="/api/v1/documentation/"' in html


# --- Downloads -------------------------------------------------------------------------------------


def test_a_file_is_served_from_storage_with_etag_and_last_modified(servi, client, no_build):
    _, fichiers = servi
    response = client.get("/donnees-ouvertes/membres.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="fne-membres.csv"'
    assert _content(response) == fichiers[("membres", "csv")]
    publie = FichierPublie.objects.get(jeu="membres", format="csv")
    assert response["ETag"] == f'"{publie.empreinte}"'
    assert response["Last-Modified"] == http_date(int(publie.modifie_le.timestamp()))
    assert response["Cache-Control"] == "public, no-cache"
    json_file = client.get("/donnees-ouvertes/membres.json")
    assert json_file["Content-Type"] == "application/json"
    assert _content(json_file) == fichiers[("membres", "json")]


def test_a_conditional_request_gets_a_304_until_the_content_changes(servi, client, no_build):
    first = client.get("/donnees-ouvertes/gouvernances.json")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    close_response(first)
    same = client.get("/donnees-ouvertes/gouvernances.json", HTTP_IF_NONE_MATCH=etag)
    assert same.status_code == 304
    assert same.content == b""
    assert same["ETag"] == etag
    since = client.get("/donnees-ouvertes/gouvernances.json", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert since.status_code == 304
    other = client.get("/donnees-ouvertes/gouvernances.json", HTTP_IF_NONE_MATCH='"autre"')
    assert other.status_code == 200
    assert _content(other)


def test_files_can_be_read_from_another_site(servi, client):
    response = client.get("/donnees-ouvertes/membres.csv", HTTP_ORIGIN="https://reutilisateur.example")
    close_response(response)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


# --- Schemas and Data Package ---------------------------------------------------------------------


def test_each_schema_is_published_as_declared(db, client, no_build):
    for slug, jeu in PUBLIES.items():
        response = client.get(f"/donnees-ouvertes/{slug}/schema.json")
        assert response.status_code == 200
        assert response.json() == jeu.table_schema()
    assert client.get("/donnees-ouvertes/contacts/schema.json").status_code == 404


def test_the_data_package_points_at_each_csv_with_its_schema_and_hash(servi, client, no_build):
    package = client.get("/donnees-ouvertes/datapackage.json").json()
    assert package["licenses"][0]["name"] == "etalab-2.0"
    by_name = {resource["name"]: resource for resource in package["resources"]}
    assert list(by_name) == list(PUBLIES)
    membres = FichierPublie.objects.get(jeu="membres", format="csv")
    assert by_name["membres"]["path"].endswith("/donnees-ouvertes/membres.csv")
    assert by_name["membres"]["hash"] == f"sha256:{membres.empreinte}"
    assert by_name["membres"]["bytes"] == membres.taille
    assert by_name["membres"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "gouvernances"
