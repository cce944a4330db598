"""Every page of the access matrix has its own <title> on one line: the page, then where it sits,
then the site (« Gouvernance — Nièvre — Espace France Numérique Ensemble »)."""

import re

import pytest
from django.urls import reverse

from tests.access_matrix import build_url, iter_cases
from tests.responses import close_response

SITE = "Espace France Numérique Ensemble"


def pages():
    """(name, case, role) for each GET of the matrix that renders a page for some role."""
    for name, case in iter_cases():
        for role in ("admin", "structure", "coredacteur", "anonyme"):
            if case.get[role] == 200:
                yield pytest.param(
                    name, case, role, id=f"{name}{f'[{case.label}]' if case.label else ''}-{role}"
                )
                break


def assert_own_title(response, where: str) -> None:
    html = response.content.decode()
    # The document's own title sits in its <head>; a map's shapes carry <title> elements of their own.
    head = html.split("</head>", 1)[0]
    titles = re.findall(r"<title>(.*?)</title>", head, re.S)
    assert len(titles) == 1, f"{where} : {len(titles)} éléments <title> dans <head>"
    title = titles[0]
    assert "\n" not in title, f"{where} : titre sur plusieurs lignes {title!r}"
    assert title.endswith(f" — {SITE}"), f"{where} : pas de titre propre à la page ({title!r})"
    assert title.strip() == title
    assert "  " not in title, f"{where} : {title!r}"


@pytest.mark.parametrize(("name", "case", "role"), list(pages()))
def test_matrix_page_has_its_own_title(as_role, name, case, role):
    client, objects = as_role(role)
    url = build_url(name, case, objects) + case.query
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        close_response(response)
        return
    # Files and the fragments a page fetches (the progress of a PDF) are not pages.
    if (
        not response.get("Content-Type", "").startswith("text/html")
        or "<html" not in response.content.decode()
    ):
        return
    assert response.status_code == 200
    assert_own_title(response, f"GET {url} ({role})")


@pytest.mark.parametrize(
    "name", ["account_login", "account_signup", "account_reset_password", "account_request_login_code"]
)
def test_allauth_pages_have_their_own_title(client, db, name):
    url = reverse(name)
    assert_own_title(client.get(url), f"GET {url}")
