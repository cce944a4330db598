"""The editor and the downloads, role by role; the broker down; the editor's forms."""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from comptes.enums import Role
from feuilles_de_route.enums import EtatJob, StatutDocument
from feuilles_de_route.models import CoRedacteur, FicheAction, PdfJob
from tests.browser_form import post_form
from tests.conftest import make_user
from tests.feuilles_de_route.factories import (
    AxeFactory,
    FicheActionFactory,
)
from tests.responses import close_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def porteur_user(document):
    user = make_user("elu@nievre-departement.test", Role.STRUCTURE)
    CoRedacteur.objects.create(membre=document.feuille_de_route.porteur, user=user)
    return user


def url(name, document, **kwargs):
    return reverse(f"feuilles_de_route:{name}", kwargs={"pk": document.feuille_de_route_id, **kwargs})


READ = {
    "admin": 200,
    "demo": 200,
    "prefecture": 200,
    "prefecture_autre": 404,
    "region": 200,
    "region_autre": 404,
    "structure": 404,
}
WRITE = {
    "admin": 302,
    "demo": 403,
    "prefecture": 302,
    "prefecture_autre": 404,
    "region": 403,
    "region_autre": 404,
    "structure": 404,
}


@pytest.mark.parametrize(("role", "expected"), READ.items())
def test_editor_read_access(client_for, document, role, expected):
    assert client_for(role).get(url("editeur", document)).status_code == expected


def test_anonymous_is_sent_to_login(client, document):
    response = client.get(url("editeur", document))
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]


@pytest.mark.parametrize(("role", "expected"), WRITE.items())
def test_section_write_access(client_for, document, role, expected):
    response = client_for(role).post(
        url("section", document, section="introduction"), {"version": 0, "specificites": "Rural"}
    )
    assert response.status_code == expected


