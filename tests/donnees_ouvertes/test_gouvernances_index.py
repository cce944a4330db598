"""The public index of the gouvernances (`/gouvernances/`): every département of the campaign by
région, its gouvernance's status and feuilles de route, leading to its public page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gouvernances.enums import StatutGouvernance
from national.seed import SEED_DOMAIN
from territoires.models import Departement
from tests.feuilles_de_route.factories import FeuilleDeRouteFactory, GouvernanceFactory

pytestmark = pytest.mark.django_db


def _index(client) -> str:
    response = client.get("/gouvernances/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_index_lists_every_departement_by_region_with_status_and_feuilles(nievre, client):
    html = _index(client)
    assert html.count("<h2>") >= 18  # every région of the campaign
    bfc = html.index("<h2>Bourgogne-Franche-Comté</h2>")
    assert bfc < html.index("Nièvre (58)") < html.index("<h2>", bfc + 1)
    assert f'<a href="{reverse("gouvernances:publique", kwargs={"code": "58"})}">Nièvre (58)</a>' in html
    assert "Gouvernance définitive remontée" in html
    assert "Feuille de route départementale de la Nièvre — Départemental" in html
    assert "Nevers numérique" in html
    # The Côte-d'Or's draft is not public: no link, « Non remontée ».
    assert reverse("gouvernances:publique", kwargs={"code": "21"}) not in html
    assert "Côte-d&#x27;Or (21)" in html
    # French counts: « 0 gouvernance remontée », singular below two.
    assert "0 gouvernance remontée sur 4 départements." in html  # Bretagne
    assert "1 gouvernance remontée sur 8 départements." in html
    # A sous-préfet or a follow-up note never shows.
    assert "sp@cote-dor.gouv.example" not in html
    assert "Note de suivi ANCT" not in html


def test_the_index_leads_to_the_public_page(nievre, client):
    page = client.get(reverse("gouvernances:publique", kwargs={"code": "58"}))
    assert page.status_code == 200
    assert "Nièvre" in page.content.decode()


def test_the_index_costs_the_same_queries_with_more_gouvernances(nievre, client):
    with CaptureQueriesContext(connection) as small:
        _index(client)
    for code in ("25", "39", "70", "71", "89"):
        gouvernance = GouvernanceFactory(departement=Departement.objects.get(code=code), pressentie=True)
        FeuilleDeRouteFactory.create_batch(3, gouvernance=gouvernance)
    with CaptureQueriesContext(connection) as large:
        html = _index(client)
    assert "6 gouvernances remontées sur 8 départements." in html
    assert len(large) == len(small) <= 6


def test_demonstration_gouvernances_are_flagged_on_the_index(db, client, settings):
    GouvernanceFactory(
        departement=Departement.objects.get(code="89"),
        statut=StatutGouvernance.PRESSENTIE,
        pressentie_remontee_le=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        sous_prefet_email=f"sp@{SEED_DOMAIN}",
    )
    html = _index(client)
    yonne = html.index("Yonne (89)")
    assert "Démonstration" in html[yonne : yonne + 600]


def test_every_page_leads_to_the_open_data_and_the_index(db, client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("donnees_ouvertes:liste")}">Données ouvertes et API</a>' in html
    assert f'href="{reverse("donnees_ouvertes:gouvernances")}">Les gouvernances des départements</a>' in html
