"""Rate limits on login, signup and the public forms; their messages are in French."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_eleventh_failed_login_from_one_ip_within_a_minute_is_refused(client, structure_user):
    url = reverse("account_login")
    for attempt in range(10):
        # A different address each time: the per-address limit (5 in 5 min) does not kick in.
        response = client.post(url, {"login": f"inconnu{attempt}@mairie.test", "password": "mauvais"})
        assert response.status_code == 200
        assert "Trop de tentatives" not in response.content.decode()
    response = client.post(url, {"login": structure_user.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session  # even the right password is refused now
    assert "Trop de tentatives de connexion" in response.content.decode()
    # Another address (another IP) is not affected.
    other = client.post(url, {"login": structure_user.email, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_signups_from_one_ip_are_limited(client, settings):
    url = reverse("account_signup")
    limit = int(settings.ACCOUNT_RATE_LIMITS["signup"].split("/")[0])
    for attempt in range(limit):
        client.post(url, {"email": f"nouveau{attempt}@mairie.test", "password1": "x", "password2": "y"})
    response = client.post(url, {"email": "encore@mairie.test", "password1": "x", "password2": "y"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()


def test_public_form_posts_are_limited_per_ip(client):
    from candidatures.views import POST_RATE
    from core.ratelimit import parse_rate

    limit, _ = parse_rate(POST_RATE)
    url = reverse("candidatures:entree")
    for _ in range(limit):
        assert client.post(url, {"persona": "commune", "intention": "participer"}).status_code == 302
    response = client.post(url, {"persona": "commune", "intention": "participer"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert client.get(url).status_code == 200  # reading is never limited
    assert client.post(url, {"persona": "commune"}, REMOTE_ADDR="10.9.9.9").status_code == 200
