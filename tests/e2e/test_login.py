"""A préfecture agent opens the platform, logs in, and lands on their département's space."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import audit
from tests.e2e.journeys import goto

pytestmark = pytest.mark.e2e


def test_prefecture_logs_in_and_sees_its_departement(page: Page, prefecture_nievre):
    email, password = prefecture_nievre

    goto(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("France Numérique Ensemble")

    # The DSFR script copies the header tools into the mobile menu: use the visible ones.
    tools = page.locator(".fr-header__tools-links")
    tools.get_by_role("link", name="Se connecter").click()

    expect(page).to_have_url(re.compile(r"/comptes/login/"))
    audit(page)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.locator("main").get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(re.compile(r"/departements/58/$"))
    audit(page)
    expect(tools.get_by_test_id("header-user")).to_contain_text("Nièvre")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nièvre (58)")


def test_wrong_password_is_refused_on_the_login_page(page: Page, prefecture_nievre):
    email, _ = prefecture_nievre

    goto(page, "/comptes/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
    page.locator("main").get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(re.compile(r"/comptes/login/"))
    expect(page.locator("#erreurs")).to_contain_text("mot de passe")
    audit(page)  # the page with its error
    expect(page.locator(".fr-header__tools-links").get_by_role("link", name="Se connecter")).to_be_visible()
