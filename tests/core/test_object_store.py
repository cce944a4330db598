"""The files in an S3-compatible object store (moto's server mode, tests/s3_fake.py): a signed copy
uploaded through the page and a PDF rendered through the page land in the bucket, never on the
local disk; both come back through the access-checked views with the same names and headers;
another département gets 404 and the object is untouched; the move command copies, checks and
stays idempotent."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.urls import reverse

from donnees_ouvertes import services as open_data
from donnees_ouvertes.enums import Declencheur
from donnees_ouvertes.models import FichierPublie
from feuilles_de_route.enums import EtatJob
from feuilles_de_route.models import CopieSignee, PdfJob
from tests.feuilles_de_route.factories import AxeFactory, DocumentFactory, FicheActionFactory, MembreFactory
from tests.feuilles_de_route.test_services import a_real_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    porteur = MembreFactory(departement_cd=True)
    document = DocumentFactory(
        feuille_de_route__gouvernance=porteur.gouvernance, feuille_de_route__porteur=porteur
    )
    FicheActionFactory(axe=AxeFactory(document=document), objectifs="Former 200 aidants.")
    return document


def url(name, document, **kwargs):
    return reverse(f"feuilles_de_route:{name}", kwargs={"pk": document.feuille_de_route_id, **kwargs})


def local_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return (
        sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        if root.exists()
        else []
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def upload_signed_copy(client, document, content: bytes) -> CopieSignee:
    # The form has one field, the file (file inputs go apart from the form's other fields).
    response = client.post(
        url("copie_deposer", document), {"fichier": ContentFile(content, name="signee.pdf")}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return CopieSignee.objects.get(document=document)


def test_a_signed_copy_goes_to_the_store_and_comes_back_through_the_view(
    client_for, document, s3_store, settings
):
    content = a_real_pdf()
    client = client_for("prefecture")
    copie = upload_signed_copy(client, document, content)

    assert s3_store.objects() == [copie.fichier.name]
    assert copie.fichier.name.startswith(f"feuilles_de_route/{document.pk}/signees/")
    assert s3_store.read(copie.fichier.name) == content
    assert local_files(settings) == []  # nothing on this machine's disk

    response = client.get(url("copie_telecharger", document, copie_pk=copie.pk))
    assert response.status_code == 200
    assert body(response) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Disposition"] == (
        f'attachment; filename="feuille-de-route-{document.feuille_de_route_id}-v{document.numero}-signee.pdf"'
    )
    assert "no-store" in response["Cache-Control"]


def test_a_pdf_rendered_through_the_page_is_stored_and_downloaded_from_the_store(
    client_for, document, s3_store, settings, django_capture_on_commit_callbacks
):
    client = client_for("prefecture")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("pdf", document), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = PdfJob.objects.get(document=document)
    assert job.etat == EtatJob.TERMINE  # eager Celery: rendered within the request
    assert s3_store.objects() == [job.fichier.name]
    assert local_files(settings) == []

    download = client.get(url("pdf_telecharger", document, job_pk=job.pk))
    assert download.status_code == 200
    pdf = body(download)
    assert pdf.startswith(b"%PDF-")
    assert pdf == s3_store.read(job.fichier.name)
    assert download["Content-Disposition"] == (
        f'attachment; filename="feuille-de-route-{document.feuille_de_route_id}-v{document.numero}.pdf"'
    )
    assert "no-store" in download["Cache-Control"]


def test_another_departement_gets_404_and_the_stored_files_are_untouched(
    client_for, document, s3_store, django_capture_on_commit_callbacks
):
    client = client_for("prefecture")
    copie = upload_signed_copy(client, document, a_real_pdf())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("pdf", document), HTTP_HX_REQUEST="true")
    job = PdfJob.objects.get(document=document)
    before = {key: s3_store.etag(key) for key in s3_store.objects()}
    assert len(before) == 2

    other = client_for("prefecture_autre")
    assert other.get(url("copie_telecharger", document, copie_pk=copie.pk)).status_code == 404
    assert other.get(url("pdf_telecharger", document, job_pk=job.pk)).status_code == 404
    assert (
        other.post(
            url("copie_deposer", document), {"fichier": ContentFile(b"%PDF-", name="a.pdf")}
        ).status_code
        == 404
    )

    assert {key: s3_store.etag(key) for key in s3_store.objects()} == before
    assert CopieSignee.objects.filter(document=document).count() == 1


def test_a_missing_object_is_a_404_not_a_500(client_for, document, s3_store):
    client = client_for("prefecture")
    copie = upload_signed_copy(client, document, a_real_pdf())
    s3_store.server.client().delete_object(Bucket=s3_store.bucket, Key=copie.fichier.name)
    assert client.get(url("copie_telecharger", document, copie_pk=copie.pk)).status_code == 404


def test_open_data_files_are_built_into_the_store_and_served_from_it(client, s3_store, settings):
    publication = open_data.publication_run(declencheur=Declencheur.NUIT)
    assert publication is not None
    assert s3_store.objects()
    assert all(key.startswith("donnees-ouvertes/") for key in s3_store.objects())
    assert local_files(settings) == []
    response = client.get(reverse("donnees_ouvertes:fichier", kwargs={"jeu": "gouvernances", "fmt": "csv"}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="fne-gouvernances.csv"'
    publie = FichierPublie.objects.get(jeu="gouvernances", format="csv")
    assert body(response) == s3_store.read(publie.nom)
    assert response["ETag"] == f'"{publie.empreinte}"'


# --- The move command -----------------------------------------------------------------------------


@pytest.fixture
def local_media(settings):
    """Files as an earlier deployment left them on the local disk."""
    disk = FileSystemStorage(location=settings.MEDIA_ROOT)
    names = {
        "feuilles_de_route/7/pdf/a.pdf": b"%PDF-1.7 une feuille de route",
        "feuilles_de_route/7/signees/b.pdf": b"%PDF-1.7 une copie signee",
        "subventions/3/conventions/c-convention.docx": b"PK\x03\x04 une convention",
        "donnees-ouvertes/gouvernances-0123.csv": "\ufeffdepartement;nom\n58;Nièvre\n".encode(),
    }
    for name, content in names.items():
        assert disk.save(name, ContentFile(content)) == name
    return names


def test_the_move_command_copies_and_checks_every_file_then_changes_nothing(local_media, s3_store, capsys):
    call_command("deplacer_fichiers")
    report = capsys.readouterr().out
    assert "4 fichiers examinés" in report
    assert "4 copiés et vérifiés" in report
    assert "0 différent," in report
    assert s3_store.objects() == sorted(local_media)
    for name, content in local_media.items():
        assert s3_store.read(name) == content

    call_command("deplacer_fichiers")
    again = capsys.readouterr().out
    assert "0 copié et vérifié" in again
    assert "4 déjà présents" in again
    assert s3_store.objects() == sorted(local_media)


def test_the_move_command_reports_a_different_object_and_never_overwrites_it(local_media, s3_store, capsys):
    name = "feuilles_de_route/7/signees/b.pdf"
    s3_store.write(name, b"%PDF-1.7 autre contenu")
    with pytest.raises(CommandError, match="n'ont pas été déplacés"):
        call_command("deplacer_fichiers")
    captured = capsys.readouterr()
    assert f"Contenu différent dans le stockage, laissé tel quel : {name}" in captured.err
    assert "3 copiés et vérifiés" in captured.out
    assert "1 différent," in captured.out
    assert s3_store.read(name) == b"%PDF-1.7 autre contenu"


def test_the_move_command_refuses_to_move_the_disk_onto_itself(local_media, capsys):
    with pytest.raises(CommandError, match="FNE_S3_BUCKET"):
        call_command("deplacer_fichiers")
