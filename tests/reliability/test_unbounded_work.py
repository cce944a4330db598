"""Work a request can cause is bounded: PDF jobs, text lengths, formset rows, search inputs."""

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.test import Client
from django.urls import reverse

from core.forms import SEARCH_MAX_LENGTH, FneFormSet
from core.ratelimit import parse_rate
from feuilles_de_route.enums import EtatJob
from feuilles_de_route.models import PdfJob
from feuilles_de_route.views import PDF_RATE
from gouvernances.forms import COMITES_MAX, MEMBRES_MAX
from gouvernances.models import Comite, Membre
from tests.browser_form import page_text, post_form
from tests.reliability.snapshot import rows_lost, snapshot

pytestmark = pytest.mark.django_db


def pdf_url(feuille) -> str:
    return reverse("feuilles_de_route:pdf", kwargs={"pk": feuille.pk})


def editor_url(feuille) -> str:
    return reverse("feuilles_de_route:editeur", kwargs={"pk": feuille.pk})


# --- PDF jobs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["demo", "region"])
def test_read_only_roles_cannot_ask_for_a_pdf_and_see_no_button(client_for, contenu_58, role):
    client = client_for(role)
    page = client.get(editor_url(contenu_58["feuille"])).content.decode()
    assert "Générer le PDF" not in page
    response = client.post(pdf_url(contenu_58["feuille"]))
    assert response.status_code == 403
    assert "pas en demander la génération" in page_text(response)
    assert not PdfJob.objects.exists()


