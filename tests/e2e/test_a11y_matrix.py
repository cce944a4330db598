"""Accessibility beyond the journeys: every page of the access matrix (tests/access_matrix.py)
that a role may read (GET → 200, an HTML page) is opened in Chromium as that role and audited
with axe-core; every serious or critical violation is reported with its URL and role.

One test per role, so that the roles spread over the xdist workers: each builds the matrix's
Nièvre (tests/nievre.py), signs its browser context in once (the session cookie of a test
client's login, not the login form, which the journeys audit already) and opens one page per
route. The anonymous visitor also goes through the account pages allauth serves, those reached
by a form included (the login code's entry, the e-mail verification, the password reset's
confirmation, an expired reset link); a signed-in role also sees the logout page.
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
        response.close()
        # The matrix says 200: a page that does not open here would silently leave the audit.
        assert response.status_code == 200, f"GET {url} : {response.status_code}"
        if response.get("Content-Type", "").startswith("text/html"):
            pages.append(url)
    return pages


def account_flows(page: Page, email: str) -> list[tuple[str, list[dict]]]:
    """The allauth pages a visitor reaches by submitting a form: (URL, violations) of each."""
    found = []

    def submit(start: str, fill: dict[str, str], button: str, lands_on: str) -> None:
        page.goto(start)
        for label, value in fill.items():
            page.get_by_label(label, exact=True).fill(value)
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name=button).click()
        assert page_path(page) == lands_on, f"{start} → {page.url}, attendu {lands_on}"
        found.append((lands_on, a11y.check(page)))
        page.context.clear_cookies()

    submit(
        reverse("account_request_login_code"),
        {"Adresse e-mail": email},
        "Recevoir le code",
        reverse("account_confirm_login_code"),
    )
    submit(
        reverse("account_signup"),
        {
            "Adresse e-mail": "nouvelle.mairie@clamecy.example",
            "Mot de passe": "Clamecy-2027-ok",
            "Confirmez le mot de passe": "Clamecy-2027-ok",
        },
        "Créer mon compte",
        reverse("account_email_verification_sent"),
    )
    submit(
        reverse("account_reset_password"),
        {"Adresse e-mail": email},
        "Recevoir le lien",
        reverse("account_reset_password_done"),
    )
    expired = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "perime"})
    page.goto(expired)
    found.append((expired, a11y.check(page)))
    return found


def page_path(page: Page) -> str:
    return a11y.page_key(page.url)


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
    urls += [reverse(name) for name in ACCOUNT_PAGES] if role == "anonyme" else [reverse("account_logout")]

    audited: list[tuple[str, list[dict]]] = []
    for url in urls:
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, f"GET {url} en tant que « {role} » : {response.status}"
        audited.append((url, a11y.check(page)))
    if role == "anonyme":
        audited += account_flows(page, accounts["prefecture"].email)

    print(f"axe-core : {len(audited)} pages auditées en tant que « {role} »")  # shown with -s or -rP
    reports = [a11y.format_violations(f"{url} (rôle « {role} »)", found) for url, found in audited if found]
    assert not reports, f"{len(reports)} page(s) sur {len(audited)} en défaut :\n" + "\n\n".join(reports)
