"""A visitor signs up, fills « participer » for a commune of the Nièvre and confirms; the
Nièvre préfecture then sees the counter go up and the contact in the list."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

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
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.locator("main").get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(re.compile(r"/departements/58/$"))
    counter = page.locator('[data-compteur="participants_collectivites"]')
    expect(counter).to_have_text("0")
    page.context.clear_cookies()

    # A visitor chooses a persona and an intention, and is asked to sign up.
    page.goto("/gouvernance/")
    page.get_by_text("Commune", exact=True).click()
    page.get_by_text("Participer à l'élaboration des feuilles de route").click()
    page.get_by_role("button", name=re.compile("Commencer")).click()
    expect(page).to_have_url(re.compile(r"/comptes/signup/"))
    visitor = "secretariat@mairie-varennes.example"
    page.get_by_label("Courriel").fill(visitor)
    page.get_by_label("Mot de passe", exact=True).fill("un-mot-de-passe-solide-2026")
    page.get_by_label("Mot de passe (confirmation)").fill("un-mot-de-passe-solide-2026")
    page.locator("main").get_by_role("button", name=re.compile("Création de compte|Inscription")).click()

    # Mandatory e-mail verification: the code arrives by e-mail.
    expect(page).to_have_url(re.compile(r"/comptes/"))
    page.get_by_label(re.compile("Code")).fill(_code_from_outbox(visitor))
    page.locator("main").get_by_role("button", name=re.compile("Confirmer|Valider")).click()

    # Back on the entry page, the choice kept: start the form.
    expect(page).to_have_url(re.compile(r"/gouvernance/"))
    if page.get_by_role("button", name="Commencer").count():
        page.get_by_role("button", name="Commencer").click()
    expect(page).to_have_url(re.compile(r"/gouvernance/formulaire/participer/"))

    page.get_by_label("Département").select_option("58")
    page.get_by_label("Votre collectivité").fill("58303")  # Varennes-Vauzelles, by INSEE code
    politique = page.locator("fieldset", has_text="Contact politique")
    politique.get_by_label("Prénom").fill("Claire")
    page.locator("#id_contact_politique-nom").fill("Martin")
    politique.get_by_label("Fonction").fill("Adjointe au numérique")
    politique.get_by_label("Adresse e-mail").fill("claire.martin@varennes.example")
    page.get_by_role("button", name="Enregistrer et voir le récapitulatif").click()

    expect(page).to_have_url(re.compile(r"/recapitulatif/"))
    expect(page.locator("main")).to_contain_text("Varennes-Vauzelles")
    page.get_by_role("button", name="Confirmer et envoyer").click()
    expect(page.locator("main")).to_contain_text("Formulaire confirmé")
    page.context.clear_cookies()

    # The préfecture sees the counter go up and the contact in the list.
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.locator("main").get_by_role("button", name="Connexion").click()
    expect(page.locator('[data-compteur="participants_collectivites"]')).to_have_text("1")
    page.get_by_role("link", name=re.compile("Voir le détail")).click()
    expect(page.locator("table")).to_contain_text("Varennes-Vauzelles")
    expect(page.locator("table")).to_contain_text("claire.martin@varennes.example")
