"""Conventions de subvention: amounts in words, the DOCX (read back with python-docx) and the PDF
(read back with pdftotext), the Celery job and its state, an administrator's template."""

import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from docx import Document

from feuilles_de_route.enums import EtatJob
from subventions import conventions, services
from subventions.models import ConventionJob, ModeleConvention
from subventions.selectors import convention_for
from tests.subventions.factories import acceptee, demande, formation


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1", "un euro"),
        ("20000", "vingt mille euros"),
        ("12345.60", "douze mille trois cent quarante-cinq euros et soixante centimes"),
        ("81.01", "quatre-vingt-un euros et un centime"),
        ("2000000", "deux millions d'euros"),
        ("1000000.50", "un million d'euros et cinquante centimes"),
    ],
)
def test_amounts_in_french_words(value, words):
    assert conventions.montant_en_lettres(Decimal(value)) == words


def _text(docx_bytes: bytes) -> str:
    document = Document(io.BytesIO(docx_bytes))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_convention_names_parties_actions_amounts_schedule_and_signatures(n):
    acceptee(
        n,
        subvention="12000",
        budget="30000",
        rh="0",
        beneficiaires=[(n.departement_cd, "7500.50"), (n.association, "4499.50")],
    )
    acceptee(
        n,
        fiche=n.fiche_2,
        subvention="2000",
        budget="8000",
        rh="0",
        beneficiaires=[(n.departement_cd, "2000")],
    )
    demande(n, subvention="3000", budget="3000", rh="0")  # brouillon: not in the convention
    formation(n, membre=n.departement_cd, statut="acceptee", instruction="acceptation")
    data = convention_for(gouvernance=n.gouvernance, membre=n.departement_cd, day=datetime.date(2026, 12, 1))
    assert data.total == Decimal("29500.50")
    assert data.filename("docx") == "convention-58-conseil-departemental-de-la-nievre-2026-12-01.docx"
    text = _text(conventions.render_docx(data))
    assert "Préfecture de la Nièvre" in text
    assert "représenté par le préfet de la Nièvre" in text
    assert "Conseil départemental de la Nièvre (Conseil départemental, identifiant 58)" in text
    assert "Médiation numérique itinérante (Fonds d'ingénierie)" in text
    assert "Formation des aidants" in text
    assert "Fonds de formation (Fonds de formation)" in text
    assert "Faire un diagnostic territorial" in text
    assert "29\u202f500,50\u202f€ (vingt-neuf mille cinq cents euros et cinquante centimes)" in text
    assert "7\u202f500,50\u202f€" in text
    assert "25\u202f%" in text
    assert "Avance à la signature de la convention : 14\u202f750,25\u202f€" in text
    assert "Solde à la remise du bilan d'exécution des actions : 14\u202f750,25\u202f€" in text
    assert "Fait le 1er décembre 2026" in text
    assert "Pour le bénéficiaire" in text


def _pdf_text(pdf_bytes: bytes, tmp_path) -> str:
    pdf = tmp_path / "convention.pdf"
    pdf.write_bytes(pdf_bytes)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(text.split())


def test_the_sample_convention_names_the_departement_with_its_article(tmp_path):
    data = conventions.sample()
    for text in (_text(conventions.render_docx(data)), _pdf_text(conventions.render_pdf(data), tmp_path)):
        text = " ".join(text.split())
        assert "Conseil départemental de la Nièvre (Conseil départemental, identifiant 58)" in text
        assert "du département de la Nièvre (58)" in text
        assert "— Nièvre" not in text
        assert "département Nièvre" not in text


@pytest.mark.parametrize(
    ("code", "nom", "expected"),
    [
        ("59", "Nord", "du département du Nord (59)"),
        ("40", "Landes", "du département des Landes (40)"),
        ("28", "Eure-et-Loir", "du département d'Eure-et-Loir (28)"),
    ],
)
def test_a_convention_names_any_departement_with_its_article(code, nom, expected, tmp_path):
    from dataclasses import replace

    from feuilles_de_route.libelles import article_de, prefecture_de
    from territoires.models import Departement

    departement = Departement(code=code, nom=nom)
    data = replace(
        conventions.sample(),
        departement_code=code,
        departement_nom=nom,
        departement_de_nom=article_de(departement),
        prefecture=prefecture_de(departement),
        prefet=f"le préfet {article_de(departement)}",
    )
    docx = " ".join(_text(conventions.render_docx(data)).split())
    pdf = _pdf_text(conventions.render_pdf(data), tmp_path).replace("’", "'")
    for text in (docx, pdf):
        assert expected in text
        assert f"département {nom}" not in text


def test_the_convention_of_the_nievre_names_it_with_its_article(n, tmp_path):
    acceptee(n, subvention="12000", budget="30000", rh="0")
    data = convention_for(gouvernance=n.gouvernance, membre=n.departement_cd)
    assert "du département de la Nièvre (58)" in " ".join(_text(conventions.render_docx(data)).split())
    assert "du département de la Nièvre (58)" in _pdf_text(conventions.render_pdf(data), tmp_path)


def test_the_pdf_of_the_convention_holds_the_amount_in_words(n, tmp_path):
    acceptee(n, subvention="12000", budget="30000", rh="0")
    data = convention_for(gouvernance=n.gouvernance, membre=n.departement_cd)
    pdf = tmp_path / "convention.pdf"
    pdf.write_bytes(conventions.render_pdf(data))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "douze mille euros" in text
    assert "Convention de subvention" in text


