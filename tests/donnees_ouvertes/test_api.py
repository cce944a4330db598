"""The read-only JSON API (`/api/v1/`): a valid OpenAPI 3 description, the Table Schemas' field
names, pagination and filters, the referential's search, constant queries whatever the data's
size, errors as French problem details, the per-client limit and CORS."""

import datetime
import json
import types

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from besoins.enums import Item
from donnees_ouvertes.jeux import TOUS
from feuilles_de_route.enums import Indicateur, StatutDocument, TypePerimetre
from feuilles_de_route.models import IndicateurCible
from territoires.enums import Zone
from territoires.models import Departement, Epci
from tests.besoins.factories import BesoinFactory, BesoinsFactory
from tests.diagnostic.factories import LieuMediationFactory
from tests.donnees_ouvertes.conftest import HAUT_NIVERNAIS, NEVERS_AGGLO, publier
from tests.feuilles_de_route.factories import (
    DocumentFactory,
    FeuilleDeRouteFactory,
    GouvernanceFactory,
    MembreFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROBLEM = "application/problem+json"


def get(client, path, **extra):
    response = client.get(API + path, **extra)
    return response, json.loads(response.content)


def every_path(nievre) -> list[str]:
    """One GET of every operation of the API (lists filtered the way a reuser would)."""
    return [
        "/",
        "/openapi.json",
        "/gouvernances",
        "/gouvernances?region=27",
        "/gouvernances/58",
        "/membres",
        "/membres?departement=58",
        "/feuilles-de-route",
        f"/feuilles-de-route/{nievre['departementale'].pk}",
        "/besoins-ingenierie",
        "/diagnostic/communes?departement=58",
        "/regions",
        "/regions/27",
        "/departements",
        "/departements/58",
        "/epci?departement=58",
        "/epci?q=nevers",
        f"/epci/{NEVERS_AGGLO}",
        "/communes?departement=58",
        "/communes?q=nevers",
        "/communes/58194",
    ]


# --- The OpenAPI description -----------------------------------------------------------------------


def test_the_openapi_description_is_valid_openapi_3(client):
    response, schema = get(client, "/openapi.json")
    assert response.status_code == 200
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        f"{API}{path}"
        for path in (
            "/gouvernances",
            "/gouvernances/{code_departement}",
            "/membres",
            "/feuilles-de-route",
            "/feuilles-de-route/{id}",
            "/besoins-ingenierie",
            "/diagnostic/communes",
            "/regions",
            "/regions/{code}",
            "/departements",
            "/departements/{code}",
            "/epci",
            "/epci/{code}",
            "/communes",
            "/communes/{code}",
        )
    }
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    assert {method for ops in schema["paths"].values() for method in ops} == {"get"}
    for operation in operations:
        # Errors are documented with their real media type.
        assert list(operation["responses"]["400"]["content"]) == [PROBLEM]
        assert operation["summary"]


def test_field_names_are_the_table_schemas(client, nievre):
    _, schema = get(client, "/openapi.json")
    components = schema["components"]["schemas"]
    for jeu in TOUS.values():
        model = next(
            c for c in components.values() if c.get("title") == jeu.titre or c.get("description") == jeu.titre
        )
        assert list(model["properties"]) == jeu.noms, jeu.slug
    for path, jeu in (
        ("/gouvernances?departement=58", "gouvernances"),
        ("/membres", "membres"),
        ("/feuilles-de-route", "feuilles-de-route"),
        ("/besoins-ingenierie", "besoins-ingenierie"),
        ("/diagnostic/communes?departement=58&par_page=1", "diagnostic-communes"),
        ("/regions", "regions"),
        ("/departements", "departements"),
        ("/epci", "epci"),
        ("/communes", "communes"),
    ):
        _, body = get(client, path)
        assert list(body["resultats"][0]) == TOUS[jeu].noms, path


def test_the_api_serves_the_same_rows_as_the_files(client, nievre):
    fichiers = publier()
    for jeu, path in (
        ("membres", "/membres"),
        ("feuilles-de-route", "/feuilles-de-route"),
        ("besoins-ingenierie", "/besoins-ingenierie"),
        ("gouvernances", "/gouvernances?par_page=1000"),
    ):
        _, body = get(client, path)
        assert body["resultats"] == json.loads(fichiers[(jeu, "json")]), jeu


