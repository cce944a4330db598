"""Services of the document: each section, concurrency, status, versions, PDF jobs, uploads."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.versioning import StaleVersion
from feuilles_de_route import services
from feuilles_de_route.enums import EtatJob, Indicateur, SectionDocument, StatutDocument, TypeFinanceur
from feuilles_de_route.models import Document, PdfJob
from feuilles_de_route.selectors import pdf_document_for, signataires_of
from tests.feuilles_de_route.factories import (
    AxeFactory,
    ComiteFactory,
    DocumentFactory,
    FicheActionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(feuille):
    return DocumentFactory(feuille_de_route=feuille)


@pytest.mark.parametrize(
    ("section", "data"),
    [
        (SectionDocument.INTRODUCTION, {"specificites": "Rural"}),
        (
            SectionDocument.METHODE,
            {"historique": "SDUN 2019", "etapes": "Ateliers", "parties_prenantes": "CAF"},
        ),
        (SectionDocument.DIAGNOSTIC, {"besoins_publics": "Seniors", "offre": "40 lieux", "enjeux": "Morvan"}),
        (
            SectionDocument.AMBITION,
            {"positionnement": "Aller vers", "lien_coordinateur": "Réunion mensuelle"},
        ),
        (SectionDocument.PUBLICS, {"publics_cibles": "Seniors", "structures_prioritaires": "TPE"}),
        (SectionDocument.MOYENS, {"coordinateurs_postes": 2, "chef_de_projet_besoin": True}),
        (SectionDocument.VEHICULE, {"vehicule_contractuel": "Avenant au CRTE"}),
    ],
)
def test_each_text_section_saves_alone_and_bumps_its_version(document, prefecture_58, section, data):
    services.document_section_save(
        document=document, section=section, version=0, data=data, user=prefecture_58
    )
    document.refresh_from_db()
    for name, value in data.items():
        assert getattr(document, name) == value
    assert (
        document.specificites == "Un département rural et vieillissant."
        or section == SectionDocument.INTRODUCTION
    )
    assert document.sections.get(section=section).version == 1
    assert document.history.count() >= 2


def test_a_stale_save_is_refused_naming_who_saved_first(document, prefecture_58, admin_user):
    prefecture_58.first_name, prefecture_58.last_name = "Dominique", "Agent"
    prefecture_58.save()
    services.document_section_save(
        document=document, section="introduction", version=0, data={"specificites": "A"}, user=prefecture_58
    )
    with pytest.raises(StaleVersion) as exc:
        services.document_section_save(
            document=document, section="introduction", version=0, data={"specificites": "B"}, user=admin_user
        )
    assert exc.value.message.startswith(
        "Dominique Agent a enregistré la section « Introduction — spécificités du territoire » le "
    )
    document.refresh_from_db()
    assert document.specificites == "A"


def test_indicators_and_financements(document, prefecture_58):
    services.document_indicateurs_save(
        document=document,
        version=0,
        cibles={Indicateur.LIEUX: {2023: 40, 2025: 50, 2027: 60}},
        user=prefecture_58,
    )
    row = document.indicateurs.get(indicateur=Indicateur.LIEUX)
    assert (row.cible_2023, row.cible_2025, row.cible_2027) == (40, 50, 60)
    assert document.indicateurs.count() == 12
    services.document_financements_save(
        document=document,
        version=0,
        cofinancements={TypeFinanceur.EUROPE: {"montant": 120000, "description": "FEDER"}},
        mutualisation="Mutualiser les bus",
        user=prefecture_58,
    )
    document.refresh_from_db()
    assert document.mutualisation == "Mutualiser les bus"
    assert document.cofinancements.get().description == "FEDER"


def test_axes_and_fiches_have_their_own_versions(document, prefecture_58):
    axe = services.axe_save(
        document=document, axe=None, version=0, nom="Aller vers", description="", user=prefecture_58
    )
    fiche = services.fiche_save(
        axe=axe, fiche=None, version=0, data={"nom": "Bus numérique"}, user=prefecture_58
    )
    services.fiche_save(
        axe=axe, fiche=fiche, version=1, data={"nom": "Bus numérique du Morvan"}, user=prefecture_58
    )
    with pytest.raises(StaleVersion):
        services.fiche_save(axe=axe, fiche=fiche, version=1, data={"nom": "Perdu"}, user=prefecture_58)
    with pytest.raises(StaleVersion):
        services.axe_save(document=document, axe=axe, version=0, nom="X", description="", user=prefecture_58)
    fiche.refresh_from_db()
    assert fiche.nom == "Bus numérique du Morvan"
    axe.refresh_from_db()
    assert axe.nom == "Aller vers"


def test_signataires_prefet_and_porteur_are_required_others_added(document, feuille, prefecture_58):
    services.signataire_add(
        document=document, organisation="CAF de la Nièvre", qualite="Directrice", nom="", user=prefecture_58
    )
    rows = signataires_of(document)
    assert rows[0].organisation == "État — Préfecture de la Nièvre"
    assert rows[0].qualite == "Le préfet de la Nièvre"
    assert rows[1].organisation == feuille.porteur.nom
    assert rows[2].organisation == "CAF de la Nièvre"


def test_status_approved_is_frozen_then_a_new_version_copies_the_content(document, prefecture_58):
    fiche = FicheActionFactory(axe=AxeFactory(document=document))
    services.document_submit(document=document, user=prefecture_58)
    services.document_approve(document=document, approuvee_le=datetime.date(2024, 6, 1), user=prefecture_58)
    document.refresh_from_db()
    assert document.statut == StatutDocument.APPROUVEE
    assert document.signataires.filter(requis=True).count() == 2
    with pytest.raises(PermissionDenied):
        services.document_section_save(
            document=document,
            section="introduction",
            version=0,
            data={"specificites": "X"},
            user=prefecture_58,
        )
    copy = services.document_new_version(document=document, user=prefecture_58)
    assert copy.numero == 2
    assert copy.statut == StatutDocument.REDACTION
    assert copy.specificites == document.specificites
    assert copy.axes.get().fiches.get().nom == fiche.nom


def test_approval_date_cannot_be_in_the_future(document, prefecture_58):
    AxeFactory(document=document)
    services.document_submit(document=document, user=prefecture_58)
    with pytest.raises(ValidationError):
        services.document_approve(
            document=document,
            approuvee_le=timezone.localdate() + datetime.timedelta(days=2),
            user=prefecture_58,
        )


def test_document_start_prefills_section_ii_from_the_diagnostic(feuille, prefecture_58, monkeypatch):
    monkeypatch.setattr(
        "feuilles_de_route.prefill.synthese_textes", lambda perimetre: {"offre": "42 lieux de médiation"}
    )
    document = services.document_start(feuille_de_route=feuille, user=prefecture_58)
    assert document.offre == "42 lieux de médiation"
    assert services.document_start(feuille_de_route=feuille, user=prefecture_58).pk == document.pk


def test_pdf_document_for_reads_the_gouvernance_comites(document):
    ComiteFactory(gouvernance=document.feuille_de_route.gouvernance)
    FicheActionFactory(axe=AxeFactory(document=document), nom="Bus numérique")
    data = pdf_document_for(document)
    assert data.prefecture == "Préfecture de la Nièvre"
    assert data.comites[0].libelle == "Comité stratégique"
    assert data.axes[0].fiches[0].nom == "Bus numérique"
    assert len(data.indicateurs) == 12


# PDF jobs: the task's states.


def test_the_task_renders_the_pdf_and_stores_it(document, prefecture_58):
    from feuilles_de_route.tasks import render_pdf_job

    FicheActionFactory(axe=AxeFactory(document=document))
    job = PdfJob.objects.create(document=document)
    render_pdf_job.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.etat == EtatJob.TERMINE
    assert job.pages >= 7
    with job.fichier.open("rb") as f:
        assert f.read(5) == b"%PDF-"
    assert job.tentatives == 1


def test_the_task_stores_a_readable_reason_when_rendering_fails(document, monkeypatch):
    from feuilles_de_route.tasks import render_pdf_job

    def boom(doc):
        raise ValueError("gabarit cassé")

    monkeypatch.setattr("feuilles_de_route.pdf.render_pdf", boom)
    job = PdfJob.objects.create(document=document)
    render_pdf_job.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.etat == EtatJob.ECHEC
    assert "La génération du PDF a échoué" in job.raison
    # The exception is for the team (admin, logs), never on the page.
    assert "gabarit cassé" not in job.raison
    assert "gabarit cassé" in job.detail_technique


def test_the_task_retries_on_transient_failures_then_fails(document, monkeypatch, settings):
    from core.tasks import RETRY_POLICY
    from feuilles_de_route.tasks import render_pdf_job

    calls = []

    def flaky(doc):
        calls.append(1)
        raise OSError("disque plein")

    monkeypatch.setattr("feuilles_de_route.pdf.render_pdf", flaky)
    job = PdfJob.objects.create(document=document)
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    render_pdf_job.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert len(calls) == 1 + RETRY_POLICY["max_retries"]  # the first try, then every retry
    assert job.etat == EtatJob.ECHEC
    assert "disque plein" not in job.raison
    assert "disque plein" in job.detail_technique


def test_broker_down_leaves_the_job_waiting_and_a_requeue_picks_it_up(
    document, prefecture_58, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from feuilles_de_route.tasks import render_pdf_job

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(render_pdf_job, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.pdf_request(document=document, user=prefecture_58)
    job.refresh_from_db()
    assert job.etat == EtatJob.EN_ATTENTE
    assert job.file_indisponible
    monkeypatch.undo()
    assert services.pdf_jobs_requeue() == 1
    job.refresh_from_db()
    assert job.etat == EtatJob.TERMINE


# Signed copies.


def a_real_pdf() -> bytes:
    from feuilles_de_route.pdf import PdfDocument, render_pdf

    return render_pdf(
        PdfDocument(titre="Signée", prefecture="P", territoire="T", date=datetime.date(2024, 6, 1))
    ).content


def test_a_signed_pdf_is_stored_privately(document, prefecture_58, settings):
    copie = services.copie_signee_upload(
        document=document, fichier=SimpleUploadedFile("signee.pdf", a_real_pdf()), user=prefecture_58
    )
    assert copie.fichier.path.startswith(str(settings.MEDIA_ROOT))
    assert not copie.fichier.path.startswith(str(settings.STATIC_ROOT))
    assert copie.nom_original == "signee.pdf"


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 this is a zip renamed .pdf", b"%PDF-1.7\nnot really a pdf at all"],
    ids=["not-a-pdf", "broken-pdf"],
)
def test_an_upload_that_is_not_a_pdf_is_refused(document, prefecture_58, content):
    with pytest.raises(ValidationError) as exc:
        services.copie_signee_upload(
            document=document, fichier=SimpleUploadedFile("x.pdf", content), user=prefecture_58
        )
    assert "PDF" in str(exc.value)
    assert not document.copies_signees.exists()


def test_an_oversize_upload_is_refused(document, prefecture_58, monkeypatch):
    monkeypatch.setattr("feuilles_de_route.services.copies.COPIE_MAX_OCTETS", 1000)
    with pytest.raises(ValidationError) as exc:
        services.copie_signee_upload(
            document=document, fichier=SimpleUploadedFile("gros.pdf", a_real_pdf()), user=prefecture_58
        )
    assert "40 Mo" in str(exc.value)


def test_invitation_links_a_structure_account_and_sends_an_email(
    feuille, prefecture_58, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coredacteur = services.coredacteur_invite(
            feuille_de_route=feuille, email="Elu@Nievre.fr", user=prefecture_58
        )
    assert coredacteur.user.email == "elu@nievre.fr"
    assert coredacteur.membre == feuille.porteur
    assert len(mailoutbox) == 1
    assert f"/feuilles-de-route/{feuille.pk}/" in mailoutbox[0].body


def test_invitation_refuses_an_agent_account(feuille, prefecture_58, prefecture_21):
    with pytest.raises(ValidationError):
        services.coredacteur_invite(feuille_de_route=feuille, email=prefecture_21.email, user=prefecture_58)


def test_documents_are_unique_per_version(feuille):
    Document.objects.create(feuille_de_route=feuille, numero=1)
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Document.objects.create(feuille_de_route=feuille, numero=1)


def test_demo_seed_fills_the_nievre_departementale_once(feuille):
    import io

    from feuilles_de_route import demo

    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    document = Document.objects.get(feuille_de_route=feuille)
    assert document.axes.count() == 3
    assert all(2 <= axe.fiches.count() <= 3 for axe in document.axes.all())
    assert document.indicateurs.count() == 12


def test_celery_beat_requeues_waiting_pdf_jobs_every_minute(settings):
    from fne.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["feuilles-de-route-relancer-pdf-en-attente"]
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60.0
