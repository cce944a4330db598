"""ProConnect is an allauth OpenID Connect app that exists only when its three variables are set."""

import json
import os
import subprocess
import sys

import pytest
from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.test import RequestFactory

# Settings are read once at start-up: each case runs them in a fresh interpreter (no database).
SCRIPT = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]))
"""

PROCONNECT_ENV = {
    "PROCONNECT_CLIENT_ID": "fne-client",
    "PROCONNECT_CLIENT_SECRET": "secret",
    "PROCONNECT_SERVER_URL": "https://proconnect.example/api/v2",
}


def apps_configured_with(extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROCONNECT_")}
    env.update({"DJANGO_SETTINGS_MODULE": "fne.settings", **extra_env})
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_proconnect_app_configured_from_environment():
    (app,) = apps_configured_with(PROCONNECT_ENV)
    assert app["provider_id"] == "proconnect"
    assert app["client_id"] == "fne-client"
    assert app["settings"]["server_url"] == "https://proconnect.example/api/v2"


def test_proconnect_off_when_a_variable_is_missing():
    env = {k: v for k, v in PROCONNECT_ENV.items() if k != "PROCONNECT_SERVER_URL"}
    assert apps_configured_with(env) == []


@pytest.mark.django_db
def test_login_page_offers_proconnect_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps_configured_with(PROCONNECT_ENV)}}
    apps = get_adapter().list_apps(RequestFactory().get("/"), provider="openid_connect")
    assert [a.name for a in apps] == ["ProConnect"]
    assert "ProConnect" in client.get("/comptes/login/").content.decode()