def test_the_index_and_the_documentation(client):
    response, body = get(client, "/")
    assert response.status_code == 200
    assert body["openapi"].endswith("/api/v1/openapi.json")
    assert body["ressources"]["communes"].endswith("/api/v1/communes")
    page = client.get(f"{API}/documentation/")
    html = page.content.decode()
    assert page.status_code == 200
    for path in ("/api/v1/gouvernances/{code_departement}", "/api/v1/communes", "/api/v1/epci/{code}"):
        assert f"GET {path}" in html
    assert 'id="probleme-parametre-invalide"' in html
    assert "600 requêtes par minute" in html
    assert "<script>" not in html


# --- Lists: pagination, filters, search -----------------------------------------------------------


def test_lists_are_paginated(client, nievre):
    _, first = get(client, "/membres?par_page=3")
    assert (first["total"], first["page"], first["pages"], first["par_page"]) == (4, 1, 2, 3)
    assert len(first["resultats"]) == 3
    assert first["page_precedente"] is None
    assert first["page_suivante"] == "http://testserver/api/v1/membres?par_page=3&page=2"
    _, second = get(client, "/membres?par_page=3&page=2")
    assert len(second["resultats"]) == 1
    assert second["page_suivante"] is None
    assert second["page_precedente"].endswith("/api/v1/membres?par_page=3&page=1")
    ids = [m["id"] for m in first["resultats"] + second["resultats"]]
    assert len(set(ids)) == 4


def test_lists_filter_by_region_and_departement(client, nievre):
    _, bfc = get(client, "/gouvernances?region=27")
    assert bfc["total"] == 8
    assert {g["code_region"] for g in bfc["resultats"]} == {"27"}
    _, nievre_only = get(client, "/gouvernances?departement=58")
    assert [g["statut"] for g in nievre_only["resultats"]] == ["definitive"]
    _, elsewhere = get(client, "/membres?region=75")
    assert (elsewhere["total"], elsewhere["pages"], elsewhere["resultats"]) == (0, 1, [])
    _, feuilles = get(client, "/feuilles-de-route?departement=58&region=27")
    assert feuilles["total"] == 3
    _, communes = get(client, "/communes?departement=58&par_page=1000")
    assert {c["code_departement"] for c in communes["resultats"]} == {"58"}
    _, agglo = get(client, f"/communes?epci={NEVERS_AGGLO}&par_page=1000")
    assert "58194" in {c["code"] for c in agglo["resultats"]}
    assert {c["code_epci"] for c in agglo["resultats"]} == {NEVERS_AGGLO}


def test_the_draft_of_the_cote_d_or_is_not_a_gouvernance(client, nievre):
    _, body = get(client, "/gouvernances/21")
    assert body["statut"] == "non_remontee"
    assert body["nombre_membres"] is None


def test_communes_are_searched_by_name_code_and_postal_code(client, db):
    for query in ("nevers", "Nevers", "58194", "58000"):
        response, body = get(client, f"/communes?q={query}")
        assert response.status_code == 200, query
        assert body["resultats"][0]["code"] == "58194", query
        assert body["resultats"][0]["nom"] == "Nevers"
    _, accents = get(client, "/communes?q=chateau-chinon")
    assert any(c["nom"].startswith("Château-Chinon") for c in accents["resultats"])
    _, restricted = get(client, "/communes?q=saint&departement=58")
    assert restricted["total"] > 0
    assert {c["code_departement"] for c in restricted["resultats"]} == {"58"}
    _, epci = get(client, "/epci?q=nevers")
    assert epci["resultats"][0]["code"] == NEVERS_AGGLO