def test_a_second_request_returns_the_pending_job(
    client, prefecture_58, contenu_58, monkeypatch, django_capture_on_commit_callbacks
):
    from feuilles_de_route.tasks import render_pdf_job

    sent = []
    monkeypatch.setattr(render_pdf_job, "apply_async", lambda **kwargs: sent.append(kwargs))
    client.force_login(prefecture_58)
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(pdf_url(contenu_58["feuille"]), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    assert PdfJob.objects.filter(document=contenu_58["document"]).count() == 1
    assert len(sent) == 1  # one task queued, not five


def test_pdf_requests_are_limited_per_person(client, prefecture_58, contenu_58, figures, monkeypatch):
    from feuilles_de_route.tasks import render_pdf_job

    monkeypatch.setattr(render_pdf_job, "apply_async", lambda **kwargs: None)
    limit, _ = parse_rate(PDF_RATE)
    client.force_login(prefecture_58)
    statuses = []
    for _ in range(limit):
        statuses.append(client.post(pdf_url(contenu_58["feuille"])).status_code)
        PdfJob.objects.update(etat=EtatJob.TERMINE)  # each one done: a new request is a new job
    assert set(statuses) == {302}
    over = client.post(pdf_url(contenu_58["feuille"]))
    assert over.status_code == 429
    htmx = client.post(pdf_url(contenu_58["feuille"]), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    assert "patientez quelques minutes" in page_text(htmx)
    assert PdfJob.objects.count() == limit
    figures(
        classe="PDF limités",
        requetes=limit + 2,
        erreurs_500=0,
        detail=f"{limit} PDF par personne et par heure, puis 429",
    )


def test_a_pdf_over_its_time_limit_fails_with_a_reason_to_act_on(contenu_58, monkeypatch, settings):
    from feuilles_de_route.tasks import render_pdf_job

    def too_long(document):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr("feuilles_de_route.pdf.render_pdf", too_long)
    job = PdfJob.objects.create(document=contenu_58["document"])
    render_pdf_job.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.etat == EtatJob.ECHEC
    assert "durée maximale" in job.raison
    assert "Raccourcissez" in job.raison
    assert "SoftTimeLimitExceeded" in job.detail_technique


def test_the_exception_text_goes_to_the_admin_never_to_the_page(
    client, prefecture_58, contenu_58, monkeypatch
):
    from feuilles_de_route.tasks import render_pdf_job

    def broken(document):
        raise RuntimeError("/var/lib/fne/media/x.pdf: [Errno 28] No space left on device")

    monkeypatch.setattr("feuilles_de_route.pdf.render_pdf", broken)
    job = PdfJob.objects.create(document=contenu_58["document"])
    render_pdf_job.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.etat == EtatJob.ECHEC
    assert "Errno 28" in job.detail_technique
    client.force_login(prefecture_58)
    fragment = client.get(
        reverse("feuilles_de_route:pdf_etat", kwargs={"pk": contenu_58["feuille"].pk, "job_pk": job.pk})
    ).content.decode()
    assert "Errno" not in fragment
    assert "/var/lib" not in fragment
    assert "Relancez-la" in fragment
    assert "Relancer la génération" in fragment  # the retry button, never an endless spinner


# --- Text lengths ------------------------------------------------------------------------------


def test_a_5_mb_fiche_action_is_refused_next_to_the_field(client, prefecture_58, contenu_58, figures):
    client.force_login(prefecture_58)
    fiche = contenu_58["fiche"]
    url = reverse(
        "feuilles_de_route:fiche",
        kwargs={"pk": contenu_58["feuille"].pk, "axe_pk": contenu_58["axe"].pk, "fiche_pk": fiche.pk},
    )
    data = post_form(client.get(url).content.decode(), contains="version").as_post()
    data["description"] = ["x" * 5_000_000]  # 5 Mo, just under the 5 Mio request body cap
    response = client.post(url, data)
    assert response.status_code == 200
    content = page_text(response)
    assert "Ce texte dépasse la longueur maximale de 5\u202f000 caractères (il en compte 5000000)" in content
    fiche.refresh_from_db()
    assert fiche.description == "Des ateliers."
    figures(classe="textes bornés", requetes=1, erreurs_500=0, detail="fiche action de 5 Mo refusée")


def test_every_text_field_of_every_model_has_a_maximum_length():
    from django.apps import apps
    from django.db import models

    unbounded = [
        f"{model._meta.label}.{field.name}"
        for label in (
            "candidatures",
            "gouvernances",
            "feuilles_de_route",
            "besoins",
            "national",
            "comptes",
            "subventions",
            "entreprises",
            "donnees_ouvertes",
        )
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and not field.max_length
    ]
    assert unbounded == []


# --- Formsets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("total", ["-1", "2000", "0"])
def test_a_forged_total_forms_is_refused_at_once_and_deletes_nothing(
    client, prefecture_58, contenu_58, figures, total, django_assert_max_num_queries
):
    client.force_login(prefecture_58)
    url = reverse("gouvernances:section", kwargs={"code": "58", "section": "comitologie"})
    data = post_form(client.get(url).content.decode(), contains="version").as_post()
    data["comites-TOTAL_FORMS"] = [total]
    before = snapshot()
    with django_assert_max_num_queries(40):  # no row is built, let alone saved, for 2,000
        response = client.post(url, data)
    assert response.status_code == 400
    content = page_text(response)
    assert "rien n'a été enregistré" in content
    assert Comite.objects.filter(gouvernance=contenu_58["gouvernance"]).count() == 2
    lost = rows_lost(before, snapshot())
    assert lost == 0
    figures(
        classe="formsets forgés",
        requetes=1,
        erreurs_500=0,
        lignes_perdues=lost,
        detail=f"comités, TOTAL_FORMS={total}",
    )


def test_formset_bounds_come_from_what_a_gouvernance_needs():
    from gouvernances.forms import ComiteFormSet, MembreFormSet

    assert issubclass(MembreFormSet, FneFormSet)
    assert MembreFormSet.absolute_max == MembreFormSet.max_num == MEMBRES_MAX
    assert ComiteFormSet.absolute_max == ComiteFormSet.max_num == COMITES_MAX
    # The largest members' list fits the request's field cap (14 fields per member).
    from django.conf import settings

    assert MEMBRES_MAX * 14 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_more_rows_than_the_maximum_are_refused_in_french(client, prefecture_58, contenu_58):
    client.force_login(prefecture_58)
    url = reverse("gouvernances:section", kwargs={"code": "58", "section": "membres"})
    data = post_form(client.get(url).content.decode(), contains="version").as_post()
    data["membres-TOTAL_FORMS"] = [str(MEMBRES_MAX + 1)]
    response = client.post(url, data)
    assert response.status_code == 400
    assert f"au-delà du maximum de {MEMBRES_MAX}" in page_text(response)
    assert Membre.objects.filter(gouvernance=contenu_58["gouvernance"]).count() == 2


# --- Search and filters ------------------------------------------------------------------------

LONG_QUERY = "é" * 60_000


@pytest.mark.parametrize(
    ("url_name", "kwargs", "param"),
    [
        ("candidatures:liste", {"code": "58"}, "q"),
        ("national:table", {"table": "gouvernances"}, "q"),
        ("national:table", {"table": "membres"}, "q"),
        ("national:table", {"table": "feuilles-de-route"}, "q"),
        ("national:table", {"table": "candidats"}, "q"),
        ("national:table", {"table": "membres"}, "departement"),
        ("diagnostic:departement", {"code": "58"}, "nom"),
        ("territoires:recherche", {}, "q"),
    ],
)
def test_a_60000_character_search_gets_a_french_message(
    admin_user, contenu_58, figures, url_name, kwargs, param
):
    client = Client()
    client.force_login(admin_user)
    response = client.get(reverse(url_name, kwargs=kwargs), {param: LONG_QUERY})
    assert response.status_code in (200, 400)
    if response["Content-Type"].startswith("text/html"):
        assert f"Une recherche compte au plus {SEARCH_MAX_LENGTH} caractères" in page_text(response)
    figures(classe="recherches bornées", requetes=1, erreurs_500=0, detail=f"{url_name} ?{param}=")
