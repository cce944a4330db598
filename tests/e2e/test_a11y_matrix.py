"""Accessibility beyond the journeys: every page of the access matrix (tests/access_matrix.py)
that a role may read (GET → 200, an HTML page) is opened in Chromium as that role and audited
with axe-core; every serious or critical violation is reported with its URL and role.

One test per role, so that the roles spread over the xdist workers: each builds the matrix's
Nièvre (tests/nievre.py), signs its browser context in once (the session cookie of a test
client's login, not the login form, which the journeys audit already) and opens one page per
route. The anonymous visitor also goes through the account pages allauth serves.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from tests.access_matrix import ROLES, build_url, iter_cases
from tests.e2e import a11y
from tests.nievre import build_nievre, create_accounts

pytestmark = pytest.mark.e2e

# allauth's pages a visitor reaches before signing in (outside the matrix, allauth's own URLs).
ACCOUNT_PAGES = ("account_login", "account_signup", "account_request_login_code", "account_reset_password")


def readable_pages(role: str, objects: dict) -> list[str]:
    """The URLs (with their query) of the matrix's GET cases this role reads (200), in order."""
    urls = []
    for name, case in iter_cases():
        if case.get[role] == 200:
            url = build_url(name, case, objects) + case.query
            if url not in urls:
                urls.append(url)
    return urls


def html_pages(client: Client, urls: list[str]) -> list[str]:
    """Those of `urls` that answer with an HTML page (files, JSON and feeds have no DOM to audit)."""
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            pages.append(url)
        response.close()
    return pages


def sign_in(page: Page, client: Client, user, base_url: str) -> None:
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


@pytest.mark.parametrize("role", ROLES)
def test_every_readable_page_has_no_serious_violation(
    page: Page, live_server, e2e_db, settings, tmp_path, role
):
    settings.MEDIA_ROOT = tmp_path
    accounts = create_accounts()
    objects = build_nievre(accounts)
    client = Client()
    if role != "anonyme":
        sign_in(page, client, accounts[role], live_server.url)
    urls = html_pages(client, readable_pages(role, objects))
    if role == "anonyme":
        urls += [reverse(name) for name in ACCOUNT_PAGES]
    assert urls, f"aucune page lisible pour « {role} »"

    reports = []
    for url in urls:
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, f"GET {url} en tant que « {role} » : {response.status}"
        found = a11y.check(page)
        if found:
            reports.append(a11y.format_violations(f"{url} (rôle « {role} »)", found))
    assert not reports, f"{len(reports)} page(s) sur {len(urls)} en défaut :\n" + "\n\n".join(reports)
