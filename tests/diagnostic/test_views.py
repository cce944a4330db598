"""The public dashboards, the sources page, the exports and the link from the département home."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.text import fold
from diagnostic import services
from diagnostic.models import IndiceFragilite
from territoires.models import Commune

from .factories import LieuMediationFactory, petit_territoire
from .test_imports import text

pytestmark = pytest.mark.django_db

ROLES = ["anonyme", "structure", "prefecture", "prefecture_autre", "region", "demo", "admin"]
# Pinned: the page's queries, whatever the number of communes; the first read after a change of
# the data computes the indicators (then the map's communes and lieux, the conseillers numériques'
# activity and the IFN's sub-indices) and renders the content. The next ones read it from the
# cache: a logged-in user's page reads the département (and the session and the user); a visitor
# who is not logged in gets the whole page from the cache, without a query.
DASHBOARD_QUERIES = 18
DASHBOARD_QUERIES_CACHED = 1
DASHBOARD_QUERIES_VISITOR_CACHED = 0
SESSION_AND_USER = 2


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url",
    [
        "/departements/58/donnees/",
        "/departements/58/donnees/communes.csv",
        "/national/donnees/",
        "/donnees/sources/",
    ],
)
def test_data_pages_are_public_for_every_role(client_for, role, url):
    response = client_for(role).get(url)
    assert response.status_code == 200


def test_unknown_departement_and_format_are_404(client):
    assert client.get("/departements/00/donnees/").status_code == 404
    assert client.get("/departements/58/donnees/communes.pdf").status_code == 404


def test_departement_dashboard_shows_imported_figures(client):
    services.lieux_import(text=text("lieux_v1.0.2.csv"), fichier="lieux_v1.0.2.csv")
    services.ifn_import(text=text("ifn_communes.csv"), fichier="ifn_2021.csv", echelon="commune")
    response = client.get(reverse("diagnostic:departement", kwargs={"code": "58"}))
    html = response.content.decode()
    assert "Données de l'inclusion numérique de la Nièvre (58)" in html
    assert '<p class="fr-tile__title fne-chiffre" id="chiffre-lieux">3</p>' in html
    assert "Bibliothèque, médiathèque" in html  # typology chart
    assert 'class="fne-graphique-svg"' in html  # SVG chart, not an inline style
    assert "style=" not in html.split("<main", 1)[-1]
    assert "Lieux de médiation numérique : données du 14/03/2024" in html
    html = client.get(
        reverse("diagnostic:departement", kwargs={"code": "58"}) + "?nom=chinon&tri=-lieux"
    ).content
    assert ">Château-Chinon (Ville)</a> " in html.decode()


def test_commune_table_filters_and_sort(client):
    departement, _ = petit_territoire()
    url = reverse("diagnostic:departement", kwargs={"code": departement.code})

    def rows(query):
        html = client.get(url + query).content.decode()
        table = html.split('id="table-communes"', 1)[1].split("</table>", 1)[0]
        names = [name for name in ["Alpha", "Beta", "Gamma", "Delta"] if f">{name}</a> " in table]
        return sorted(names, key=lambda name: table.index(f">{name}</a> "))

    assert rows("") == ["Alpha", "Beta", "Delta", "Gamma"] or rows("") == sorted(
        ["Alpha", "Beta", "Gamma", "Delta"]
    )
    assert rows("?sans_lieu=true") == ["Delta", "Gamma"]
    assert rows("?ifn_min=7") == ["Alpha", "Gamma"]
    assert rows("?nom=alp") == ["Alpha"]
    html = client.get(url + "?tri=-population").content.decode()
    table = html.split('id="table-communes"', 1)[1]
    assert table.index(">Beta</a> ") < table.index(">Alpha</a> ") < table.index(">Gamma</a> ")
    assert 'aria-sort="descending"' in table


def test_csv_export_is_excel_friendly_and_formula_neutralised(client):
    _, communes = petit_territoire()
    Commune.objects.filter(pk=communes["Delta"].pk).update(
        nom="=HYPERLIEN(1)", nom_recherche=fold("=HYPERLIEN(1)"), population=0
    )
    response = client.get(
        reverse("diagnostic:departement_export", kwargs={"code": "99", "fmt": "csv"}) + "?tri=nom"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="inclusion-numerique-communes-99-')
    assert disposition.endswith('.csv"')
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffCode INSEE;Commune;EPCI;Population;")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][8:] == [
        "Sous-indice : absence de très haut débit",
        "Sous-indice : absence de couverture 4G",
        "Sous-indice : taux de pauvreté",
        "Sous-indice : part des 65 ans et plus",
        "Sous-indice : part des peu ou pas diplômés",
    ]
    # Sorted the French way, punctuation ignored: the formula-like name sits among the H.
    assert [row[0] for row in rows[1:]] == ["99001", "99002", "99003", "99004"]
    assert rows[4][:8] == ["99004", "'=HYPERLIEN(1)", "", "0", "0", "", "", "0"]
    # Decimal numbers are written the French way (a comma, no useless « ,0 »).
    assert rows[1][:8] == ["99001", "Alpha", "CC d'essai", "1000", "2", "20", "8", "3"]
    assert rows[2][5] == "3,33"
    assert len(rows) == 5


def test_xlsx_export_keeps_the_filters(client):
    petit_territoire()
    response = client.get(
        reverse("diagnostic:departement_export", kwargs={"code": "99", "fmt": "xlsx"})
        + "?sans_lieu=true&tri=nom"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["Code INSEE", "Commune"]
    assert [row[1] for row in values[1:]] == ["Delta", "Gamma"]


@pytest.mark.parametrize("role", ["anonyme", "structure"])
def test_dashboard_query_count_does_not_grow_with_communes(client_for, role):
    client = client_for(role)
    departement, _ = petit_territoire()
    url = reverse("diagnostic:departement", kwargs={"code": departement.code})
    logged_in = SESSION_AND_USER if role != "anonyme" else 0
    cached = DASHBOARD_QUERIES_VISITOR_CACHED if role == "anonyme" else DASHBOARD_QUERIES_CACHED + logged_in

    def count_queries(url=url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count_queries() == DASHBOARD_QUERIES + logged_in
    assert count_queries() == cached
    for n in range(80):
        commune = Commune.objects.create(
            code=f"99{100 + n}",
            nom=f"Commune {n}",
            nom_recherche=f"commune {n}",
            departement=departement,
            population=100 + n,
        )
        IndiceFragilite.objects.create(commune=commune, code_source=commune.code, score=n % 10)
        if n % 3 == 0:
            LieuMediationFactory(commune=commune)
    assert count_queries() == DASHBOARD_QUERIES + logged_in
    assert count_queries() == cached
    assert "Page 1 sur 2" in client.get(url).content.decode()
    # Each set of the page's parameters has its own content; a parameter the page does not read
    # is rendered without the cache (made-up parameters cannot fill it).
    url_triee = url + "?tri=-population&page=2"
    with CaptureQueriesContext(connection) as queries:
        assert "Page 2 sur 2" in client.get(url_triee).content.decode()
    assert len(queries) > cached
    assert count_queries(url_triee) == cached
    for _ in range(2):
        assert count_queries(url + "?inconnu=1") > DASHBOARD_QUERIES_CACHED + logged_in


def test_national_dashboard_and_sources_page(client):
    petit_territoire()
    services.conseillers_numeriques_import(text=text("conseillers_numeriques.json"), fichier="cn.json")
    html = client.get(reverse("diagnostic:national")).content.decode()
    assert "Données nationales de l'inclusion numérique" in html
    assert "Département d&#x27;essai (99)" in html
    assert "<td>2\xa0400</td>" in html  # Nièvre's accompagnements
    html = client.get(reverse("diagnostic:sources")).content.decode()
    assert "Licence Ouverte 2.0" in html
    assert "réutilisation à confirmer" in html  # IFN: no licence found
    assert "7 enregistrements lus, 3 créés" in html
    assert "Pas encore importée." in html


def test_departement_home_links_to_the_dashboard(client_for):
    html = client_for("prefecture").get("/departements/58/").content.decode()
    assert 'href="/departements/58/donnees/"' in html
    assert "Diagnostic territorial" in html


def test_menu_has_a_data_entry(client, client_for):
    assert 'href="/national/donnees/"' in client.get("/").content.decode()
    assert 'href="/departements/58/donnees/"' in client_for("prefecture").get("/").content.decode()


def test_the_filtered_communes_export_says_so_and_writes_decimal_commas(client):
    _, communes = petit_territoire()
    IndiceFragilite.objects.filter(commune=communes["Gamma"]).update(score=7.8)
    response = client.get(
        reverse("diagnostic:departement_export", kwargs={"code": "99", "fmt": "csv"})
        + "?sans_lieu=true&tri=nom"
    )
    disposition = response["Content-Disposition"]
    assert "inclusion-numerique-communes-99-departement-dessai-filtre-sans-lieu-oui-" in disposition
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["Delta", "Gamma"]
    assert rows[2][6] == "7,8"
    xlsx = client.get(
        reverse("diagnostic:departement_export", kwargs={"code": "99", "fmt": "xlsx"}) + "?sans_lieu=true"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title == "Communes — Département d'essai"
    gamma = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "Gamma")
    assert gamma[6].value == 7.8
    assert gamma[6].data_type == "n"
    assert gamma[0].number_format == "@"


def test_pages_name_the_departement_and_the_epci_with_their_article(client):
    page = client.get(reverse("diagnostic:commune", kwargs={"code": "58", "insee": "58194"})).content.decode()
    assert "Commune de la Nièvre, membre de la CA de Nevers" in page
    assert "Retour aux données de la Nièvre" in page
    assert "Commune de Nièvre" not in page
    dashboard = client.get(reverse("diagnostic:departement", kwargs={"code": "58"})).content.decode()
    assert "<h1>Données de l'inclusion numérique de la Nièvre (58)</h1>" in dashboard
