"""A visitor signs up, fills « participer » for a commune of the Nièvre and confirms; the
Nièvre préfecture then sees the counter go up and the contact in the list."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.e2e.a11y import audit
from tests.e2e.journeys import contact_fieldset, fill_contact, goto, login, logout

pytestmark = pytest.mark.e2e


def _code_from_outbox(address: str) -> str:
    message = next(m for m in reversed(mail.outbox) if address in m.to)
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def test_visitor_participates_and_prefecture_sees_it(page: Page, prefecture_nievre, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email, password = prefecture_nievre

    # The préfecture's counter starts at zero.
    login(page, email, password)
    expect(page).to_have_url(re.compile(r"/departements/58/$"))
    counter = page.locator('[data-compteur="participants_collectivites"]')
    expect(counter).to_have_text("0")
    logout(page)

    # A visitor chooses a persona and an intention, and is asked to sign up.
    goto(page, "/gouvernance/")
    page.get_by_text("Commune", exact=True).click()
    page.get_by_text("Participer à l'élaboration des feuilles de route").click()
    page.get_by_role("button", name=re.compile("Commencer")).click()
    expect(page).to_have_url(re.compile(r"/comptes/signup/"))
    audit(page)
    visitor = "secretariat@mairie-varennes.example"
    page.get_by_label("Adresse e-mail").fill(visitor)
    page.get_by_label("Mot de passe", exact=True).fill("un-mot-de-passe-solide-2026")
    page.get_by_label("Confirmez le mot de passe").fill("un-mot-de-passe-solide-2026")
    page.locator("main").get_by_role("button", name="Créer mon compte").click()

    # Mandatory e-mail verification: the code arrives by e-mail.
    expect(page).to_have_url(re.compile(r"/comptes/"))
    audit(page)
    page.get_by_label("Code de vérification").fill(_code_from_outbox(visitor))
    page.locator("main").get_by_role("button", name="Vérifier l'adresse").click()

    # Back on the entry page, the choice kept: start the form.
    expect(page).to_have_url(re.compile(r"/gouvernance/"))
    audit(page)
    if page.get_by_role("button", name="Commencer").count():
        page.get_by_role("button", name="Commencer").click()
    expect(page).to_have_url(re.compile(r"/gouvernance/formulaire/participer/"))
    audit(page)

    page.get_by_label("Département").select_option("58")
    page.get_by_label("Votre collectivité").fill("58303")  # Varennes-Vauzelles, by INSEE code
    fill_contact(
        contact_fieldset(page, "Contact politique"),
        prenom="Claire",
        nom="Martin",
        fonction="Adjointe au numérique",
        email="claire.martin@varennes.example",
    )
    page.get_by_role("button", name="Enregistrer et voir le récapitulatif").click()

    expect(page).to_have_url(re.compile(r"/recapitulatif/"))
    audit(page)
    expect(page.locator("main")).to_contain_text("Varennes-Vauzelles")
    page.get_by_role("button", name="Confirmer et envoyer").click()
    expect(page.locator("main")).to_contain_text("Formulaire confirmé")
    audit(page)
    logout(page)

    # The préfecture sees the counter go up and the contact in the list.
    login(page, email, password)
    expect(page.locator('[data-compteur="participants_collectivites"]')).to_have_text("1")
    page.get_by_role("link", name=re.compile("Voir le détail")).click()
    audit(page)
    expect(page.locator("table")).to_contain_text("Varennes-Vauzelles")
    expect(page.locator("table")).to_contain_text("claire.martin@varennes.example")
