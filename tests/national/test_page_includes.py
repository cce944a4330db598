"""The shared breadcrumb and pagination includes, on the national table (101 départements, 50 a
page)."""

import re

URL = "/national/tableaux/gouvernances/"


def _breadcrumb(html: str) -> list[tuple[str, str | None]]:
    crumbs = html.split('<ol class="fr-breadcrumb__list">', 1)[1].split("</ol>", 1)[0]
    links = re.findall(
        r'<a class="fr-breadcrumb__link"(?: href="([^"]*)")?[^>]*>\s*(.*?)\s*</a>', crumbs, re.S
    )
    return [(label, href or None) for href, label in links]


def test_breadcrumb_from_home_to_the_current_page(client_for):
    html = client_for("admin").get(URL).content.decode()
    assert html.count('class="fr-breadcrumb"') == 1
    assert _breadcrumb(html) == [
        ("Accueil", "/"),
        ("Consolidation nationale", "/national/"),
        ("Gouvernances par département", None),
    ]
    assert 'aria-current="page">Gouvernances par département</a>' in html
    assert "Voir le fil d’Ariane" in html


def test_pagination_keeps_the_filters_and_the_sort(client_for):
    html = client_for("admin").get(URL + "?tri=-membres&page=2").content.decode()
    pagination = html.split('class="fr-pagination"', 1)[1].split("</nav>", 1)[0]
    assert "Page 2 sur 3" in pagination
    assert 'href="?tri=-membres&amp;page=1#tableau">Page précédente' in pagination
    assert 'href="?tri=-membres&amp;page=3#tableau">Page suivante' in pagination


def test_no_pagination_on_a_single_page(client_for):
    html = client_for("admin").get(URL + "?region=27").content.decode()
    assert "fr-pagination" not in html
