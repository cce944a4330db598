"""The candidates page's content is cached per set of filters until a form or the referential
changes: a new form, a cancelled one, a renamed commune show on the next visit."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidatures import services
from territoires.models import Commune
from tests.candidatures.factories import ManifestationFactory

pytestmark = pytest.mark.django_db

URL = reverse("candidatures:liste", kwargs={"code": "58"})


def noms(client, query="") -> list[str]:
    html = client.get(URL + query).content.decode()
    return re.findall(r'<td><a href="/departements/58/candidats/\d+/">([^<]*)</a></td>', html)


def test_each_filtered_page_shows_a_new_or_cancelled_form_at_once(client_for, django_assert_max_num_queries):
    client = client_for("prefecture")
    assert noms(client) == noms(client, "?intention=participer") == []
    nevers = ManifestationFactory(confirmee=True)
    assert noms(client) == noms(client, "?intention=participer") == ["Nevers"]
    assert noms(client, "?intention=porter") == []
    with django_assert_max_num_queries(3):  # session, account, département: the rest is cached
        assert noms(client, "?intention=participer") == ["Nevers"]
    services.manifestation_cancel(manifestation=nevers, user=nevers.user)
    assert noms(client) == noms(client, "?intention=participer") == []


def test_a_renamed_commune_shows_at_once(client_for):
    client = client_for("prefecture")
    ManifestationFactory(confirmee=True)
    assert noms(client) == ["Nevers"]
    commune = Commune.objects.get(code="58194")
    commune.nom = "Nevers-sur-Loire"
    commune.save()
    assert noms(client) == ["Nevers-sur-Loire"]


def test_a_parameter_the_page_does_not_read_is_never_cached(client_for):
    # Made-up parameters must not fill the cache: such a page is computed on every visit.
    client = client_for("prefecture")
    ManifestationFactory(confirmee=True)
    for query in ("?intention=participer", "?intention=participer&inconnu=1"):
        client.get(URL + query)
        with CaptureQueriesContext(connection) as second:
            assert noms(client, query) == ["Nevers"]
        assert (len(second) > 3) == ("inconnu" in query), query
