"""The production path of background jobs, for real: a Celery worker in its own process, on the
CI's Redis (REDIS_URL) and the test database, renders a PDF asked for through the page; killed
in the middle, the job is recovered or fails visibly; with Redis unreachable, pages still answer.

Marked `worker`; skipped when REDIS_URL is not set (the eager, local set-up). Each test has its
own queue, so that nothing else consumes its messages. The data is committed (transactional
tests) so that the worker's own connection sees it; the worker gets the test database's URL.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from feuilles_de_route import services
from feuilles_de_route.enums import EtatJob
from feuilles_de_route.models import PdfJob
from tests.browser_form import page_text
from tests.conftest import PASSWORD, make_user
from tests.feuilles_de_route.factories import AxeFactory, DocumentFactory, FicheActionFactory

ROOT = Path(__file__).resolve().parents[2]
# The worker's PDF time limit (seconds): short, so that the sweeper's threshold is reached fast.
WORKER_PDF_TIME_LIMIT = 20
DEADLINE = 90  # no wait of these tests lasts longer

requires_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL absent : pas de worker réel")
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    """The test database, as the worker process must reach it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = f"{quote(db['USER'])}:{quote(db['PASSWORD'])}@" if db["USER"] else ""
    return f"postgres://{credentials}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        DJANGO_SETTINGS_MODULE="fne.settings",
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        CONN_MAX_AGE="0",
        **extra,
    )
    return env


