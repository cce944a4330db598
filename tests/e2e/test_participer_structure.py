"""A structure (an association, no SIRET) fills « participer » with the keyboard alone: Tab,
Shift+Tab, arrow keys, Space and Enter, never the mouse. Focus must move where expected and be
visible at each step. The row is stored; the Nièvre préfecture counts and lists the structure."""

import re

import pytest
from playwright.sync_api import Page, expect

from candidatures.enums import Persona, Statut
from candidatures.models import ManifestationInteret
from comptes.enums import Role
from tests.conftest import PASSWORD, make_user
from tests.e2e.a11y import audit
from tests.e2e.journeys import goto, login, logout, press, tab_to

pytestmark = pytest.mark.e2e

VISITOR = "contact@tiers-lieu-morvan.example"


def test_structure_participates_with_the_keyboard_alone(page: Page, prefecture_nievre):
    make_user(VISITOR, Role.STRUCTURE)

    # Log in with the keyboard.
    goto(page, "/comptes/login/")
    tab_to(page, page.get_by_label("Adresse e-mail"))
    page.keyboard.type(VISITOR)
    press(page, "Tab", focused=page.get_by_label("Mot de passe"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"/comptes/login/"))
    audit(page)

    # The entry page: persona and intention with the arrow keys, then Enter on « Commencer ».
    goto(page, "/gouvernance/")
    personas = page.get_by_role("radiogroup", name="Vous êtes").or_(
        page.locator("fieldset", has=page.locator("legend", has_text="Vous êtes"))
    )
    tab_to(page, personas.get_by_role("radio").first)
    press(page, "ArrowUp", focused=page.get_by_role("radio", name=Persona.STRUCTURE.label))
    expect(page.get_by_role("radio", name=Persona.STRUCTURE.label)).to_be_checked()
    press(page, "Tab", focused=page.get_by_role("radio", name="Porter une feuille de route"))
    press(page, "ArrowDown", focused=page.get_by_role("radio", name=re.compile("^Participer")))
    expect(page.get_by_role("radio", name=re.compile("^Participer"))).to_be_checked()
    press(page, "Tab", focused=page.get_by_role("button", name="Commencer"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/gouvernance/formulaire/participer/$"))
    audit(page)

    # The form, field after field. No SIRET and the box not ticked yet: refused.
    nom = page.get_by_label("Nom de la structure")
    tab_to(page, nom)
    page.keyboard.type("Tiers-lieu du Morvan")
    press(page, "Tab", focused=page.get_by_role("textbox", name=re.compile(r"^SIRET")))
    press(page, "Tab", focused=page.get_by_label("La structure n'a pas de SIRET"))
    # Its type, in the radio group with the arrows: up from the first wraps to « Autre ».
    press(page, "Tab", focused=page.get_by_role("radio", name=re.compile(r"^Association")))
    press(page, "ArrowUp", focused=page.get_by_role("radio", name=re.compile(r"^Autre")))
    expect(page.get_by_role("radio", name=re.compile(r"^Autre"))).to_be_checked()
    departement = page.get_by_role("combobox", name=re.compile(r"^Département"))
    press(page, "Tab", focused=departement)
    page.keyboard.type("58")  # type-ahead in the closed list: « 58 — Nièvre »
    expect(departement).to_have_value("58")
    for field, value in (
        ("Prénom", "Lucie"),
        ("Nom", "Perrin"),
        ("Fonction", "Coordinatrice"),
        ("Adresse e-mail", "lucie.perrin@tiers-lieu-morvan.example"),
    ):
        contact = page.locator("fieldset", has=page.locator("legend", has_text="Contact de la structure"))
        press(page, "Tab", focused=contact.get_by_role("textbox", name=re.compile(rf"^{field}\b")))
        page.keyboard.type(value)
    press(page, "Tab", focused=page.get_by_role("button", name="Enregistrer et voir le récapitulatif"))
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_contain_text(
        "Indiquez le SIRET de la structure ou cochez « pas de SIRET »."
    )
    audit(page)  # the page with its error
    expect(page.get_by_label("Nom de la structure")).to_have_value("Tiers-lieu du Morvan")
    # Back from the submit button to the box with Shift+Tab, ticked with Space.
    sans_siret = page.get_by_label("La structure n'a pas de SIRET")
    tab_to(page, page.get_by_role("button", name="Enregistrer et voir le récapitulatif"))
    tab_to(page, sans_siret, key="Shift+Tab")
    page.keyboard.press("Space")
    expect(sans_siret).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Enregistrer et voir le récapitulatif"))
    page.keyboard.press("Enter")

    # The summary, then « Confirmer et envoyer » with the keyboard.
    expect(page).to_have_url(re.compile(r"/recapitulatif/$"))
    audit(page)
    main = page.locator("main")
    expect(main).to_contain_text("Tiers-lieu du Morvan")
    expect(main).to_contain_text("Pas de SIRET")
    expect(main).to_contain_text("Type de structure")
    expect(main).to_contain_text("Lucie Perrin, Coordinatrice")
    tab_to(page, page.get_by_role("button", name="Confirmer et envoyer"))
    page.keyboard.press("Enter")
    expect(main).to_contain_text("Formulaire confirmé")
    audit(page)

    stored = ManifestationInteret.objects.get(user__email=VISITOR)
    assert stored.statut == Statut.CONFIRMEE
    assert (stored.persona, stored.structure_nom, stored.structure_siret, stored.structure_sans_siret) == (
        Persona.STRUCTURE,
        "Tiers-lieu du Morvan",
        "",
        True,
    )
    assert stored.structure_departement_id == "58"
    assert stored.structure_type == "autre"
    assert [(c.email, c.type) for c in stored.contacts.all()] == [
        ("lucie.perrin@tiers-lieu-morvan.example", "structure")
    ]

    # The Nièvre préfecture counts it and finds it in its list.
    logout(page)
    email, password = prefecture_nievre
    login(page, email, password)
    expect(page.locator('[data-compteur="participants_structures"]')).to_have_text("1")
    page.get_by_role("link", name=re.compile("Voir le détail")).click()
    audit(page)
    expect(page.locator("table")).to_contain_text("Tiers-lieu du Morvan")