def test_the_job_renders_both_files_and_the_pages_show_its_state(
    n, client_for, django_capture_on_commit_callbacks
):
    acceptee(n, subvention="12000", budget="30000", rh="0")
    client = client_for("prefecture")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "subventions:convention_demander", kwargs={"code": "58", "membre_pk": n.departement_cd.pk}
            )
        )
    assert response.status_code == 302
    job = ConventionJob.objects.get()
    assert job.etat == EtatJob.TERMINE
    assert job.montant == Decimal("12000")
    assert job.nom_fichier.startswith("convention-58-conseil-departemental-de-la-nievre-")
    etat = client.get(
        reverse("subventions:convention_etat", kwargs={"code": "58", "job_pk": job.pk})
    ).content.decode()
    assert "Télécharger la convention (Word)" in etat
    assert "hx-get" not in etat
    download = client.get(
        reverse("subventions:convention_telecharger", kwargs={"code": "58", "job_pk": job.pk, "fmt": "docx"})
    )
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{job.nom_fichier}"'
    assert "douze mille euros" in _text(b"".join(download.streaming_content))
    pdf = client.get(
        reverse("subventions:convention_telecharger", kwargs={"code": "58", "job_pk": job.pk, "fmt": "pdf"})
    )
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_a_waiting_job_polls_and_a_failed_one_says_why(n, client_for):
    acceptee(n)
    job = ConventionJob.objects.create(gouvernance=n.gouvernance, membre=n.departement_cd)
    client = client_for("admin")
    url = reverse("subventions:convention_etat", kwargs={"code": "58", "job_pk": job.pk})
    assert 'hx-trigger="every 2s"' in client.get(url).content.decode()
    services.convention_job_fail(
        job_id=job.pk, raison=services.convention_failure_reason(ValueError("balise"), final=True)
    )
    assert "La génération de la convention a échoué (balise)" in client.get(url).content.decode()


def test_the_convention_state_is_a_page_of_its_own_outside_htmx(n, client_for):
    acceptee(n)
    job = ConventionJob.objects.create(gouvernance=n.gouvernance, membre=n.departement_cd)
    client = client_for("prefecture")
    url = reverse("subventions:convention_etat", kwargs={"code": "58", "job_pk": job.pk})
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert 'hx-trigger="every 2s"' in fragment
    page = client.get(url).content.decode()
    assert '<html lang="fr"' in page
    assert f"<h1>Convention de {n.departement_cd.nom}</h1>" in page
    assert 'hx-trigger="every 2s"' in page  # the page keeps refreshing its state while it runs
    assert "Retour aux subventions" in page


def test_a_broken_template_fails_the_job_with_its_reason(n, settings):
    acceptee(n)
    modele = ModeleConvention(nom="Cassé")
    modele.fichier.save("x.docx", ContentFile(b"not a docx"), save=True)
    from subventions.tasks import render_convention_job

    job = ConventionJob.objects.create(gouvernance=n.gouvernance, membre=n.departement_cd)
    render_convention_job.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.etat == EtatJob.ECHEC
    assert "La génération de la convention a échoué" in job.raison


def test_an_administrators_template_replaces_the_shipped_one(n):
    acceptee(n, subvention="12000", budget="30000", rh="0")
    template = Document()
    template.add_paragraph("Modèle ANCT : {{ beneficiaire.nom }} reçoit {{ montant_lettres }}.")
    buffer = io.BytesIO()
    template.save(buffer)
    assert conventions.check_template(buffer.getvalue()) == ""
    modele = ModeleConvention(nom="Modèle 2025")
    modele.fichier.save("modele.docx", ContentFile(buffer.getvalue()), save=True)
    job = ConventionJob.objects.create(gouvernance=n.gouvernance, membre=n.departement_cd)
    services.convention_job_render(job=job)
    with job.fichier_docx.open("rb") as handle:
        assert "Modèle ANCT : Conseil départemental de la Nièvre reçoit douze mille euros." in _text(
            handle.read()
        )


def test_an_unfillable_template_is_refused_on_upload():
    template = Document()
    template.add_paragraph("{{ beneficiaire.nom ")
    buffer = io.BytesIO()
    template.save(buffer)
    assert conventions.check_template(buffer.getvalue()).startswith("Ce modèle ne peut pas être rempli")
    assert conventions.check_template(b"pas un docx").startswith("Ce modèle ne peut pas être rempli")


def test_no_convention_without_an_accepted_demande(n, client_for):
    demande(n)
    response = client_for("prefecture").post(
        reverse("subventions:convention_demander", kwargs={"code": "58", "membre_pk": n.departement_cd.pk})
    )
    assert response.status_code == 302
    assert not ConventionJob.objects.exists()


def test_broker_down_leaves_the_convention_waiting_and_the_beat_task_requeues_it(
    n, users, monkeypatch, django_capture_on_commit_callbacks, settings
):
    from kombu.exceptions import OperationalError

    from fne.celery import app
    from subventions.tasks import render_convention_job

    acceptee(n)

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(render_convention_job, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.convention_request(
            gouvernance=n.gouvernance, membre=n.departement_cd, user=users["admin"]
        )
    job.refresh_from_db()
    assert (job.etat, job.file_indisponible) == (EtatJob.EN_ATTENTE, True)
    monkeypatch.undo()
    assert services.convention_jobs_requeue() == 1
    job.refresh_from_db()
    assert job.etat == EtatJob.TERMINE
    assert job.fichier_docx.name.endswith(".docx")
    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["subventions-relancer-conventions-en-attente"]
    assert entry["task"] in app.tasks