class Worker:
    def __init__(self, queue: str, log: Path, **env):
        self.log = log
        self.handle = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.processes.pdf_worker", queue],
            cwd=ROOT,
            env=process_env(FNE_PDF_TIME_LIMIT=str(WORKER_PDF_TIME_LIMIT), **env),
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killing it kills its pool child too
        )
        wait_for(lambda: "ready." in self.log.read_text() or self.process.poll() is not None, "worker prêt")
        assert self.process.poll() is None, self.log.read_text()

    def pool_children(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def kill(self) -> None:
        """SIGKILL the worker and its pool child, as the machine's end or the OOM killer would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.handle.close()


def wait_for(condition, what: str, timeout: float = DEADLINE):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"délai dépassé : {what}")


@pytest.fixture
def queue(settings):
    """A queue of this test's own; the test process enqueues to it, not eagerly."""
    name = f"fne-test-{uuid.uuid4().hex[:12]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_DEFAULT_QUEUE = name
    # The routed tasks go to this test's own copies of the queues (« <name>.documents »…).
    settings.FNE_CELERY_QUEUE_PREFIX = f"{name}."
    return name


@pytest.fixture
def workers(tmp_path, queue):
    started = []

    def start(**env) -> Worker:
        worker = Worker(queue, tmp_path / f"worker-{len(started)}.log", **env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def feuille(committed):
    agent = make_user("agent@nievre.test", Role.PREFECTURE, departement="58")
    document = DocumentFactory()
    fiche = FicheActionFactory(axe=AxeFactory(document=document), objectifs="Former les aidants.")
    return agent, fiche.axe.document


def ask_for_pdf(client, document) -> PdfJob:
    response = client.post(
        reverse("feuilles_de_route:pdf", kwargs={"pk": document.feuille_de_route_id}), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    return PdfJob.objects.get(document=document, etat__in=services.pdf_jobs.PENDING)


def state_label(job) -> str:
    """A state as the figures show it: a run carries its attempt number (« en_cours#2 »)."""
    return f"{job.etat}#{job.tentatives}" if job.etat == EtatJob.EN_COURS else job.etat


def follow(client, job, *, until=(EtatJob.TERMINE, EtatJob.ECHEC), seen=None) -> list[str]:
    """The states the page shows (its polled fragment), in order, until one of `until`."""
    seen = seen if seen is not None else []
    url = reverse(
        "feuilles_de_route:pdf_etat", kwargs={"pk": job.document.feuille_de_route_id, "job_pk": job.pk}
    )

    def state():
        assert client.get(url).status_code == 200
        job.refresh_from_db()
        label = state_label(job)
        if not seen or seen[-1] != label:
            seen.append(label)
        return job.etat in until

    wait_for(state, f"PDF {job.pk} : {seen}")
    return seen


def wait_until_stale(job) -> None:
    """Until the job has run longer than the sweeper's threshold (FNE_PDF_STALE_AFTER, set to 1 s
    here, with a margin): only the time left since it started, not a fixed sleep."""
    job.refresh_from_db()
    wait_for(lambda: timezone.now() - job.debut > datetime.timedelta(seconds=1.5), "PDF resté en cours")


@requires_redis
def test_a_pdf_through_the_page_on_a_real_worker(client, feuille, workers, tmp_path, figures):
    agent, document = feuille
    workers(FNE_TEST_SLOW_ONCE=str(tmp_path / "lent"), FNE_TEST_SLOW_SECONDS="3")
    client.force_login(agent)
    job = ask_for_pdf(client, document)
    seen = follow(client, job, seen=[state_label(job)])
    # The job is queued once the request's transaction commits: a worker idle at that moment
    # takes it before the page reads it back, so the page first shows it waiting or running
    # its first attempt, never a later one.
    assert seen[0] in (EtatJob.EN_ATTENTE, "en_cours#1"), seen
    assert "en_cours#1" in seen
    assert seen[-1] == EtatJob.TERMINE
    download = client.get(
        reverse(
            "feuilles_de_route:pdf_telecharger", kwargs={"pk": document.feuille_de_route_id, "job_pk": job.pk}
        )
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    figures(
        classe="worker réel", requetes=len(seen) + 2, erreurs_500=0, detail="états vus : " + " → ".join(seen)
    )


@requires_redis
def test_a_killed_pool_child_gives_the_job_back_and_it_completes(client, feuille, workers, tmp_path, figures):
    agent, document = feuille
    worker = workers(FNE_TEST_SLOW_ONCE=str(tmp_path / "lent"), FNE_TEST_SLOW_SECONDS="60")
    client.force_login(agent)
    job = ask_for_pdf(client, document)
    seen = follow(client, job, until=(EtatJob.EN_COURS,), seen=[state_label(job)])
    # The job shows « en cours » just before the rendering starts: wait for the rendering itself
    # (the pool child writes its pid when it starts), so that the kill lands in its middle. Killed
    # earlier, the first attempt would never have rendered, and the second one would sleep the
    # whole slow rendering (a minute) instead.
    marker = tmp_path / "lent"
    child = wait_for(lambda: marker.exists() and marker.read_text(), "rendu commencé")
    assert int(child) in worker.pool_children()
    os.kill(int(child), signal.SIGKILL)  # what the kernel's OOM killer does to the rendering process
    seen = follow(client, job, seen=seen)
    assert seen[-1] == EtatJob.TERMINE, seen
    job.refresh_from_db()
    assert job.tentatives == 2
    figures(
        classe="worker réel",
        requetes=len(seen) + 1,
        erreurs_500=0,
        detail="enfant du pool tué : " + " → ".join(seen),
    )


@requires_redis
def test_a_killed_worker_is_swept_then_fails_visibly_and_the_retry_completes(
    client, feuille, workers, tmp_path, settings, figures
):
    agent, document = feuille
    worker = workers(FNE_TEST_SLOW_ONCE=str(tmp_path / "lent"), FNE_TEST_SLOW_SECONDS="60")
    client.force_login(agent)
    job = ask_for_pdf(client, document)
    seen = follow(client, job, until=(EtatJob.EN_COURS,), seen=[state_label(job)])
    worker.kill()
    # The sweeper (Celery beat, every minute) finds it past its time limit. Here the limit is
    # short and the sweep is called at once; with no attempt left, the job fails visibly.
    settings.FNE_PDF_STALE_AFTER = 1
    settings.FNE_PDF_MAX_ATTEMPTS = 1
    wait_until_stale(job)
    assert services.pdf_jobs_sweep() == {"relances": 0, "echecs": 1}
    job.refresh_from_db()
    seen.append(job.etat)
    assert job.etat == EtatJob.ECHEC
    editor = client.get(reverse("feuilles_de_route:editeur", kwargs={"pk": document.feuille_de_route_id}))
    page = page_text(editor)
    assert "Échec de la génération" in page
    assert "Relancer la génération" in page
    assert 'hx-trigger="every 2s"' not in page  # no endless spinner
    # The user retries; a worker is back.
    settings.FNE_PDF_MAX_ATTEMPTS = 3
    workers()
    retry = ask_for_pdf(client, document)
    seen = follow(client, retry, seen=[*seen, retry.etat])
    assert seen[-1] == EtatJob.TERMINE, seen
    figures(
        classe="worker réel",
        requetes=len(seen) + 3,
        erreurs_500=0,
        detail="worker tué, balayé : " + " → ".join(seen),
    )


@requires_redis
def test_a_killed_worker_is_requeued_by_the_sweeper(client, feuille, workers, tmp_path, settings, figures):
    agent, document = feuille
    worker = workers(FNE_TEST_SLOW_ONCE=str(tmp_path / "lent"), FNE_TEST_SLOW_SECONDS="60")
    client.force_login(agent)
    job = ask_for_pdf(client, document)
    seen = follow(client, job, until=(EtatJob.EN_COURS,), seen=[state_label(job)])
    worker.kill()
    settings.FNE_PDF_STALE_AFTER = 1
    wait_until_stale(job)
    assert services.pdf_jobs_sweep() == {"relances": 1, "echecs": 0}
    workers()  # the message is back in the queue; a worker takes it
    seen = follow(client, job, seen=seen)
    assert seen[-1] == EtatJob.TERMINE, seen
    figures(
        classe="worker réel",
        requetes=len(seen) + 1,
        erreurs_500=0,
        detail="worker tué, relancé : " + " → ".join(seen),
    )


def test_with_redis_unreachable_the_pages_still_answer(feuille, figures):
    """Another process, whose cache and broker point at a closed port."""
    agent, document = feuille
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.reliability.processes.outage_client",
            agent.email,
            PASSWORD,
            str(document.feuille_de_route_id),
        ],
        cwd=ROOT,
        env=process_env(REDIS_URL="redis://127.0.0.1:1/0"),
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["accueil"] == 200
    assert values["connexion"] == 302
    assert values["connecte"] is True
    assert values["editeur"] == 200
    assert values["pdf"] == 302
    assert values["job"] == {"etat": EtatJob.EN_ATTENTE, "file_indisponible": True}
    assert values["page_differee"] is True
    assert values["page_sans_erreur"] is True
    statuses = [values[k] for k in ("accueil", "connexion", "editeur", "pdf")]
    figures(
        classe="panne de Redis",
        requetes=len(statuses) + 1,
        erreurs_500=sum(s >= 500 for s in statuses),
        detail="accueil 200, connexion 302, PDF différé (en attente)",
    )
