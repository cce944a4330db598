"""ProConnect is an allauth OpenID Connect app that exists only when its three variables are set."""

import os
import subprocess
import sys

from django.conf import settings

SCRIPT = """
import django
django.setup()
from django.test import RequestFactory
from allauth.socialaccount.adapter import get_adapter
apps = get_adapter().list_apps(RequestFactory().get("/"), provider="openid_connect")
print([(a.provider_id, a.name, a.client_id, a.settings.get("server_url")) for a in apps])
"""


def run_with(extra_env):
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
    return result.stdout.strip()


def test_proconnect_app_configured_from_environment():
    out = run_with(
        {
            "PROCONNECT_CLIENT_ID": "fne-client",
            "PROCONNECT_CLIENT_SECRET": "secret",
            "PROCONNECT_SERVER_URL": "https://proconnect.example/api/v2",
        }
    )
    assert out == "[('proconnect', 'ProConnect', 'fne-client', 'https://proconnect.example/api/v2')]"


def test_proconnect_off_when_a_variable_is_missing():
    assert run_with({"PROCONNECT_CLIENT_ID": "fne-client", "PROCONNECT_CLIENT_SECRET": "secret"}) == "[]"
