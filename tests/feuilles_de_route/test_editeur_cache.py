"""The editor's page from the cache: its query count, fresh content after every kind of write it
shows, each reader's own buttons and forms, and forms that post with the reader's own token."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptes.enums import Role
from comptes.signals import COMPTES
from core.cache import TRACKED, generations
from feuilles_de_route import services
from feuilles_de_route.enums import EtatJob, SectionDocument, StatutDocument
from feuilles_de_route.models import CopieSignee, CoRedacteur, PdfJob
from feuilles_de_route.views import page
from gouvernances.signals import GOUVERNANCES
from territoires.models import Departement
from tests.conftest import make_user
from tests.feuilles_de_route.factories import (
    AxeFactory,
    FicheActionFactory,
)
from tests.gouvernances.factories import ComiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(document):
    FicheActionFactory(axe=AxeFactory(document=document, nom="Former les aidants"), nom="Ateliers en mairie")
    return document


def editor_url(document) -> str:
    return reverse("feuilles_de_route:editeur", kwargs={"pk": document.feuille_de_route_id})


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _logged_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


# --- Query count ---------------------------------------------------------------------------------


def test_query_count_of_the_first_and_the_cached_read_stays_the_same_when_the_document_grows(
    client_for, document
):
    client = client_for("prefecture")
    url = editor_url(document)
    counts = [_queries(client, url), _queries(client, url)]
    for _ in range(9):
        FicheActionFactory.create_batch(2, axe=AxeFactory(document=document))
    ComiteFactory.create_batch(3, gouvernance=document.feuille_de_route.gouvernance)
    # The writes renewed the generation: the first read computes the page again, the next one
    # reads it from the cache.
    assert [_queries(client, url), _queries(client, url)] == counts
    # Computed: the session, the user, the feuille with its versions, the axes, their fiches, the
    # comités, the targets, the co-financements, the signataires, the porteur membre and its
    # collectivité, the signed copies, the co-rédacteurs, the PDF job. From the cache: the first
    # three and the PDF job.
    assert counts == [14, 4]
    assert "Axe 10 – " in client.get(url).content.decode()


def test_the_demo_reader_also_reads_the_page_in_a_fixed_number_of_queries(client_for, document):
    client = client_for("demo")
    url = editor_url(document)
    counts = [_queries(client, url), _queries(client, url)]
    FicheActionFactory.create_batch(10, axe=AxeFactory(document=document))
    # No co-rédacteurs (not the demo's to manage); whether the reader co-writes it, asked twice
    # (may write, may ask for a PDF).
    assert [_queries(client, url), _queries(client, url)] == counts == [15, 6]


# --- Never stale ---------------------------------------------------------------------------------


def _edit_section(document, user):
    services.document_section_save(
        document=document,
        section=SectionDocument.INTRODUCTION,
        version=0,
        data={"specificites": "Un territoire rural aux longues distances."},
        user=user,
    )
    return "Un territoire rural aux longues distances."


def _add_fiche(document, user):
    axe = document.axes.get()
    services.fiche_save(axe=axe, fiche=None, version=0, data={"nom": "Bus numérique itinérant"}, user=user)
    return "Bus numérique itinérant"


def _submit(document, user):
    services.document_submit(document=document, user=user)
    return "Enregistrer l'approbation"


def _approve(document, user):
    services.document_submit(document=document, user=user)
    # The first of the month is written « 1er » in French.
    services.document_approve(document=document, approuvee_le=datetime.date(2025, 12, 1), user=user)
    return "approuvée le 1er décembre 2025"


def _invite(document, user):
    services.coredacteur_invite(
        feuille_de_route=document.feuille_de_route, email="elu@nievre-departement.test", user=user
    )
    return "elu@nievre-departement.test — invité le"


def _rename_coredacteur(document, user):
    invited = make_user("ancienne@nievre-departement.test", Role.STRUCTURE)
    CoRedacteur.objects.create(membre=document.feuille_de_route.porteur, user=invited)
    invited.email = "nouvelle@nievre-departement.test"
    invited.save()
    return "nouvelle@nievre-departement.test"


def _deposit_copy(document, user):
    CopieSignee.objects.create(
        document=document,
        fichier="copies/signee.pdf",
        nom_original="signee.pdf",
        taille=1200,
        deposee_par=user,
    )
    return "signee.pdf</a> — version 1"


def _add_comite(document, user):
    ComiteFactory(gouvernance=document.feuille_de_route.gouvernance, composition="Préfète et élus du Morvan")
    return "Préfète et élus du Morvan"


def _rename_porteur_collectivite(document, user):
    departement = Departement.objects.get(code="58")
    departement.nom = "Nièvre renommée"
    departement.save()
    return "Nièvre renommée — portée par Conseil départemental de la Nièvre renommée"


WRITES = {
    "section": _edit_section,
    "fiche action": _add_fiche,
    "soumission": _submit,
    "approbation": _approve,
    "invitation": _invite,
    "adresse d'un co-rédacteur": _rename_coredacteur,
    "copie signée": _deposit_copy,
    "comité de la gouvernance": _add_comite,
    "référentiel territorial": _rename_porteur_collectivite,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_the_next_read_after_a_write_shows_it(client_for, users, document, write):
    client = client_for("prefecture")
    url = editor_url(document)
    before = client.get(url).content.decode()  # fills the cache
    expected = write(document, users["prefecture"])
    assert expected not in before
    assert expected in client.get(url).content.decode()


def test_a_login_leaves_the_page_cached_and_a_name_change_renews_it(client_for, users, document):
    before = generations([COMPTES])
    Client().force_login(users["demo"])  # writes last_login alone
    assert generations([COMPTES]) == before
    users["prefecture"].last_name = "Martin"
    users["prefecture"].save()
    assert generations([COMPTES]) != before


def test_the_pdf_state_is_read_live_under_the_cached_content(client_for, users, document):
    client = client_for("prefecture")
    url = editor_url(document)
    assert "Aucun PDF n'a encore été généré pour cette version." in client.get(url).content.decode()
    job = PdfJob.objects.create(document=document, demande_par=users["prefecture"])
    assert "Génération du PDF : en attente" in client.get(url).content.decode()
    PdfJob.objects.filter(pk=job.pk).update(etat=EtatJob.ECHEC, raison="WeasyPrint a échoué.")
    assert "Échec de la génération : WeasyPrint a échoué." in client.get(url).content.decode()


def test_the_editor_names_generations_that_exist():
    assert page.GOUVERNANCES == GOUVERNANCES
    assert set(page.DEPENDS_ON) <= TRACKED


# --- Each reader's own buttons -------------------------------------------------------------------

WRITER_MARKS = (
    "Modifier<span",
    "Ajouter un axe",
    "Mettre à jour depuis le diagnostic",
    "Générer le PDF",
    "Soumettre à la gouvernance",
    "Déposer la copie signée",
    "Inviter à co-rédiger",
    "csrfmiddlewaretoken",
)


def _page(user, document) -> str:
    """The page's own content, between its title and the site's footer (the header holds the
    logout form)."""
    html = _logged_in(user).get(editor_url(document)).content.decode()
    return html[html.index("<h1>") : html.index("<footer")]


@pytest.mark.parametrize("reader", ["demo", "region"])
def test_a_reader_gets_no_forms_from_a_cache_a_writer_filled(users, document, reader):
    writer_page = _page(users["prefecture"], document)
    assert all(mark in writer_page for mark in WRITER_MARKS)
    reader_page = _page(users[reader], document)
    assert not any(mark in reader_page for mark in WRITER_MARKS)
    assert (
        "Consultation seule : votre compte peut lire cette feuille de route sans la modifier." in reader_page
    )
    assert "Ateliers en mairie" in reader_page


@pytest.mark.parametrize("reader", ["demo", "region"])
def test_a_writer_gets_the_forms_after_a_reader_filled_the_cache(users, document, reader):
    reader_page = _page(users[reader], document)
    assert not any(mark in reader_page for mark in WRITER_MARKS)
    writer_page = _page(users["prefecture"], document)
    assert all(mark in writer_page for mark in WRITER_MARKS)
    assert "Consultation seule" not in writer_page


def test_a_coredacteur_writes_but_does_not_manage_from_a_cache_the_prefecture_filled(users, document):
    coredacteur = make_user("elu@nievre-departement.test", Role.STRUCTURE)
    CoRedacteur.objects.create(membre=document.feuille_de_route.porteur, user=coredacteur)
    assert "Inviter à co-rédiger" in _page(users["prefecture"], document)
    coredacteur_page = _page(coredacteur, document)
    assert "Ajouter un axe" in coredacteur_page
    assert "Générer le PDF" in coredacteur_page
    for manager_only in ("Soumettre à la gouvernance", "Déposer la copie signée", "Co-rédacteurs de"):
        assert manager_only not in coredacteur_page


def test_an_approved_version_offers_no_edit_link_to_its_writer(client_for, users, document):
    client = client_for("prefecture")
    url = editor_url(document)
    assert "Ajouter un axe" in client.get(url).content.decode()
    _approve(document, users["prefecture"])
    editor = client.get(url).content.decode()
    assert "Ajouter un axe" not in editor
    assert "Cette version est approuvée : son contenu est figé." in editor
    assert "Ouvrir une nouvelle version" in editor


# --- The reader's own CSRF token -----------------------------------------------------------------


def _token(html: str, action: str) -> str:
    form = re.search(rf'<form method="post" action="{re.escape(action)}">(.*?)</form>', html, re.S)
    return re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', form[1])[1]


def test_a_form_of_the_cached_content_posts_with_the_second_readers_token(users, document):
    url = editor_url(document)
    inviter = reverse("feuilles_de_route:inviter", kwargs={"pk": document.feuille_de_route_id})
    colleague = make_user("agent2@nievre.gouv.fr", Role.PREFECTURE, departement="58")
    first = _logged_in(users["prefecture"], enforce_csrf_checks=True)
    first_token = _token(first.get(url).content.decode(), inviter)
    second = _logged_in(colleague, enforce_csrf_checks=True)  # a login keeps the cached page
    with CaptureQueriesContext(connection) as queries:
        html = second.get(url).content.decode()
    assert len(queries) == 4  # from the cache, rendered for the first reader
    token = _token(html, inviter)
    assert token != first_token
    response = second.post(inviter, {"email": "elu@nievre-departement.test", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert CoRedacteur.objects.filter(user__email="elu@nievre-departement.test").exists()
    # The first reader's token is not the second reader's: refused with it.
    refused = second.post(
        inviter, {"email": "autre@nievre-departement.test", "csrfmiddlewaretoken": first_token}
    )
    assert refused.status_code == 403
    assert not CoRedacteur.objects.filter(user__email="autre@nievre-departement.test").exists()


def test_the_status_form_of_the_cached_content_posts_with_the_second_readers_token(users, document):
    services.document_submit(document=document, user=users["prefecture"])
    url = editor_url(document)
    statut = reverse("feuilles_de_route:statut", kwargs={"pk": document.feuille_de_route_id})
    _logged_in(users["prefecture"], enforce_csrf_checks=True).get(url)
    second = _logged_in(users["admin"], enforce_csrf_checks=True)
    html = second.get(url).content.decode()
    token = re.findall(
        rf'<form method="post" action="{re.escape(statut)}">.*?name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)".*?'
        r'name="action" value="redaction"',
        html,
        re.S,
    )[-1]
    response = second.post(statut, {"action": "redaction", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.statut == StatutDocument.REDACTION
