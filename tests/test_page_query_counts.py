"""The query count of each page of the main journeys, pinned, and the same when its data grow
tenfold (the pages whose own modules already pin it — candidates list, gouvernance, national
tables, the diagnostic's data, the feuille de route editor — are tested there)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from besoins.enums import CATEGORIE_OF, Item
from territoires.models import Departement
from tests.besoins.factories import BesoinFactory, BesoinsFactory
from tests.candidatures.test_views import _many_candidats
from tests.gouvernances.factories import GouvernanceFactory, MembreFactory

pytestmark = pytest.mark.django_db


def _count(client, url):
    client.get(url)  # warm: the session, the calendar, the cached indicators
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _first_and_cached(client, url) -> tuple[int, int]:
    """The queries of a page read on an empty cache (what its first visitor after a write pays,
    the other cached computations recomputed too), then read again from the cache."""
    client.get(url)  # the session
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    return len(first), len(again)


def _besoins(gouvernance, n):
    """The gouvernance's besoins with their first `n` items (those missing are added)."""
    besoins = BesoinsFactory(gouvernance=gouvernance)
    for item in list(Item)[besoins.lignes.count() : n]:
        BesoinFactory(besoins=besoins, item=item, categorie=CATEGORIE_OF[item])
    return besoins


def test_public_pages(client):
    counts = [_count(client, "/"), _count(client, reverse("candidatures:entree"))]
    _many_candidats(50)
    assert [_count(client, "/"), _count(client, reverse("candidatures:entree"))] == counts == [0, 0]


def test_departement_home(client_for):
    client = client_for("prefecture")
    gouvernance = GouvernanceFactory()
    MembreFactory(gouvernance=gouvernance)
    _besoins(gouvernance, 1)
    _many_candidats(5)
    small = _first_and_cached(client, "/departements/58/")
    MembreFactory.create_batch(10, gouvernance=gouvernance)
    _besoins(gouvernance, 12)
    _many_candidats(50, prefix="big")
    # The session, the account and the département; on an empty cache, also the calendar, the
    # referential's figures, the forms counted by intention (no porteur: no partner to count),
    # the gouvernance with its besoins, their lines, the demandes and the dotations (none: no sum).
    assert _first_and_cached(client, "/departements/58/") == small == (10, 3)


def test_filtered_candidates_list(client_for):
    client = client_for("prefecture")
    url = reverse("candidatures:liste", args=["58"]) + "?intention=participer&typologie=commune"
    _many_candidats(5)
    small = _count(client, url)
    _many_candidats(50, prefix="big")
    assert _count(client, url) == small <= 12


def test_besoins_page(client_for):
    client = client_for("prefecture")
    gouvernance = GouvernanceFactory()
    _besoins(gouvernance, 1)
    url = reverse("besoins:synthese", kwargs={"code": "58"})
    small = _first_and_cached(client, url)
    _besoins(gouvernance, 12)
    # The session, the account and the département; on an empty cache, also the calendar, the
    # gouvernance with its besoins and their lines.
    assert _first_and_cached(client, url) == small == (6, 3)


def test_besoins_consolidation(client_for):
    client = client_for("admin")
    url = reverse("besoins:national")
    _besoins(GouvernanceFactory(), 3)
    small = _first_and_cached(client, url)
    for code in ("21", "23", "25", "39", "70", "71", "90", "03", "16"):
        _besoins(GouvernanceFactory(departement=Departement.objects.get(code=code)), 3)
    # The session and the account; on an empty cache, also the four aggregate queries.
    assert _first_and_cached(client, url) == small == (6, 2)
