"""The document's history: each save with what it changed (field, before, after)."""

import pytest
from django.urls import reverse

from feuilles_de_route.enums import Indicateur
from feuilles_de_route.models import Document
from tests.browser_form import post_form
from tests.feuilles_de_route.factories import DocumentFactory, FeuilleDeRouteFactory, MembreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    porteur = MembreFactory(departement_cd=True)
    feuille = FeuilleDeRouteFactory(
        gouvernance=porteur.gouvernance, porteur=porteur, nom="Feuille de la Nièvre"
    )
    return DocumentFactory(feuille_de_route=feuille, specificites="Un département rural.")


def url(name, document, **kwargs):
    return reverse(f"feuilles_de_route:{name}", kwargs={"pk": document.feuille_de_route_id, **kwargs})


def test_the_history_lists_each_save_with_before_and_after(
    client_for, document, django_assert_max_num_queries
):
    client = client_for("prefecture")
    client.post(
        url("section", document, section="introduction"),
        {"version": 0, "specificites": "Un département <b>rural</b> et vieillissant."},
    )
    client.post(url("axe_ajouter", document), {"version": 0, "nom": "Aller vers", "description": "Pourquoi."})
    # The indicators' page as a browser sends it: every target, two of them set.
    page = url("section", document, section="indicateurs")
    cibles = post_form(client.get(page).content.decode(), contains="version").as_post()
    cibles.update({f"{Indicateur.CONSEILLERS}_2023": ["23"], f"{Indicateur.LIEUX}_2027": ["125"]})
    client.post(page, cibles)
    assert Document.objects.get(pk=document.pk).specificites.startswith("Un département <b>rural</b>")

    with django_assert_max_num_queries(20):
        response = client_for("region").get(url("historique", document))
    assert response.status_code == 200
    content = response.content.decode()
    # The introduction: the field, its value before and after (HTML shown as text, not markup).
    assert (
        "Version 1 — <strong>Spécificités du territoire en lien avec l&#x27;inclusion numérique</strong>"
        in content
    )
    assert '<span class="fr-sr-only">avant : </span>Un département rural.</del>' in content
    assert "après : </span>Un département rural et vieillissant.</ins>" in content
    assert "Ajout : Axe « Aller vers »" in content
    # The twelve targets of one save make one event, with the values set.
    assert content.count("<td>Cibles des indicateurs</td>") == 1
    assert "après : </span>23</ins>" in content
    assert "après : </span>125</ins>" in content
    assert "agent@nievre.test" in content


def test_the_editor_links_to_the_history(client_for, document):
    content = client_for("prefecture").get(url("editeur", document)).content.decode()
    assert url("historique", document) in content


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("demo", 200),
        ("prefecture", 200),
        ("region", 200),
        ("prefecture_autre", 404),
        ("region_autre", 404),
        ("structure", 404),
    ],
)
def test_history_access(client_for, document, role, expected):
    assert client_for(role).get(url("historique", document)).status_code == expected
