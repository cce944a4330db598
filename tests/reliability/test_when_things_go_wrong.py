"""What a user reads when something goes wrong, and what a cache outage leaves working."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.test import Client
from django.urls import path, reverse

from candidatures.models import ManifestationInteret
from candidatures.services import AGENT_REFUSAL, manifestation_create
from fne.urls import urlpatterns as project_urlpatterns
from tests.browser_form import page_text
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@login_not_required
def database_down(request):
    raise OperationalError("could not connect to server: Connection refused (127.0.0.1:5432)")


# The project's URLs plus one view whose database is down, and the project's error handlers.
urlpatterns = [*project_urlpatterns, path("panne/", database_down)]
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"


def _french_dsfr_page(response, title: str) -> str:
    content = page_text(response)
    assert '<html lang="fr"' in content
    assert "fr-header" in content  # the DSFR layout of every page
    assert f"<h1>{title}</h1>" in content
    return content


def test_the_500_page_is_french_and_touches_no_database(settings, django_assert_num_queries):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/panne/")
    assert response.status_code == 500
    content = _french_dsfr_page(response, "Erreur inattendue")
    assert "5432" not in content
    assert "OperationalError" not in content


def test_a_prefecture_opening_another_departement_reads_a_french_404(client, prefecture_58):
    client.force_login(prefecture_58)
    response = client.get(reverse("espace:departement", kwargs={"code": "21"}))
    assert response.status_code == 404
    _french_dsfr_page(response, "Page introuvable")


def test_an_unknown_address_reads_a_french_404(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    _french_dsfr_page(response, "Page introuvable")


def test_a_read_only_role_writing_reads_a_french_403_with_the_reason(client, demo_user, contenu_58):
    client.force_login(demo_user)
    response = client.post(
        reverse("gouvernances:section", kwargs={"code": "58", "section": "note-de-contexte"})
    )
    assert response.status_code == 403
    content = _french_dsfr_page(response, "Accès refusé")
    assert "Votre compte peut consulter ce département mais pas le modifier." in content


def test_a_bad_request_reads_a_french_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(reverse("account_login"), {"login": "x" * 2000, "password": "y"})
    assert response.status_code == 400
    _french_dsfr_page(response, "Requête incorrecte")


def test_a_refused_csrf_token_reads_a_french_page(structure_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": structure_user.email, "password": PASSWORD})
    assert response.status_code == 403
    content = _french_dsfr_page(response, "Formulaire expiré")
    assert "rien n'a été enregistré" in content


def test_signed_in_pages_are_never_stored_by_the_browser(client, prefecture_58):
    anonymous = client.get(reverse("espace:home"))
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(prefecture_58)
    for url in (reverse("espace:home"), reverse("espace:departement", kwargs={"code": "58"})):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control
        assert "private" in cache_control


# --- Démo and agent accounts are not candidates ------------------------------------------------------


@pytest.mark.parametrize("role", ["demo", "prefecture", "region", "admin"])
def test_agent_accounts_cannot_submit_the_public_interest_form(client_for, role, figures):
    client = client_for(role)
    page = page_text(client.get(reverse("candidatures:entree")))
    assert AGENT_REFUSAL in page
    response = client.post(reverse("candidatures:entree"), {"persona": "commune", "intention": "participer"})
    assert response.status_code == 403
    assert AGENT_REFUSAL in page_text(response)
    assert not ManifestationInteret.objects.exists()
    figures(classe="comptes non candidats", requetes=2, erreurs_500=0, detail=f"compte {role} refusé")


def test_the_service_refuses_an_agent_whatever_the_page(demo_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        manifestation_create(user=demo_user, persona="commune", intention="participer")
    assert error.value.code == "compte_agent"


def test_a_collectivite_account_still_submits(client_for):
    response = client_for("structure").post(
        reverse("candidatures:entree"), {"persona": "commune", "intention": "participer"}
    )
    assert response.status_code == 302
    assert ManifestationInteret.objects.count() == 1


# --- A cache outage ------------------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    """The cache is a Redis nobody answers at (a closed port): what production sees during an outage."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_with_redis_down_the_home_page_and_the_login_answer(redis_down, structure_user, figures, caplog):
    client = Client()
    home = client.get(reverse("espace:home"))
    assert home.status_code == 200
    content = page_text(home)
    # The calendar, read from the database since the cache cannot answer; nothing alarming.
    assert "Remontée par les préfectures des gouvernances territoriales pressenties." in content
    assert "Redis" not in content
    assert "erreur" not in content.lower()
    login = client.post(reverse("account_login"), {"login": structure_user.email, "password": PASSWORD})
    assert login.status_code == 302
    assert "_auth_user_id" in client.session
    # Logged once, at the first failed call: creating the account already renews a generation.
    records = [*caplog.get_records("setup"), *caplog.records]
    assert any("Cache Redis injoignable" in r.getMessage() for r in records)
    figures(classe="panne du cache", requetes=2, erreurs_500=0, detail="accueil 200, connexion 302")


def test_with_redis_down_the_login_limit_still_holds(redis_down, structure_user, figures):
    """Fail safe: counted in the process's memory during the outage."""
    client = Client()
    url = reverse("account_login")
    for attempt in range(10):
        client.post(url, {"login": f"inconnu{attempt}@mairie.test", "password": "mauvais"})
    locked = client.post(url, {"login": structure_user.email, "password": PASSWORD})
    assert "Trop de tentatives de connexion" in page_text(locked)
    figures(
        classe="panne du cache",
        requetes=11,
        erreurs_500=0,
        detail="limite de connexion tenue (mémoire locale)",
    )
