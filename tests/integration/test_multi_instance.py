"""Two web instances and a worker, as on several machines: two gunicorn processes (A and B, each
with its own MEDIA_ROOT, as on two disks) and one Celery worker, on the CI's PostgreSQL (the test
database), Redis and the S3 fake. A person logs in on A and goes on on B; asks for a PDF on A;
the worker renders it into the object store; B shows its state and sends it.

Marked `worker` like the real-worker tests; skipped when the database is not PostgreSQL or
REDIS_URL is absent (the embedded set-up has nothing shared to prove). Every wait is bounded and
every process is stopped, whatever happens.
"""

import os
import re
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from comptes.enums import Role
from feuilles_de_route.enums import EtatJob
from feuilles_de_route.models import PdfJob
from tests.browser_form import post_form
from tests.conftest import PASSWORD, make_user
from tests.feuilles_de_route.factories import AxeFactory, DocumentFactory, FicheActionFactory
from tests.reliability.conftest import committed  # noqa: F401 - fixture
from tests.reliability.test_worker import database_url, wait_for
from tests.s3_fake import free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="plusieurs instances : PostgreSQL (DATABASE_URL) et Redis (REDIS_URL) nécessaires",
    ),
]


class Process:
    def __init__(self, name: str, command: list[str], env: dict, log: Path):
        self.name = name
        self.log = log
        self.handle = log.open("w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT, start_new_session=True
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.handle.close()


@pytest.fixture
def platform(tmp_path, s3_store):
    """Instances A and B and a worker, sharing the database, Redis and the bucket only."""
    run = f"fne-multi-{uuid.uuid4().hex[:10]}"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "AWS_", "FNE_S3_"))}
    base_env.update(
        DJANGO_SETTINGS_MODULE="fne.settings",
        DATABASE_URL=database_url(),
        REDIS_URL=settings.REDIS_URL,
        CONN_MAX_AGE="0",
        FNE_CACHE_KEY_PREFIX=run,
        FNE_CELERY_QUEUE_PREFIX=f"{run}.",
        ACCOUNT_EMAIL_VERIFICATION="none",
        **s3_store.env,
    )
    started: list[Process] = []
    instances = {}
    try:
        for name in ("A", "B"):
            port = free_port()
            media = tmp_path / f"media-{name}"
            media.mkdir()
            env = {**base_env, "MEDIA_ROOT": str(media)}
            command = [sys.executable, "-m", "gunicorn", "fne.wsgi", "--bind", f"127.0.0.1:{port}"]
            command += ["--workers", "1", "--timeout", "60", "--graceful-timeout", "5"]
            process = Process(name, command, env, tmp_path / f"gunicorn-{name}.log")
            started.append(process)
            instances[name] = (f"http://127.0.0.1:{port}", media)
        worker_media = tmp_path / "media-worker"
        worker_media.mkdir()
        queues = ",".join(f"{run}.{queue}" for queue in settings.FNE_TASK_QUEUES)
        worker_command = [sys.executable, "-m", "celery", "-A", "fne", "worker", "--queues", queues]
        worker_command += ["--hostname", f"{run}@%h", "--pool", "solo", "--loglevel", "INFO"]
        worker_command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        worker = Process(
            "worker",
            worker_command,
            {**base_env, "MEDIA_ROOT": str(worker_media)},
            tmp_path / "worker.log",
        )
        started.append(worker)
        for name, (url, _) in instances.items():

            def up(url=url):
                try:
                    return httpx.get(url + "/sante/pret/", timeout=2).status_code == 200
                except httpx.HTTPError:
                    return False

            wait_for(up, f"instance {name} prête")
        wait_for(lambda: "ready." in worker.log.read_text() or not worker.alive(), "worker prêt")
        assert worker.alive(), worker.log.read_text()
        yield {
            "A": instances["A"][0],
            "B": instances["B"][0],
            "media": [m for _, m in instances.values()] + [worker_media],
            "logs": started,
        }
    finally:
        for process in started:
            process.stop()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def test_two_instances_serve_the_same_person_and_the_same_files(platform, committed, s3_store, settings):  # noqa: F811
    # The instances check passwords with the platform's own hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    agent = make_user("agent@nievre.test", Role.PREFECTURE, departement="58")
    document = DocumentFactory()
    FicheActionFactory(axe=AxeFactory(document=document), objectifs="Former les aidants.")
    a, b = platform["A"], platform["B"]
    seen = []

    # One browser, one cookie jar: both instances stand behind the same address for it.
    with httpx.Client(timeout=30, follow_redirects=False) as browser:
        login_page = browser.get(a + "/comptes/login/").text
        fields = post_form(login_page, contains="password").as_post()
        fields.update(login=[agent.email], password=[PASSWORD])
        fields["csrfmiddlewaretoken"] = [csrf_of(login_page)]
        answer = browser.post(a + "/comptes/login/", data=fields, headers={"Referer": a + "/comptes/login/"})
        assert answer.status_code == 302, answer.text[:2000]
        seen.append(f"connexion sur A : {answer.status_code}")

        # The session lives in the database: B knows the person A logged in.
        page = browser.get(b + "/departements/58/gouvernance/")
        assert page.status_code == 200
        assert "Se déconnecter" in page.text or "Mon espace" in page.text
        seen.append(f"gouvernance sur B : {page.status_code}")

        # A PDF asked for on A…
        editor_url = f"/feuilles-de-route/{document.feuille_de_route_id}/"
        editor = browser.get(a + editor_url)
        assert editor.status_code in (200, 302)
        token = browser.cookies.get("csrftoken")
        asked = browser.post(
            a + f"/feuilles-de-route/{document.feuille_de_route_id}/pdf/",
            headers={"HX-Request": "true", "X-CSRFToken": token, "Referer": a + editor_url},
        )
        assert asked.status_code == 200, asked.text[:2000]
        job = PdfJob.objects.get(document=document)
        seen.append(f"PDF demandé sur A : job {job.pk} {job.etat}")

        # … rendered by the worker, followed and downloaded on B.
        state_url = b + f"/feuilles-de-route/{document.feuille_de_route_id}/pdf/{job.pk}/"

        def done():
            assert browser.get(state_url).status_code == 200
            job.refresh_from_db()
            return job.etat in (EtatJob.TERMINE, EtatJob.ECHEC)

        wait_for(done, "PDF rendu par le worker")
        assert job.etat == EtatJob.TERMINE, job.raison
        download = browser.get(state_url + "telecharger/")
        assert download.status_code == 200
        assert download.content.startswith(b"%PDF-")
        assert download.content == s3_store.read(job.fichier.name)
        assert download.headers["Content-Disposition"] == (
            f'attachment; filename="feuille-de-route-{document.feuille_de_route_id}-v{document.numero}.pdf"'
        )
        assert "no-store" in download.headers["Cache-Control"]
        seen.append(f"PDF téléchargé sur B : {len(download.content)} octets")

    # Nothing on any machine's disk: the file is in the store only.
    assert s3_store.objects() == [job.fichier.name]
    for media in platform["media"]:
        assert [p for p in media.rglob("*") if p.is_file()] == []
    print("Plusieurs instances : " + " ; ".join(seen))
