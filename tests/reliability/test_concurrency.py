"""Colliding requests on the database in use (SQLite in WAL with immediate transactions, or
PostgreSQL with row locks): each write is stored exactly once, the others wait or get the clean
stale-save answer, never a 500.

The requests run in threads, released together by a barrier, each with its own client and its
own database connection, against committed data (a transactional test; SQLite's test database
is a file for this reason, see fne/settings.py).
"""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from candidatures.enums import Statut
from candidatures.models import ManifestationInteret
from comptes.enums import Role
from core.versioning import StaleVersion
from gouvernances.enums import Section, StatutGouvernance
from gouvernances.models import Gouvernance, SectionState
from tests.browser_form import page_text
from tests.candidatures.factories import ContactFactory, ManifestationFactory
from tests.conftest import make_user
from tests.gouvernances.factories import (
    CoordinationFactory,
    FeuilleDeRouteFactory,
    GouvernanceFactory,
    MembreFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
SUBMISSIONS = 24


def run_together(count: int, request) -> list:
    """`request(i)` in `count` threads released at once; the results, or the exceptions raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def work(i):
        try:
            barrier.wait(timeout=30)
            results[i] = request(i)
        except Exception as exc:  # reported by the test, with the others' results
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "une requête n'a jamais répondu"
    return results


def statuses(results) -> list[int]:
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return [r.status_code for r in results]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


PARTICIPER = {
    "version": "1",
    "departement": "58",
    "collectivite": "commune:58194",
    "contact_politique-prenom": "Claire",
    "contact_politique-nom": "Martin",
    "contact_politique-fonction": "Maire adjointe",
    "contact_politique-email": "claire.martin@nevers.example",
    "contact_technique-prenom": "",
    "contact_technique-nom": "",
    "contact_technique-fonction": "",
    "contact_technique-email": "",
}


def test_simultaneous_public_submissions_are_each_stored_once(committed, figures):
    clients = [logged_in(make_user(f"mairie{i}@nievre.test", Role.STRUCTURE)) for i in range(SUBMISSIONS)]

    def submit(i):
        client = clients[i]
        codes = [
            client.post(reverse("candidatures:entree"), {"persona": "commune", "intention": "participer"})
        ]
        codes.append(client.post(reverse("candidatures:participer"), PARTICIPER))
        codes.append(client.post(reverse("candidatures:confirmer")))
        return codes

    results = run_together(SUBMISSIONS, submit)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    codes = [response.status_code for responses in results for response in responses]
    assert codes == [302] * (3 * SUBMISSIONS)
    assert ManifestationInteret.objects.filter(statut=Statut.CONFIRMEE).count() == SUBMISSIONS
    assert ManifestationInteret.objects.count() == SUBMISSIONS
    figures(
        classe="concurrence",
        requetes=len(codes),
        erreurs_500=sum(code >= 500 for code in codes),
        lignes_perdues=SUBMISSIONS - ManifestationInteret.objects.filter(statut=Statut.CONFIRMEE).count(),
        detail=f"{SUBMISSIONS} formulaires publics remplis et confirmés en même temps ({connection.vendor})",
    )


def test_confirming_twice_confirms_once_and_sends_one_receipt(committed, figures):
    user = make_user("mairie@nievre.test", Role.STRUCTURE)
    manifestation = ManifestationFactory(user=user, version=1)
    ContactFactory(manifestation=manifestation)
    client = logged_in(user)
    codes = statuses(run_together(THREADS, lambda i: client.post(reverse("candidatures:confirmer"))))
    assert set(codes) == {302}
    manifestation.refresh_from_db()
    assert manifestation.statut == Statut.CONFIRMEE
    receipts = [m for m in mail.outbox if "Votre manifestation d'intérêt est enregistrée" in m.subject]
    assert len(receipts) == 1
    figures(
        classe="concurrence",
        requetes=len(codes),
        erreurs_500=sum(code >= 500 for code in codes),
        detail=f"confirmer {THREADS} fois à la fois : 1 confirmation, 1 accusé ({connection.vendor})",
    )


def test_saving_the_same_section_at_once_keeps_one_and_tells_the_others(committed, figures):
    agent = make_user("agent@nievre.test", Role.PREFECTURE, departement="58")
    gouvernance = GouvernanceFactory()
    url = reverse("gouvernances:section", kwargs={"code": "58", "section": Section.NOTE_CONTEXTE})
    client = logged_in(agent)

    def save(i):
        return client.post(url, {"version": "0", "note_contexte": f"<p>Version {i}</p>"})

    results = run_together(THREADS, save)
    codes = statuses(results)
    assert codes.count(302) == 1, codes
    assert codes.count(409) == THREADS - 1, codes
    for response in results:
        if response.status_code == 409:
            assert "après l'ouverture de votre page" in page_text(response)
    winner = codes.index(302)
    gouvernance.refresh_from_db()
    assert gouvernance.note_contexte == f"<p>Version {winner}</p>"
    assert SectionState.objects.get(gouvernance=gouvernance, section=Section.NOTE_CONTEXTE).version == 1
    figures(
        classe="concurrence",
        requetes=len(codes),
        erreurs_500=sum(code >= 500 for code in codes),
        detail=f"même section {THREADS} fois : 1 enregistrée, {THREADS - 1} × 409 ({connection.vendor})",
    )


def test_the_same_document_section_at_once(committed, figures):
    from tests.feuilles_de_route.factories import DocumentFactory

    agent = make_user("agent@nievre.test", Role.PREFECTURE, departement="58")
    document = DocumentFactory()
    url = reverse(
        "feuilles_de_route:section", kwargs={"pk": document.feuille_de_route_id, "section": "introduction"}
    )
    client = logged_in(agent)
    codes = statuses(
        run_together(THREADS, lambda i: client.post(url, {"version": "0", "specificites": f"Texte {i}"}))
    )
    assert codes.count(302) == 1, codes
    assert codes.count(409) == THREADS - 1, codes
    figures(
        classe="concurrence",
        requetes=len(codes),
        erreurs_500=sum(code >= 500 for code in codes),
        detail=f"même section du document {THREADS} fois : 1 enregistrée ({connection.vendor})",
    )


def test_remonter_twice_sends_the_gouvernance_once(committed, figures):
    agent = make_user("agent@nievre.test", Role.PREFECTURE, departement="58")
    gouvernance = GouvernanceFactory()
    MembreFactory(gouvernance=gouvernance)
    FeuilleDeRouteFactory(gouvernance=gouvernance)
    CoordinationFactory(gouvernance=gouvernance)  # a submission names a structure recruteuse
    client = logged_in(agent)
    url = reverse("gouvernances:submit", kwargs={"code": "58"})
    codes = statuses(
        run_together(THREADS, lambda i: client.post(url, {"statut": StatutGouvernance.PRESSENTIE}))
    )
    assert set(codes) == {302}
    gouvernance.refresh_from_db()
    assert gouvernance.statut == StatutGouvernance.PRESSENTIE
    remontees = Gouvernance.history.filter(id=gouvernance.pk, statut=StatutGouvernance.PRESSENTIE)
    assert remontees.count() == 1
    figures(
        classe="concurrence",
        requetes=len(codes),
        erreurs_500=sum(code >= 500 for code in codes),
        detail=f"remonter {THREADS} fois à la fois : 1 remontée ({connection.vendor})",
    )


def test_the_service_raises_the_one_stale_exception_when_the_page_is_old(committed):
    """What the 409s above come from (the versioned-row helper), called directly."""
    from gouvernances import services

    agent = make_user("agent@nievre.test", Role.PREFECTURE, departement="58")
    gouvernance = GouvernanceFactory()
    services.section_save(
        gouvernance=gouvernance, user=agent, section=Section.NOTE_CONTEXTE, version=0, data="<p>a</p>"
    )
    with pytest.raises(StaleVersion):
        services.section_save(
            gouvernance=gouvernance, user=agent, section=Section.NOTE_CONTEXTE, version=0, data="<p>b</p>"
        )
