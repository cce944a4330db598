"""Rate limits behind the production reverse proxy, and without it.

Behind the proxy every request comes from the proxy's address (REMOTE_ADDR); the client's is the
last hop of X-Forwarded-For, which the proxy appends. FNE_TRUSTED_PROXY_COUNT (allauth's
ALLAUTH_TRUSTED_PROXY_COUNT) says how many proxies to trust; without it the header is ignored,
so that nobody escapes a limit by writing it.
"""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from candidatures.views import POST_RATE
from core.ratelimit import client_ip, client_key, parse_rate
from tests.browser_form import page_text
from tests.candidatures.factories import UserFactory
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
ALICE, BRUNO = "203.0.113.5", "198.51.100.7"
LOGIN_FAILURES_ALLOWED = 10  # settings.ACCOUNT_RATE_LIMITS["login_failed"]: 10/m/ip


@pytest.fixture
def behind_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def through_proxy(ip: str) -> dict:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ip}


def test_the_client_address_is_the_proxys_last_hop_only_when_the_proxy_is_trusted(settings):
    factory = RequestFactory()
    forged = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ALICE}")
    assert client_ip(forged) == PROXY  # direct set-up: the header is anybody's writing
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(forged) == ALICE  # what the proxy appended, not what the client wrote before it
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert client_ip(factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=BRUNO)) == BRUNO


def test_fewer_hops_than_trusted_proxies_is_the_connections_address(settings, client):
    """allauth raised ImproperlyConfigured (a 500 on every limited page) on such a header."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ALICE)
    assert client_ip(request) == PROXY
    response = client.post(
        reverse("account_login"), {"login": "x@mairie.test", "password": "y"}, **through_proxy(ALICE)
    )
    assert response.status_code == 200


def test_a_signed_in_person_is_counted_by_account(rf, structure_user):
    request = rf.post("/", REMOTE_ADDR=PROXY)
    request.user = structure_user
    assert client_key(request) == f"compte:{structure_user.pk}"


def _fail_logins(client, url, meta, count):
    statuses = []
    for attempt in range(count):
        response = client.post(url, {"login": f"inconnu{attempt}@mairie.test", "password": "mauvais"}, **meta)
        statuses.append(response.status_code)
    return statuses


def test_behind_the_proxy_one_persons_failed_logins_lock_only_that_person(
    behind_proxy, structure_user, figures
):
    url = reverse("account_login")
    alice, bruno = Client(), Client()
    statuses = _fail_logins(alice, url, through_proxy(ALICE), LOGIN_FAILURES_ALLOWED)
    assert set(statuses) == {200}
    # Alice is now over the limit, even with the right password and a forged header in front.
    locked = alice.post(
        url,
        {"login": structure_user.email, "password": PASSWORD},
        **through_proxy(f"192.0.2.99, {ALICE}"),
    )
    assert "Trop de tentatives de connexion" in page_text(locked)
    assert "_auth_user_id" not in alice.session
    # Bruno, behind the same proxy, logs in.
    ok = bruno.post(url, {"login": structure_user.email, "password": PASSWORD}, **through_proxy(BRUNO))
    assert ok.status_code == 302
    figures(
        classe="limites derrière le proxy",
        requetes=len(statuses) + 2,
        erreurs_500=0,
        detail=f"connexion : {LOGIN_FAILURES_ALLOWED} échecs d'A → A bloquée, B (même proxy) connecté",
    )


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_limit(structure_user, figures):
    url = reverse("account_login")
    client = Client()
    statuses = []
    for attempt in range(LOGIN_FAILURES_ALLOWED):
        response = client.post(
            url,
            {"login": f"inconnu{attempt}@mairie.test", "password": "mauvais"},
            REMOTE_ADDR=ALICE,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",  # a new « address » each time
        )
        statuses.append(response.status_code)
    locked = client.post(
        url,
        {"login": structure_user.email, "password": PASSWORD},
        REMOTE_ADDR=ALICE,
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert "Trop de tentatives de connexion" in page_text(locked)
    other = Client().post(url, {"login": structure_user.email, "password": PASSWORD}, REMOTE_ADDR=BRUNO)
    assert other.status_code == 302
    figures(
        classe="limites en direct",
        requetes=len(statuses) + 2,
        erreurs_500=0,
        detail="connexion : X-Forwarded-For forgé ignoré, A bloquée, B connecté",
    )


def test_behind_the_proxy_one_visitors_public_posts_do_not_block_another(behind_proxy, figures):
    limit, _ = parse_rate(POST_RATE)
    url = reverse("candidatures:entree")
    alice, bruno = Client(), Client()
    data = {"persona": "commune", "intention": "participer"}
    statuses = [alice.post(url, data, **through_proxy(ALICE)).status_code for _ in range(limit)]
    assert set(statuses) == {302}
    assert alice.post(url, data, **through_proxy(ALICE)).status_code == 429
    assert bruno.post(url, data, **through_proxy(BRUNO)).status_code == 302
    figures(
        classe="limites derrière le proxy",
        requetes=limit + 2,
        erreurs_500=0,
        detail=f"formulaire public : A 429 après {limit} envois, B (même proxy) 302",
    )


def test_signed_in_posts_count_per_account_not_per_address(figures):
    """Two agents of one collectivité share an outgoing address: one's posts do not block the other."""
    limit, _ = parse_rate(POST_RATE)
    url = reverse("candidatures:participer")
    first, second = Client(), Client()
    first.force_login(UserFactory())
    second.force_login(UserFactory())
    statuses = [first.post(url, {}, REMOTE_ADDR=PROXY).status_code for _ in range(limit)]
    assert 429 not in statuses
    assert first.post(url, {}, REMOTE_ADDR=PROXY).status_code == 429
    assert second.post(url, {}, REMOTE_ADDR=PROXY).status_code != 429
    figures(
        classe="limites par compte",
        requetes=limit + 2,
        erreurs_500=0,
        detail=f"compte A 429 après {limit} envois, compte B (même adresse) servi",
    )
