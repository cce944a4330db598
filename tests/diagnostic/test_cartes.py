"""The maps of the public data pages: one shape per territory with its code and accessible name,
the same figures on the map as in the table beside it, the commune links to their table row, the
lieux as points, the indicator switch by query parameter, and pinned query counts."""

import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnostic import services
from territoires.models import Commune, Departement

from .factories import LieuMediationFactory
from .test_imports import text

pytestmark = pytest.mark.django_db

SHAPE = re.compile(
    r'<a class="fne-carte__lien" href="([^"]*)" aria-label="([^"]*)" data-code="([^"]+)"><path class="fne-carte__forme fne-carte__forme--(\w+)"'
)
TABLE_ROW = re.compile(
    r'<tr data-code="([^"]+)"><th scope="row"><a href="[^"]*">[^<]*</a></th><td>([^<]*)</td></tr>'
)


def shapes(page: str, carte: str) -> dict[str, tuple[str, str, str]]:
    svg = page.split(f'id="{carte}"', 1)[1].split("</svg>", 1)[0]
    return {
        code: (html_lib.unescape(href), html_lib.unescape(label), classe)
        for href, label, code, classe in SHAPE.findall(svg)
    }


@pytest.fixture
def donnees(db):
    services.lieux_import(text=text("lieux_v1.0.2.csv"), fichier="lieux_v1.0.2.csv")
    services.ifn_import(text=text("ifn_communes.csv"), fichier="ifn_2021.csv", echelon="commune")


@pytest.mark.parametrize("indicateur", ["densite", "communes-avec-lieu", "ifn"])
def test_national_map_has_one_named_shape_per_departement_and_the_table_says_the_same(
    client, donnees, indicateur
):
    page = client.get(reverse("diagnostic:national") + f"?carte={indicateur}").content.decode()
    found = shapes(page, "carte-departements")
    # The 101 départements; the collectivités d'outre-mer have no outline (and stay in the table below).
    assert set(found) == set(Departement.objects.exclude(zone="com").values_list("code", flat=True))
    assert len(found) == 101
    noms = dict(Departement.objects.values_list("code", "nom"))
    table = dict(TABLE_ROW.findall(page.split('data-carte-table="carte-departements"', 1)[1]))
    for code, (href, label, _) in found.items():
        assert href == f"/departements/{code}/donnees/"
        assert label == f"{noms[code]} ({code}) : {html_lib.unescape(table[code])}"
    assert 'aria-labelledby="carte-departements-titre"' in page


def test_national_map_colours_by_the_chosen_indicator(client, donnees):
    page = client.get(reverse("diagnostic:national") + "?carte=ifn").content.decode()
    nievre = shapes(page, "carte-departements")["58"]
    assert nievre[1].startswith("Nièvre (58) : indice de fragilité numérique ")
    # An unknown indicator falls back to the first one, never to an error.
    page = client.get(reverse("diagnostic:national") + "?carte=nimporte").content.decode()
    assert "lieu" in shapes(page, "carte-departements")["58"][1]


def test_departement_map_links_each_commune_to_its_row_and_puts_the_lieux_on_top(client, donnees):
    url = reverse("diagnostic:departement", kwargs={"code": "58"})
    page = client.get(url + "?carte=ifn&tri=-ifn").content.decode()
    found = shapes(page, "carte-communes")
    assert len(found) == Commune.objects.filter(departement="58").count() == 309
    href, label, classe = found["58194"]
    assert label == "Nevers (58194) : indice de fragilité numérique 4,2 sur 10"
    assert classe == "s1"
    # The page depends on where the database sorts the communes without an IFN (SQLite puts NULL
    # last in a descending sort, PostgreSQL first): the link names the page, whichever it is.
    assert re.match(r"\?tri=-ifn&carte=ifn&points=label&page=\d+#", href)
    assert href.endswith("#commune-58194")
    # The link lands on the page of the table that holds the commune's row, with the same figure.
    row = (
        client.get(url + href.split("#")[0])
        .content.decode()
        .split('id="commune-58194"', 1)[1]
        .split("</tr>", 1)[0]
    )
    assert '<td data-indicateur="ifn">4,2</td>' in row
    # A commune of a later page links to that page.
    last = next(h for h, _, _ in found.values() if "page=7" in h)
    code = last.rsplit("#commune-", 1)[1]
    assert f'id="commune-{code}"' in client.get(url + last.split("#")[0]).content.decode()
    # The lieu with coordinates is a point (the two others have none).
    points = page.split('class="fne-carte__points"', 1)[1].split("</g>", 1)[0]
    assert points.count("<circle") == 1
    assert "Médiathèque Jean Jaurès (Bibliothèque, médiathèque)" in points
    assert "Communes sans lieu de médiation (30" in page  # listed, and coloured by the « offre » map


def test_offre_map_shows_the_fragile_communes_without_lieu(client, donnees):
    Commune.objects.filter(code="58238").update(population=1000)
    page = client.get(
        reverse("diagnostic:departement", kwargs={"code": "58"}) + "?carte=offre"
    ).content.decode()
    found = shapes(page, "carte-communes")
    assert found["58194"][1] == "Nevers (58194) : 1 lieu de médiation"
    assert {classe for _, _, classe in found.values()} <= {"k0", "k1", "k2", "k3"}
    legend = page.split('class="fne-legende"', 1)[1].split("</div>", 1)[0]
    assert "Aucun lieu (" in legend


def test_commune_panel_shows_the_ifn_sub_indices_and_the_lieux(client, donnees):
    page = client.get(reverse("diagnostic:commune", kwargs={"code": "58", "insee": "58194"})).content.decode()
    assert "<h1>Nevers (58194)</h1>" in page
    table = page.split('id="table-sous-indices"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">Absence de très haut débit</th><td>1,0</td>' in table
    assert '<th scope="row">Taux de pauvreté</th><td>7,0</td>' in table
    assert "Médiathèque Jean Jaurès" in page
    assert (
        client.get(reverse("diagnostic:commune", kwargs={"code": "21", "insee": "58194"})).status_code == 404
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_map_pages_query_counts_stay_constant_when_lieux_grow(client, donnees):
    urls = [
        reverse("diagnostic:departement", kwargs={"code": "58"}) + "?carte=densite&points=typologie",
        reverse("diagnostic:national") + "?carte=communes-avec-lieu",
        reverse("diagnostic:commune", kwargs={"code": "58", "insee": "58194"}),
    ]
    before = [_count(client, url) for url in urls]
    nevers = Commune.objects.get(code="58194")
    for n in range(40):
        LieuMediationFactory(
            commune=nevers, latitude=46.99 + n / 1000, longitude=3.15, typologie=["BIB", "EPN", "CCAS"][n % 3]
        )
    after = [_count(client, url) for url in urls]
    assert before == after
    assert after == [18, 15, 4]
