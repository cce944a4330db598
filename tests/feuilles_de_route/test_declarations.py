"""Feuilles de route are written by their own app: the gouvernance's section save calls it. A
feuille de route whose document holds what someone wrote is never removed with it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from feuilles_de_route import services as feuilles_services
from feuilles_de_route.models import Axe, Document, FeuilleDeRoute
from gouvernances import services
from gouvernances.enums import Section
from tests.browser_form import post_form
from tests.gouvernances.test_services import gouvernance_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def gouvernance(prefecture_58):
    from territoires.models import Departement

    nievre = Departement.objects.get(code="58")
    return services.gouvernance_create(departement=nievre, user=prefecture_58, data=gouvernance_input())


def _keep_only_the_departementale(gouvernance):
    departementale = gouvernance.feuilles_de_route.get(nom="Départementale")
    return [
        feuilles_services.FeuilleInput(
            departementale.nom,
            departementale.porteur.key,
            departementale.perimetre,
            contrat_preexistant=departementale.contrat_preexistant,
            id=departementale.pk,
        )
    ]


def _save_feuilles(gouvernance, user, data):
    version = gouvernance.sections.get(section=Section.FEUILLES_DE_ROUTE).version
    return services.section_save(
        gouvernance=gouvernance, user=user, section=Section.FEUILLES_DE_ROUTE, version=version, data=data
    )


def test_a_feuille_de_route_with_written_content_is_not_removed(gouvernance, prefecture_58):
    nevers = gouvernance.feuilles_de_route.get(nom="Nevers")
    document = feuilles_services.document_start(feuille_de_route=nevers, user=prefecture_58)
    feuilles_services.axe_save(
        document=document,
        axe=None,
        version=0,
        nom="Aller vers les publics",
        description="",
        user=prefecture_58,
    )
    with pytest.raises(ValidationError) as exc:
        _save_feuilles(gouvernance, prefecture_58, _keep_only_the_departementale(gouvernance))
    assert exc.value.message_dict["feuilles"] == [
        "La feuille de route « Nevers » ne peut pas être retirée : son document contient déjà 1 axe. "
        "Pour la retirer, ouvrez son document et supprimez d'abord ce contenu ; pour la garder sous une "
        "autre forme, modifiez plutôt son nom, son porteur ou son périmètre."
    ]
    # Nothing was removed: the feuille de route, its document and its axe are still stored.
    assert FeuilleDeRoute.objects.filter(pk=nevers.pk).exists()
    assert Axe.objects.filter(document=document, nom="Aller vers les publics").exists()
    assert gouvernance.feuilles_de_route.count() == 2


def test_the_prefilled_diagnostic_alone_does_not_count_as_content(gouvernance, prefecture_58):
    """Section II starts from the diagnostic's figures: an editor opened once holds no one's work."""
    nevers = gouvernance.feuilles_de_route.get(nom="Nevers")
    document = feuilles_services.document_start(feuille_de_route=nevers, user=prefecture_58)
    assert document.offre  # pre-filled
    _save_feuilles(gouvernance, prefecture_58, _keep_only_the_departementale(gouvernance))
    assert not FeuilleDeRoute.objects.filter(pk=nevers.pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()


def test_a_saved_text_counts_and_the_message_lists_what_the_document_holds(gouvernance, prefecture_58):
    nevers = gouvernance.feuilles_de_route.get(nom="Nevers")
    document = feuilles_services.document_start(feuille_de_route=nevers, user=prefecture_58)
    feuilles_services.document_section_save(
        document=document,
        section="introduction",
        version=0,
        data={"specificites": "Un territoire rural."},
        user=prefecture_58,
    )
    axe = feuilles_services.axe_save(
        document=document, axe=None, version=0, nom="Former", description="", user=prefecture_58
    )
    for nom in ("Former les agents", "Former les bénévoles"):
        feuilles_services.fiche_save(axe=axe, fiche=None, version=0, data={"nom": nom}, user=prefecture_58)
    with pytest.raises(ValidationError, match="contient déjà 1 axe et 2 fiches action et des textes rédigés"):
        _save_feuilles(gouvernance, prefecture_58, _keep_only_the_departementale(gouvernance))


def test_an_approved_version_explains_it_stays_in_the_history(gouvernance, prefecture_58):
    nevers = gouvernance.feuilles_de_route.get(nom="Nevers")
    document = feuilles_services.document_start(feuille_de_route=nevers, user=prefecture_58)
    feuilles_services.axe_save(
        document=document, axe=None, version=0, nom="Axe", description="", user=prefecture_58
    )
    feuilles_services.document_submit(document=document, user=prefecture_58)
    feuilles_services.document_approve(
        document=document, approuvee_le=datetime.date.today(), user=prefecture_58
    )
    with pytest.raises(ValidationError, match="Une version soumise ou approuvée reste dans l'historique"):
        _save_feuilles(gouvernance, prefecture_58, _keep_only_the_departementale(gouvernance))
    assert FeuilleDeRoute.objects.filter(pk=nevers.pk).exists()


def test_the_gouvernance_page_shows_the_refusal_and_keeps_the_input(client, gouvernance, prefecture_58):
    departementale = gouvernance.feuilles_de_route.get(nom="Départementale")
    nevers = gouvernance.feuilles_de_route.get(nom="Nevers")
    document = feuilles_services.document_start(feuille_de_route=nevers, user=prefecture_58)
    feuilles_services.axe_save(
        document=document, axe=None, version=0, nom="Axe", description="", user=prefecture_58
    )
    client.force_login(prefecture_58)
    section = f"/departements/58/gouvernance/{Section.FEUILLES_DE_ROUTE.value}/"
    # The section as the page renders it (every field of both rows), renamed and with Nevers
    # ticked for removal.
    body = post_form(client.get(section).content.decode(), contains="version").as_post()
    row = {body[f"feuilles-{i}-id"][0]: i for i in range(int(body["feuilles-INITIAL_FORMS"][0]))}
    body[f"feuilles-{row[str(departementale.pk)]}-nom"] = ["Feuille de route départementale renommée"]
    body[f"feuilles-{row[str(nevers.pk)]}-DELETE"] = ["on"]
    response = client.post(section, body)
    assert response.status_code == 400
    content = response.content.decode()
    assert "La feuille de route « Nevers » ne peut pas être retirée" in content
    assert "Feuille de route départementale renommée" in content  # what was typed is kept
    # Nothing was written: neither the removal nor the renaming.
    assert FeuilleDeRoute.objects.get(pk=nevers.pk).nom == "Nevers"
    assert FeuilleDeRoute.objects.get(pk=departementale.pk).nom == "Départementale"
