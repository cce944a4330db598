"""SIRET looked up in the « recherche d'entreprises » service, against a local fake HTTP server
(pytest-httpserver): never the internet. Slow, 429 and 500 answers included."""

import re
import time

import pytest
from django.urls import reverse
from werkzeug import Response

from candidatures import services as candidatures_services
from candidatures.enums import Intention, Persona
from core.tasks import RETRY_POLICY, TRANSIENT_ERRORS
from entreprises import services, tasks
from entreprises.client import SireneUnavailable
from entreprises.enums import StatutVerification
from entreprises.models import Etablissement
from territoires.models import Departement
from tests.candidatures.factories import UserFactory
from tests.conftest import sirene_busy
from tests.gouvernances.factories import CoordinationFactory, GouvernanceFactory

pytestmark = pytest.mark.django_db

SIRET = "35600000049837"  # La Poste, a bureau in Nevers (the Luhn exception)
SIREN = SIRET[:9]


def answer(*, siret=SIRET, etat="A", total=1):
    return {
        "results": [
            {
                "siren": SIREN,
                "nom_complet": "LA POSTE",
                "nature_juridique": "5510",
                "activite_principale": "53.10Z",
                "siege": {"siret": "35600000000048", "adresse": "9 RUE DU COLONEL PIERRE AVIA 75015 PARIS"},
                "matching_etablissements": [
                    {
                        "siret": siret,
                        "adresse": "25 RUE DU CHEMIN DE FER 58000 NEVERS",
                        "activite_principale": "53.10Z",
                        "etat_administratif": etat,
                    }
                ],
            }
        ][:total],
        "total_results": total,
    }


def expect(server, **kwargs):
    return server.expect_request("/search", query_string={"q": SIRET, "page": "1", "per_page": "1"}, **kwargs)


def test_a_known_siret_is_stored_verified_with_the_registers_data(sirene):
    expect(sirene).respond_with_json(answer())
    etablissement = services.siret_lookup(siret=SIRET)
    assert etablissement.statut == StatutVerification.VERIFIE
    assert etablissement.nom == "LA POSTE"
    assert etablissement.adresse == "25 RUE DU CHEMIN DE FER 58000 NEVERS"
    assert etablissement.code_naf == "53.10Z"
    assert etablissement.forme_juridique == "Société commerciale (5510)"
    assert etablissement.verifie_le is not None


def test_a_closed_establishment_is_fermé(sirene):
    expect(sirene).respond_with_json(answer(etat="F"))
    assert services.siret_lookup(siret=SIRET).statut == StatutVerification.FERME


def test_an_unknown_siret_is_introuvable(sirene):
    expect(sirene).respond_with_json({"results": [], "total_results": 0})
    assert services.siret_lookup(siret=SIRET).statut == StatutVerification.INTROUVABLE


def test_another_establishment_of_the_same_company_is_not_this_one(sirene):
    expect(sirene).respond_with_json(answer(siret="35600000000048"))
    assert services.siret_lookup(siret=SIRET).statut == StatutVerification.INTROUVABLE


SLOW_TIMEOUT = 0.2


def _slow(request):
    # The fake server answers one request at a time: the `sirene` fixture waits for this one.
    sirene_busy.clear()
    time.sleep(SLOW_TIMEOUT * 3)
    sirene_busy.set()
    return Response("{}", content_type="application/json")


@pytest.mark.parametrize(
    ("respond", "error"),
    [
        (lambda rule: rule.respond_with_handler(_slow), "délai dépassé"),
        (lambda rule: rule.respond_with_data("Trop de requêtes", status=429), "trop de requêtes (429)"),
        (lambda rule: rule.respond_with_data("Erreur", status=500), "erreur du service (500)"),
        (lambda rule: rule.respond_with_data("<html>", status=200), "réponse illisible"),
    ],
    ids=["lent", "429", "500", "illisible"],
)
def test_a_failure_is_recorded_and_raised_for_a_later_retry(sirene, settings, respond, error):
    settings.SIRENE_TIMEOUT = SLOW_TIMEOUT
    Etablissement.objects.create(siret=SIRET)
    respond(expect(sirene))
    with pytest.raises(SireneUnavailable, match=re.escape(error)):
        services.siret_lookup(siret=SIRET)
    etablissement = Etablissement.objects.get(siret=SIRET)
    assert etablissement.statut == StatutVerification.EN_COURS
    assert (etablissement.tentatives, etablissement.derniere_erreur) == (1, error)