def test_the_referential_passes_its_own_types_through(client, db):
    _, regions = get(client, "/regions?par_page=1000")
    assert {r["zone"] for r in regions["resultats"]} == set(Zone.values)
    _, nievre = get(client, "/departements/58")
    assert (nievre["nom"], nievre["code_region"], nievre["chef_lieu"]) == ("Nièvre", "27", "58194")
    _, agglo = get(client, f"/epci/{NEVERS_AGGLO}")
    assert agglo["codes_departements"] == "58"
    assert agglo["type"] == Epci.objects.get(code=NEVERS_AGGLO).type


# --- Constant queries ------------------------------------------------------------------------------


def _queries(client, paths) -> dict[str, int]:
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(API + path)
        assert response.status_code == 200, (path, response.content[:300])
        counts[path] = len(queries)
    return counts


def _grow(nievre) -> None:
    """Many more of every row: members, feuilles de route with périmètres, versions and targets,
    three more gouvernances with their besoins, lieux de médiation."""
    gouvernance = nievre["gouvernance"]
    membres = MembreFactory.create_batch(25, gouvernance=gouvernance)
    epcis = [Epci.objects.get(code=NEVERS_AGGLO), Epci.objects.get(code=HAUT_NIVERNAIS)]
    for n in range(15):
        feuille = FeuilleDeRouteFactory(
            gouvernance=gouvernance, porteur=membres[n], perimetre=TypePerimetre.EPCI, epcis=epcis
        )
        document = DocumentFactory(
            feuille_de_route=feuille, statut=StatutDocument.APPROUVEE, approuvee_le=datetime.date(2025, 1, 9)
        )
        for indicateur in list(Indicateur)[:4]:
            IndicateurCible.objects.create(document=document, indicateur=indicateur, cible_2027=n)
    for code in ("25", "39", "70"):
        other = GouvernanceFactory(departement=Departement.objects.get(code=code), definitive=True)
        MembreFactory.create_batch(5, gouvernance=other)
        FeuilleDeRouteFactory.create_batch(3, gouvernance=other)
        besoins = BesoinsFactory(gouvernance=other)
        BesoinFactory(besoins=besoins, item=Item.SUBVENTIONS, rh=True)
        BesoinFactory(besoins=besoins, formation=True)
    LieuMediationFactory.create_batch(10, commune_id="58194")


def test_every_endpoint_answers_in_constant_queries(client, nievre):
    paths = every_path(nievre)
    small = _queries(client, paths)
    _grow(nievre)
    large = _queries(client, paths)
    assert large == small
    assert max(small.values()) <= 9, small


def test_a_longer_page_costs_no_more_queries(client, nievre):
    _grow(nievre)
    for path in ("/membres", "/feuilles-de-route", "/communes?departement=58", "/epci", "/departements"):
        separator = "&" if "?" in path else "?"
        short = _queries(client, [f"{path}{separator}par_page=20"])
        long = _queries(client, [f"{path}{separator}par_page=500"])
        assert list(short.values()) == list(long.values()), path


# --- Errors: French problem details ------------------------------------------------------------------


def assert_problem(response, body, status: int) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status
    assert body["type"].startswith("http")
    assert "#probleme-" in body["type"]


@pytest.mark.parametrize(
    ("path", "parametre", "detail"),
    [
        (
            "/membres?par_page=0",
            "par_page",
            "Le paramètre « par_page » doit être un nombre entier de 1 à 1000.",
        ),
        (
            "/membres?par_page=5000",
            "par_page",
            "Le paramètre « par_page » doit être un nombre entier de 1 à 1000.",
        ),
        ("/membres?page=deux", "page", "Le paramètre « page » doit être un nombre entier à partir de 1."),
        (
            "/gouvernances?departement=Nièvre",
            "departement",
            "Le paramètre « departement » doit être un code Insee de département, par exemple « 58 », « 2A » ou « 974 ».",
        ),
        ("/gouvernances?departement=99", "departement", "Aucun département ne porte le code « 99 »."),
        ("/membres?region=99", "region", "Aucune région ne porte le code « 99 »."),
        ("/communes?epci=123456789", "epci", "Aucun EPCI ne porte le SIREN « 123456789 »."),
        ("/membres?page=9", "page", "La page 9 n'existe pas : la liste compte 1 page."),
        ("/membres?dept=58", "dept", "Le paramètre « dept » n'existe pas ici."),
        (
            "/communes?q=n",
            "q",
            "Le paramètre « q » doit être un texte de 2 à 100 caractères (nom, code Insee ou code postal).",
        ),
        ("/regions?departement=58", "departement", "Le paramètre « departement » n'existe pas ici."),
        ("/gouvernances/58?page=2", "page", "Le paramètre « page » n'existe pas ici."),
    ],
)
def test_bad_parameters_get_a_400_in_french(client, nievre, path, parametre, detail):
    response, body = get(client, path)
    assert_problem(response, body, 400)
    assert body["title"] == "Paramètre invalide"
    assert body["detail"].startswith(detail)
    assert [e["parametre"] for e in body["erreurs"]] == [parametre]
    assert body["instance"] == API + path or body["instance"].startswith(API)


