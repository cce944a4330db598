"""Building the files: a Celery job whose state lives in the database, one at a time, storing
files named by their content in the default storage, nightly and after a remontée."""

import datetime
import hashlib
import io

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from donnees_ouvertes import services, tasks
from donnees_ouvertes.enums import Declencheur, EtatPublication
from donnees_ouvertes.models import FichierPublie, Publication
from fne.celery import app
from gouvernances import services as gouvernances_services
from gouvernances.models import Gouvernance
from tests.donnees_ouvertes.conftest import publier
from tests.feuilles_de_route.factories import FeuilleDeRouteFactory
from tests.gouvernances.factories import CoordinationFactory, MembreFactory
from tests.nievre import open_campaign
from tests.responses import close_response

pytestmark = pytest.mark.django_db


def fichier(jeu="membres", fmt="csv") -> FichierPublie:
    return FichierPublie.objects.get(jeu=jeu, format=fmt)


def test_a_build_stores_every_file_and_records_its_state(nievre):
    publication = services.publication_run(declencheur=Declencheur.COMMANDE)
    assert publication.etat == EtatPublication.TERMINEE
    assert publication.fin >= publication.debut
    assert publication.fichiers.count() == 10  # five data sets, CSV and JSON
    membres = fichier()
    assert membres.lignes == 4
    assert membres.nom.startswith("donnees-ouvertes/membres-")
    with default_storage.open(membres.nom, "rb") as stored:
        content = stored.read()
    assert len(content) == membres.taille
    assert hashlib.sha256(content).hexdigest() == membres.empreinte


def test_unchanged_content_keeps_its_file_etag_and_date(nievre):
    publier()
    first = fichier()
    publier()
    second = fichier()
    assert (second.nom, second.empreinte, second.modifie_le) == (first.nom, first.empreinte, first.modifie_le)
    assert second.publication_id != first.publication_id


def test_a_change_makes_a_new_file_and_the_replaced_one_goes_a_build_later(nievre):
    publier()
    first = fichier()
    nievre["structure"].structure_nom = "La Poste — direction de la Nièvre"
    nievre["structure"].save()
    publier()
    second = fichier()
    assert second.nom != first.nom
    assert second.modifie_le > first.modifie_le
    assert second.precedent == first.nom
    assert default_storage.exists(first.nom)  # a download may be under way
    nievre["structure"].structure_nom = "La Poste — Nièvre et Morvan"
    nievre["structure"].save()
    publier()
    assert not default_storage.exists(first.nom)
    assert default_storage.exists(second.nom)
    assert fichier().precedent == second.nom


def test_one_build_at_a_time(nievre):
    running = Publication.objects.create(declencheur=Declencheur.NUIT)
    assert services.publication_run(declencheur=Declencheur.REMONTEE) is None
    assert Publication.objects.filter(etat=EtatPublication.EN_COURS).count() == 1
    # A build whose worker died long ago no longer blocks the next one.
    Publication.objects.filter(pk=running.pk).update(debut=timezone.now() - datetime.timedelta(hours=3))
    assert services.publication_run(declencheur=Declencheur.REMONTEE) is not None
    running.refresh_from_db()
    assert running.etat == EtatPublication.ECHEC
    assert "interrompue" in running.raison


def test_a_failed_build_says_why_and_publishes_nothing(nievre, monkeypatch):
    publier()
    before = {(f.jeu, f.format): f.nom for f in FichierPublie.objects.all()}

    def broken(*args, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr(services, "_store", broken)
    with pytest.raises(OSError, match="disque plein"):
        services.publication_run(declencheur=Declencheur.NUIT)
    failed = Publication.objects.order_by("-id").first()
    assert failed.etat == EtatPublication.ECHEC
    assert "disque plein" in failed.raison
    assert {(f.jeu, f.format): f.nom for f in FichierPublie.objects.all()} == before


def test_the_check_builds_first_then_only_after_a_remontee(nievre, admin_user):
    first = services.publication_after_remontee()
    assert first.declencheur == Declencheur.PREMIERE
    assert services.publication_after_remontee() is None  # nothing sent since
    # The Côte-d'Or's draft becomes public: sent by the service, as the préfecture would.
    cote_dor = Gouvernance.objects.get(departement="21")
    MembreFactory(gouvernance=cote_dor)
    FeuilleDeRouteFactory(gouvernance=cote_dor)
    # Sending needs a structure recruteuse and the note de contexte.
    CoordinationFactory(gouvernance=cote_dor)
    cote_dor.note_contexte = "<p>La note de contexte de la Côte-d'Or.</p>"
    cote_dor.save(update_fields=["note_contexte"])
    open_campaign()
    gouvernances_services.gouvernance_submit(gouvernance=cote_dor, user=admin_user, statut="pressentie")
    rebuilt = services.publication_after_remontee()
    assert rebuilt.declencheur == Declencheur.REMONTEE
    with default_storage.open(fichier("gouvernances").nom, "rb") as stored:
        assert "21,Côte-d'Or,27,Bourgogne-Franche-Comté,pressentie," in stored.read().decode()


def test_celery_beat_runs_both_jobs():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    nightly = schedule["donnees_ouvertes.tasks.publish_open_data"]
    assert (nightly.hour, nightly.minute) == ({3}, {30})
    assert schedule["donnees_ouvertes.tasks.publish_open_data_after_remontee"] <= 600
    app.loader.import_default_modules()
    assert {
        "donnees_ouvertes.tasks.publish_open_data",
        "donnees_ouvertes.tasks.publish_open_data_after_remontee",
    } <= set(app.tasks)


def test_the_tasks_call_the_services(nievre):
    assert tasks.publish_open_data.delay().get() is not None
    assert Publication.objects.get().declencheur == Declencheur.NUIT
    assert tasks.publish_open_data_after_remontee.delay().get() is None  # nothing sent since


def test_the_command_builds_now(nievre):
    out = io.StringIO()
    call_command("publier_donnees_ouvertes", stdout=out)
    assert "membres.csv : 4 lignes" in out.getvalue()
    assert Publication.objects.get().declencheur == Declencheur.COMMANDE


def test_a_new_build_with_new_content_answers_200_to_the_old_etag(nievre, client):
    publier()
    old = client.get("/donnees-ouvertes/membres.csv")
    etag = old["ETag"]
    close_response(old)
    nievre["structure"].structure_nom = "La Poste — Morvan"
    nievre["structure"].save()
    publier()
    response = client.get("/donnees-ouvertes/membres.csv", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    content = b"".join(response.streaming_content).decode()
    close_response(response)
    assert "La Poste — Morvan" in content