def test_the_task_retries_under_the_shared_policy():
    assert issubclass(SireneUnavailable, TRANSIENT_ERRORS)
    for name, value in RETRY_POLICY.items():
        assert getattr(tasks.verify_siret, name) == value


def test_a_retry_after_an_outage_stores_the_answer(sirene):
    expect(sirene).respond_with_data("Erreur", status=503)
    with pytest.raises(SireneUnavailable):
        services.siret_lookup(siret=SIRET)
    sirene.clear()
    expect(sirene).respond_with_json(answer())
    etablissement = services.siret_lookup(siret=SIRET)
    assert (etablissement.statut, etablissement.tentatives, etablissement.derniere_erreur) == (
        StatutVerification.VERIFIE,
        0,
        "",
    )


def test_a_structures_siret_is_looked_up_once_and_kept(sirene, django_capture_on_commit_callbacks):
    expect(sirene).respond_with_json(answer())
    user = UserFactory()
    manifestation = candidatures_services.manifestation_create(
        user=user, persona=Persona.STRUCTURE, intention=Intention.PARTICIPER
    )
    with django_capture_on_commit_callbacks(execute=True):
        manifestation = candidatures_services.participer_save(
            manifestation=manifestation,
            user=user,
            version=1,
            departement=Departement.objects.get(code="58"),
            structure_nom="Bureau de poste de Nevers",
            structure_siret="356 000 000 49837",
            contact_structure=candidatures_services.ContactData(
                "Martin", "Claire", "Guichetière", "c@m.example"
            ),
        )
    assert Etablissement.objects.get(siret=SIRET).statut == StatutVerification.VERIFIE
    assert manifestation.structure_nom == "Bureau de poste de Nevers"  # the typed name stays
    # Typed again: the kept answer is used, the service is not asked again.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.siret_verification_request(siret=SIRET)
    assert callbacks == []
    assert len(sirene.log) == 1


def test_a_failing_service_never_blocks_the_form(sirene, django_capture_on_commit_callbacks, settings):
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    expect(sirene).respond_with_data("Erreur", status=500)
    gouvernance = GouvernanceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        etablissement = services.siret_verification_request(siret=SIRET)
    assert etablissement is not None
    row = Etablissement.objects.get(siret=SIRET)
    assert row.statut == StatutVerification.EN_COURS
    assert row.tentatives >= 1
    assert gouvernance.pk  # nothing was rolled back


def test_lookups_are_off_without_a_base_url(settings):
    settings.SIRENE_API_URL = ""
    assert services.siret_verification_request(siret=SIRET) is None
    assert not Etablissement.objects.exists()


def test_lookups_left_pending_are_asked_again(sirene, django_capture_on_commit_callbacks):
    expect(sirene).respond_with_json(answer())
    Etablissement.objects.create(siret=SIRET)
    Etablissement.objects.filter(siret=SIRET).update(created_at="2020-01-01T00:00:00Z")
    assert services.pending_lookups_requeue() == 1
    assert Etablissement.objects.get(siret=SIRET).statut == StatutVerification.VERIFIE


def test_the_status_is_shown_next_to_the_siret_on_the_gouvernance(client_for, sirene):
    expect(sirene).respond_with_json(answer())
    gouvernance = GouvernanceFactory(pressentie=True)
    CoordinationFactory(gouvernance=gouvernance, structure_siret=SIRET, structure_nom="Bureau de Nevers")
    services.siret_lookup(siret=SIRET)
    page = (
        client_for("prefecture").get(reverse("gouvernances:detail", kwargs={"code": "58"})).content.decode()
    )
    assert f"SIRET {SIRET}" in page
    assert "Vérifié" in page
    assert "LA POSTE, 25 RUE DU CHEMIN DE FER 58000 NEVERS — NAF 53.10Z" in page
    assert "Bureau de Nevers" in page
