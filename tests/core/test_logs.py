"""One log record per request with its id, user, département and duration; JSON lines in
production; the request id carried to Celery tasks; error reports off without SENTRY_DSN and
never carrying personal data."""

import json
import logging

import pytest
from django.conf import settings
from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

from core import logs

pytestmark = pytest.mark.django_db


def request_records(caplog):
    return [r for r in caplog.records if r.name == "fne.requetes"]


def test_one_record_per_request_with_its_id_user_departement_and_duration(client, prefecture_58, caplog):
    client.force_login(prefecture_58)
    with caplog.at_level(logging.INFO, logger="fne.requetes"):
        response = client.get(
            reverse("gouvernances:detail", kwargs={"code": "58"}) + "?q=jean.dupont@example.fr",
            HTTP_X_REQUEST_ID="lb-7f3a-0001",
        )
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a-0001"
    (record,) = request_records(caplog)
    assert record.request_id == "lb-7f3a-0001"
    assert record.method == "GET"
    assert record.path == "/departements/58/gouvernance/"  # no query string
    assert record.status == 200
    assert record.user_id == prefecture_58.pk
    assert record.departement == "58"
    assert isinstance(record.duration_ms, float)
    assert "example.fr" not in record.getMessage()


def test_a_forged_request_id_is_replaced_and_anonymous_requests_have_no_user(client, caplog):
    with caplog.at_level(logging.INFO, logger="fne.requetes"):
        response = client.get(reverse("espace:home"), HTTP_X_REQUEST_ID="x\nFAUX niveau=critique")
    new_id = response["X-Request-ID"]
    assert len(new_id) == 32
    assert new_id.isalnum()
    (record,) = request_records(caplog)
    assert record.request_id == new_id
    assert record.user_id is None
    assert record.departement is None


def test_the_production_format_is_one_json_object_per_line(client, caplog):
    config = {k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
    formatter = JsonFormatter(**config)
    with caplog.at_level(logging.INFO, logger="fne.requetes"):
        client.get(reverse("espace:home"), HTTP_X_REQUEST_ID="abc-1")
    (record,) = request_records(caplog)
    line = formatter.format(record)
    assert "\n" not in line
    payload = json.loads(line)
    assert payload["request_id"] == "abc-1"
    assert payload["level"] == "INFO"
    assert payload["logger"] == "fne.requetes"
    assert payload["path"] == "/"
    assert payload["status"] == 200
    assert payload["method"] == "GET"
    assert "duration_ms" in payload
    assert "user_id" in payload


def test_the_request_id_travels_with_a_task_and_into_its_records():
    token = logs.request_id_var.set("req-42")
    try:
        headers = {}
        logs.task_publish_headers(headers)
    finally:
        logs.request_id_var.reset(token)
    assert headers == {"request_id": "req-42"}

    class Task:
        class request:
            headers = {"request_id": "req-42"}

    logs.task_started(Task)
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "rendu", None, None)
    logs.RequestIdFilter().filter(record)
    assert record.request_id == "req-42"
    logs.task_ended(Task)
    assert logs.request_id_var.get() == ""


def test_error_reports_are_off_without_a_dsn(monkeypatch):
    import sentry_sdk

    called = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **kwargs: called.append(kwargs))
    assert logs.init_error_reports(dsn="", environment="production") is False
    assert called == []
    assert logs.init_error_reports(dsn="https://cle@erreurs.example.gouv.fr/3", environment="recette") is True
    (options,) = called
    assert options["send_default_pii"] is False
    assert options["before_send"] is logs.scrub_event
    assert options["max_request_body_size"] == "never"


def test_an_error_report_carries_no_body_cookie_nor_e_mail_address():
    event = {
        "message": "Échec de l'envoi à marie.curie@nievre.gouv.fr",
        "request": {
            "url": "https://fne.example.gouv.fr/departements/58/gouvernance/membres/",
            "method": "POST",
            "data": {"email": "marie.curie@nievre.gouv.fr", "nom": "Curie"},
            "cookies": {"sessionid": "s3cr3t"},
            "query_string": "email=marie.curie@nievre.gouv.fr",
            "headers": {"Cookie": "sessionid=s3cr3t", "Authorization": "Bearer x", "User-Agent": "Firefox"},
        },
        "user": {"id": 12, "email": "agent@nievre.gouv.fr", "ip_address": "10.0.0.1"},
        "breadcrumbs": {"values": [{"message": "connexion de agent@nievre.gouv.fr"}]},
        "exception": {"values": [{"value": "Adresse jean@exemple.fr refusée"}]},
    }
    scrubbed = logs.scrub_event(event)
    text = json.dumps(scrubbed, ensure_ascii=False)
    assert "@" not in text
    assert "s3cr3t" not in text
    assert "Bearer" not in text
    assert "data" not in scrubbed["request"]
    assert "cookies" not in scrubbed["request"]
    assert scrubbed["request"]["headers"] == {"User-Agent": "Firefox"}
    assert scrubbed["user"] == {"id": 12}
    assert scrubbed["message"] == "Échec de l'envoi à [adresse masquée]"
