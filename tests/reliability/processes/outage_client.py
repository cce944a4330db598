"""Requests made by a process whose Redis (cache and broker) is unreachable, against the test
database (tests/reliability/test_worker.py): what production sees while Redis is down.

    python -m tests.reliability.processes.outage_client EMAIL PASSWORD FEUILLE_PK

Prints one JSON line: the status of each request, and the PDF job the request left.
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fne.settings")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402


def main(email: str, password: str, feuille_pk: int) -> dict:
    from feuilles_de_route.models import PdfJob

    client = Client()
    result = {"accueil": client.get(reverse("espace:home")).status_code}
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    result["connexion"] = response.status_code
    result["connecte"] = "_auth_user_id" in client.session
    editor = reverse("feuilles_de_route:editeur", kwargs={"pk": feuille_pk})
    result["editeur"] = client.get(editor).status_code
    response = client.post(reverse("feuilles_de_route:pdf", kwargs={"pk": feuille_pk}))
    result["pdf"] = response.status_code
    job = PdfJob.objects.filter(document__feuille_de_route_id=feuille_pk).order_by("-id").first()
    result["job"] = {"etat": job.etat, "file_indisponible": job.file_indisponible} if job else None
    page = client.get(editor).content.decode()
    result["page_differee"] = "Génération différée" in page
    result["page_sans_erreur"] = "Erreur inattendue" not in page and "Redis" not in page
    return result


if __name__ == "__main__":
    # The tests' accounts carry MD5 hashes (fast to create); the hasher must be known to check them.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        print(json.dumps(main(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
