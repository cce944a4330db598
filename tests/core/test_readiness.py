"""The readiness probe (/sante/pret/): 200 when the database, Redis and the file store answer, 503
when one does not, with no detail for the public (the log names what failed)."""

import logging

import pytest
from django.db import OperationalError
from django.urls import reverse

from core import views

pytestmark = pytest.mark.django_db

URL = reverse("core:sante_pret")


def test_ready_when_everything_answers(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.content.decode() == "prêt"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_ready_with_the_object_store(client, s3_store):
    assert client.get(URL).status_code == 200


def test_not_ready_when_the_bucket_is_gone_and_the_public_learns_nothing(client, s3_store, caplog):
    s3_store.server.client().delete_bucket(Bucket=s3_store.bucket)
    with caplog.at_level(logging.ERROR, logger="core.views"):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.content.decode() == "indisponible"
    assert "stockage en échec" in caplog.text
    assert s3_store.bucket not in response.content.decode()


def test_not_ready_when_the_database_fails(client, monkeypatch, caplog):
    def broken():
        raise OperationalError("connexion refusée")

    monkeypatch.setitem(views.READINESS_CHECKS, "base de données", broken)
    with caplog.at_level(logging.ERROR, logger="core.views"):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.content.decode() == "indisponible"
    assert "base de données en échec" in caplog.text
    assert "connexion refusée" in caplog.text


def test_not_ready_when_redis_does_not_answer(client, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with caplog.at_level(logging.ERROR, logger="core.views"):
        response = client.get(URL)
    assert response.status_code == 503
    assert "Redis en échec" in caplog.text