def test_invited_porteur_user_writes_and_sees_it_in_their_space(client, document, porteur_user):
    client.force_login(porteur_user)
    response = client.post(
        url("section", document, section="introduction"), {"version": 0, "specificites": "Rural"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.specificites == "Rural"
    home = client.get(reverse("espace:mon_espace"))
    assert "Feuille de route de la Nièvre" in home.content.decode()
    # ... but the porteur does not manage the status nor the signed copies.
    assert client.post(url("soumettre", document)).status_code == 403
    document.refresh_from_db()
    assert document.statut == StatutDocument.REDACTION


@pytest.mark.parametrize(("role", "expected"), READ.items())
def test_pdf_download_access(client_for, document, role, expected):
    job = PdfJob.objects.create(document=document, etat=EtatJob.TERMINE, pages=1)
    job.fichier.save("x.pdf", ContentFile(b"%PDF-1.7 test"))
    response = client_for(role).get(url("pdf_telecharger", document, job_pk=job.pk))
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith("attachment")
        close_response(response)


def test_pdf_request_renders_and_the_fragment_offers_the_download(
    client_for, document, django_capture_on_commit_callbacks
):
    client = client_for("prefecture")
    AxeFactory(document=document, nom="Aller vers les publics")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("pdf", document), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in response.content.decode()
    job = PdfJob.objects.get()
    assert job.etat == EtatJob.TERMINE
    fragment = client.get(url("pdf_etat", document, job_pk=job.pk)).content.decode()
    assert "Télécharger le PDF" in fragment
    assert "every 2s" not in fragment


def test_the_pdf_state_is_a_page_of_its_own_outside_htmx(
    client_for, document, django_capture_on_commit_callbacks
):
    client = client_for("prefecture")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("pdf", document), HTTP_HX_REQUEST="true")
    job = PdfJob.objects.get()
    fragment = client.get(url("pdf_etat", document, job_pk=job.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    # Opened directly (a shared address, no JavaScript): the site's page, with its title and way back.
    page = client.get(url("pdf_etat", document, job_pk=job.pk)).content.decode()
    assert '<html lang="fr"' in page
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.startswith("PDF de la feuille de route — ")
    assert "<h1>PDF de la feuille de route</h1>" in page
    assert "Télécharger le PDF" in page
    assert "Retour à la feuille de route" in page


def test_broker_down_says_delayed_instead_of_500(
    client_for, document, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from feuilles_de_route.tasks import render_pdf_job

    def down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(render_pdf_job, "apply_async", down)
    client = client_for("prefecture")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("pdf", document), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = PdfJob.objects.get()
    fragment = client.get(url("pdf_etat", document, job_pk=job.pk)).content.decode()
    assert "Génération différée" in fragment
    assert 'hx-trigger="every 2s"' in fragment
    assert PdfJob.objects.get().etat == EtatJob.EN_ATTENTE


def test_stale_section_save_keeps_the_input_and_names_who_saved(
    client_for, document, prefecture_58, admin_user
):
    from feuilles_de_route import services

    services.document_section_save(
        document=document, section="introduction", version=0, data={"specificites": "A"}, user=admin_user
    )
    response = client_for("prefecture").post(
        url("section", document, section="introduction"), {"version": 0, "specificites": "Mon texte"}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Quelqu'un a enregistré avant vous" in html
    assert f"{admin_user.display_name} a enregistré la section « Introduction" in html
    assert "Mon texte" in html
    document.refresh_from_db()
    assert document.specificites == "A"


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _body_of(html: str, **values) -> dict:
    """The page's form as a browser sends it (every field it renders, with the version the page
    carries), with the fields the test types in."""
    body = post_form(html, contains="version").as_post()
    body.update({name: [value] for name, value in values.items()})
    return body


def test_two_agents_the_later_fiche_save_is_refused_then_goes_through_deliberately(
    document, prefecture_58, admin_user
):
    admin_user.first_name, admin_user.last_name = "Camille", "Martin"
    admin_user.save()
    fiche = FicheActionFactory(axe=AxeFactory(document=document), nom="Bus numérique")
    page = url("fiche", document, axe_pk=fiche.axe_id, fiche_pk=fiche.pk)
    first, second = _logged_in(admin_user), _logged_in(prefecture_58)
    # Both open the fiche action.
    first_page = first.get(page).content.decode()
    second_page = second.get(page).content.decode()

    saved = first.post(page, _body_of(first_page, nom="Bus numérique du Morvan"))
    assert saved.status_code == 302
    response = second.post(page, _body_of(second_page, nom="Bus numérique itinérant"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Quelqu'un a enregistré avant vous" in html
    assert "Camille Martin a enregistré la fiche action « Bus numérique du Morvan » le " in html
    assert 'value="Bus numérique itinérant"' in html  # what the second agent typed is kept
    fiche.refresh_from_db()
    assert (fiche.nom, fiche.modifie_par) == ("Bus numérique du Morvan", admin_user)
    assert _version_in(html) == str(fiche.version)

    again = second.post(page, _body_of(html, nom="Bus numérique itinérant"))
    assert again.status_code == 302
    fiche.refresh_from_db()
    assert (fiche.nom, fiche.modifie_par) == ("Bus numérique itinérant", prefecture_58)


def test_axe_and_fiche_pages_and_the_3_to_5_warning(client_for, document):
    client = client_for("prefecture")
    response = client.post(
        url("axe_ajouter", document), {"version": 0, "nom": "Aller vers", "description": "D"}
    )
    assert response.status_code == 302
    axe = document.axes.get()
    editor = client.get(url("editeur", document)).content.decode()
    assert "recommande de 3 à 5 axes" in editor
    ajouter = url("fiche_ajouter", document, axe_pk=axe.pk)
    blank = client.get(ajouter).content.decode()
    response = client.post(ajouter, _body_of(blank, nom=""))
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    response = client.post(ajouter, _body_of(blank, nom="Bus numérique", pilote="CD58"))
    assert response.status_code == 302
    assert FicheAction.objects.get().nom == "Bus numérique"
    for name in ("indicateurs", "financements", "moyens", "ambition", "diagnostic"):
        assert client.get(url("section", document, section=name)).status_code == 200
    assert client.get(url("signataires", document)).status_code == 200


def test_the_editor_numbers_an_axe_once_when_the_writer_numbered_it(client_for, document):
    AxeFactory(document=document, nom="Axe 1 – Aller vers les publics")
    AxeFactory(document=document, nom="Former les aidants")
    editor = client_for("prefecture").get(url("editeur", document)).content.decode()
    assert "Axe 1 – Aller vers les publics</h3>" in editor
    assert "Axe 1 – Axe 1" not in editor
    assert "Axe 2 – Former les aidants</h3>" in editor


def test_signed_copy_upload_by_the_prefecture_only(client_for, document):
    fake = ContentFile(b"GIF89a not a pdf", name="copie.pdf")
    response = client_for("prefecture").post(url("copie_deposer", document), {"fichier": fake})
    assert response.status_code == 400
    assert "est pas un PDF" in response.content.decode()


@pytest.mark.parametrize(("role", "expected"), {"region": 403, "demo": 403, "prefecture_autre": 404}.items())
def test_signed_copy_upload_refused_to_other_roles(client_for, document, role, expected):
    response = client_for(role).post(
        url("copie_deposer", document), {"fichier": ContentFile(b"%PDF-", name="a.pdf")}
    )
    assert response.status_code == expected


def test_a_structure_user_not_invited_gets_404(client, document, porteur_user):
    other = make_user("autre@mairie.test", Role.STRUCTURE)
    client.force_login(other)
    assert client.get(url("editeur", document)).status_code == 404


@pytest.mark.parametrize(("role", "expected"), {**WRITE, "admin": 200, "prefecture": 200}.items())
def test_submit_confirmation_page_access(client_for, document, role, expected):
    assert client_for(role).get(url("soumettre", document)).status_code == expected


@pytest.mark.parametrize(("role", "expected"), WRITE.items())
def test_submit_access(client_for, document, role, expected):
    AxeFactory(document=document)
    assert client_for(role).post(url("soumettre", document)).status_code == expected
    document.refresh_from_db()
    assert document.statut == (StatutDocument.SOUMISE if expected == 302 else StatutDocument.REDACTION)


def test_submit_shows_what_will_be_submitted_then_submits_on_confirmation(client_for, document):
    document.specificites = "Territoire rural aux longues distances."
    document.save()
    axe = AxeFactory(document=document, nom="Former les aidants")
    FicheActionFactory(axe=axe, nom="Ateliers en mairie", pilote="Conseil départemental")
    client = client_for("prefecture")

    editor = client.get(url("editeur", document)).content.decode()
    assert f'href="{url("soumettre", document)}">Soumettre à la gouvernance</a>' in editor

    page = client.get(url("soumettre", document)).content.decode()
    assert "<title>Soumettre à la gouvernance — Feuille de route de la Nièvre — " in page
    assert "Ce qui sera soumis" in page
    assert "Territoire rural aux longues distances." in page
    assert "Axe 1 – Former les aidants" in page
    assert "Ateliers en mairie — pilote : Conseil départemental" in page
    assert "Confirmer : soumettre à la gouvernance" in page
    document.refresh_from_db()
    assert document.statut == StatutDocument.REDACTION  # looking submits nothing

    response = client.post(url("soumettre", document))
    assert response.status_code == 302
    assert response["Location"] == url("editeur", document) + "#statut"
    document.refresh_from_db()
    assert document.statut == StatutDocument.SOUMISE
    assert document.soumise_le is not None
    # Once submitted, the confirmation page sends back to the editor.
    assert client.get(url("soumettre", document))["Location"] == url("editeur", document) + "#statut"


def test_submit_without_an_axe_says_why_and_offers_no_confirmation(client_for, document):
    client = client_for("prefecture")
    page = client.get(url("soumettre", document)).content.decode()
    assert "La feuille de route ne peut pas encore être soumise" in page
    assert "Rédigez au moins un axe prioritaire avant de soumettre la feuille de route." in page
    assert "Confirmer : soumettre à la gouvernance" not in page
    response = client.post(url("soumettre", document), follow=True)
    assert "Rédigez au moins un axe prioritaire" in response.content.decode()
    document.refresh_from_db()
    assert document.statut == StatutDocument.REDACTION
