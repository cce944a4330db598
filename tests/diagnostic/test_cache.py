"""The indicators are computed once per change of the data and cached: a page never shows the
figures of before an import, an edit in the admin or a new referential."""

import gzip
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from diagnostic import selectors, services
from diagnostic.models import LieuMediation
from territoires.importer import import_territoires
from territoires.models import AncienCodeCommune, Commune, Departement, Epci, Region

from .factories import LieuMediationFactory
from .test_imports import text

pytestmark = pytest.mark.django_db

URL = reverse("diagnostic:departement", kwargs={"code": "58"})
TERRITOIRES_MINI = Path(__file__).parent.parent / "territoires" / "fixtures" / "territoires-mini.json"


def chiffre(client, name):
    html = client.get(URL).content.decode()
    return re.search(rf'id="chiffre-{name}">([^<]*)<', html).group(1)


def test_second_read_comes_from_the_cache(django_assert_num_queries):
    nievre = Departement.objects.get(code="58")
    selectors.synthese_diagnostic(nievre)
    selectors.epcis_indicateurs(nievre)
    selectors.departements_indicateurs()
    with django_assert_num_queries(0):
        assert selectors.synthese_diagnostic(nievre).communes == 309
        assert selectors.epcis_indicateurs(nievre)
        assert selectors.departements_indicateurs()


def test_an_import_shows_its_figures_at_once(client, django_capture_on_commit_callbacks):
    assert chiffre(client, "lieux") == "0"
    assert chiffre(client, "lieux") == "0"  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        services.lieux_import(text=text("lieux_v1.0.2.csv"), fichier="lieux_v1.0.2.csv")
    assert chiffre(client, "lieux") == "3"
    html = client.get(reverse("diagnostic:national")).content.decode()
    assert '<p class="fr-tile__title fne-chiffre" id="chiffre-lieux">3</p>' in html


def test_a_cached_filtered_page_shows_an_import_at_once(client, django_capture_on_commit_callbacks):
    """The rendered content is cached per set of parameters: each is renewed by the import."""
    url = URL + "?nom=chinon&tri=-lieux"

    def lieux_de_chateau_chinon():
        html = client.get(url).content.decode()
        row = re.search(r'<tr id="commune-58062">(.*?)</tr>', html, re.S).group(1)
        return re.findall(r"<td>([^<]*)</td>", row)[1]  # population, then the lieux

    assert lieux_de_chateau_chinon() == "0"
    assert lieux_de_chateau_chinon() == "0"  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        services.lieux_import(text=text("lieux_v1.0.2.csv"), fichier="lieux_v1.0.2.csv")
    assert lieux_de_chateau_chinon() != "0"


def test_an_edit_one_row_at_a_time_shows_at_once(client):
    commune = Commune.objects.filter(departement="58").order_by("code").first()
    assert chiffre(client, "lieux") == "0"
    lieu = LieuMediationFactory(commune=commune)
    assert chiffre(client, "lieux") == "1"
    LieuMediation.objects.get(pk=lieu.pk).delete()
    assert chiffre(client, "lieux") == "0"
    population = int(chiffre(client, "population").replace("\u202f", "").replace("\xa0", ""))
    commune.population += 1000
    commune.save()
    assert int(chiffre(client, "population").replace("\u202f", "").replace("\xa0", "")) == population + 1000


def test_a_new_referential_shows_at_once(tmp_path):
    # The referential is written in bulk (no signal): the import renews the generation itself.
    for model in (AncienCodeCommune, Commune, Epci, Departement, Region):
        model.objects.all().delete()
    data = json.loads(TERRITOIRES_MINI.read_text())
    import_territoires(path=TERRITOIRES_MINI)
    nievre = Departement.objects.get(code="58")
    population = selectors.synthese_diagnostic(nievre).population
    assert selectors.synthese_diagnostic(nievre).population == population  # cached
    nevers = next(row for row in data["communes"] if row[0] == "58194")
    nevers[4] += 1000
    path = tmp_path / "territoires.json.gz"
    path.write_bytes(gzip.compress(json.dumps(data).encode()))

    import_territoires(path=path)

    assert selectors.synthese_diagnostic(nievre).population == population + 1000