def test_several_bad_parameters_are_listed_together(client, db):
    response, body = get(client, "/communes?page=0&par_page=x")
    assert_problem(response, body, 400)
    assert body["detail"].startswith("2 paramètres sont invalides.")
    assert {e["parametre"] for e in body["erreurs"]} == {"page", "par_page"}


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/gouvernances/99", "Aucun département de la campagne ne porte le code « 99 »."),
        ("/feuilles-de-route/999999", "Aucune feuille de route publiée ne porte l'identifiant 999999."),
        ("/communes/99999", "Aucune commune ne porte le code « 99999 »."),
        ("/contacts", "Aucune ressource de l'API à cette adresse."),
    ],
)
def test_unknown_resources_get_a_404_in_french(client, db, path, detail):
    response, body = get(client, path)
    assert_problem(response, body, 404)
    assert body["title"] == "Ressource introuvable"
    assert body["detail"] == detail


def test_a_path_parameter_out_of_shape_is_a_400(client, db):
    response, body = get(client, "/feuilles-de-route/zero")
    assert_problem(response, body, 400)
    assert body["erreurs"][0]["parametre"] == "id"


def test_the_api_is_read_only(client, nievre):
    response = client.post(f"{API}/membres", data={"nom": "Intrus"})
    body = json.loads(response.content)
    assert_problem(response, body, 405)
    assert response["Allow"] == "GET, HEAD"
    assert body["detail"] == "L'API est en lecture seule : cette adresse ne répond qu'à GET et HEAD."


def test_the_draft_s_private_data_never_show(client, nievre):
    """The follow-up note, the sous-préfet and the référents are nowhere in any answer."""
    text = "".join(client.get(API + path).content.decode() for path in every_path(nievre))
    for private in (
        "sous-prefete@nievre.gouv.example",
        "sp@cote-dor.gouv.example",
        "Note confidentielle",
        "Note de suivi ANCT",
        "Référente",
        "Suppléant",
        "@example.org",
        "Jeanne Dupont",
    ):
        assert private not in text, private


# --- Limit per client, CORS ---------------------------------------------------------------------------


def test_each_client_is_limited_on_its_own(client, db, settings, monkeypatch):
    settings.FNE_API_LIMITE = "3/m"
    # One window for the whole test: a slow machine must not cross a minute's boundary.
    monkeypatch.setattr("core.ratelimit.time", types.SimpleNamespace(time=lambda: 1_800_000_030.0))
    for _ in range(3):
        assert client.get(f"{API}/regions", REMOTE_ADDR="192.0.2.1").status_code == 200
    response, body = get(client, "/regions", REMOTE_ADDR="192.0.2.1")
    assert_problem(response, body, 429)
    assert body["title"] == "Trop de requêtes"
    assert "au plus 3 requêtes par minute" in body["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert client.get(f"{API}/regions", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_any_site_may_read_the_api_from_a_browser(client, db):
    response = client.get(f"{API}/regions", HTTP_ORIGIN="https://carto.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        f"{API}/regions",
        HTTP_ORIGIN="https://carto.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    # Only the open data: the rest of the site does not answer other origins.
    other = client.get("/", HTTP_ORIGIN="https://carto.example")
    assert "Access-Control-Allow-Origin" not in other
