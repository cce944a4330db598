"""The Nièvre préfecture fills the whole gouvernance form in a browser, saves it, edits a
section, and submits the gouvernance pressentie."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.a11y import audit
from tests.e2e.journeys import choose_territoire, goto, login

pytestmark = pytest.mark.e2e

NEVERS = "245804406"


@pytest.fixture
def campagne_ouverte(e2e_db):
    from gouvernances.models import Echeance

    Echeance.objects.update_or_create(
        code="gouvernance-definitive",
        defaults={
            "libelle": "Gouvernance définitive",
            "statut": "definitive",
            "date_limite": timezone.localdate() + datetime.timedelta(days=60),
        },
    )


def _fill_contacts(page: Page, prefix: str, n: int) -> None:
    for role in ("referent", "suppleant"):
        page.locator(f'[name="{prefix}-{role}_prenom"]').fill("Camille")
        page.locator(f'[name="{prefix}-{role}_nom"]').fill(f"{role.capitalize()} {n}")
        page.locator(f'[name="{prefix}-{role}_fonction"]').fill("Chargée de mission")
        page.locator(f'[name="{prefix}-{role}_email"]').fill(f"{role}{n}@example.org")


def test_prefecture_fills_the_form_and_submits_the_gouvernance_pressentie(
    page: Page, prefecture_nievre, campagne_ouverte
):
    email, password = prefecture_nievre
    login(page, email, password)
    expect(page).to_have_url(re.compile(r"/departements/58/$"))
    page.get_by_role("link", name="Ouvrir le formulaire de gouvernance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Création de la gouvernance de la Nièvre")
    audit(page)

    # 1. Sous-préfet
    page.locator('[name="sous_prefet-prenom"]').fill("Claire")
    page.locator('[name="sous_prefet-nom"]').fill("Martin")
    page.locator('[name="sous_prefet-email"]').fill("claire.martin@nievre.gouv.example")
    # 2. Membres: the Conseil départemental (co-porteur), Nevers Agglomération, and a third one
    # added with the "Ajouter un membre" button (static JS).
    choose_territoire(
        page.locator('[name="membres-0-key"]'), "Nièvre", re.compile(r"^Nièvre \(Conseil départemental, 58\)")
    )
    page.locator('[name="membres-0-est_coporteur"]').check(force=True)
    _fill_contacts(page, "membres-0", 0)
    choose_territoire(page.locator('[name="membres-1-key"]'), NEVERS, re.compile(rf"\(EPCI, {NEVERS}\)"))
    _fill_contacts(page, "membres-1", 1)
    page.get_by_role("button", name="Ajouter un membre").click()
    page.locator('[name="membres-2-structure_nom"]').fill("La Poste")
    page.locator('[name="membres-2-structure_siret"]').fill("356 000 000 00048")
    _fill_contacts(page, "membres-2", 2)
    # 4. Comitologie
    page.locator('[name="comites-0-type"]').select_option("strategique")
    page.locator('[name="comites-0-frequence"]').select_option("semestrielle")
    page.locator('[name="comites-0-composition"]').fill("Préfet, conseil départemental, EPCI")
    page.locator('[name="comites-0-role"]').fill("Valider les feuilles de route")
    # 5. Feuilles de route: one départementale, one infra-départementale on Nevers.
    page.locator('[name="feuilles-0-nom"]').fill("Feuille de route départementale")
    choose_territoire(
        page.locator('[name="feuilles-0-porteur"]'),
        "Nièvre",
        re.compile(r"^Nièvre \(Conseil départemental, 58\)"),
    )
    page.locator('[name="feuilles-0-perimetre"][value="departemental"]').check(force=True)
    page.locator('[name="feuilles-0-contrat"][value="non"]').check(force=True)
    page.get_by_role("button", name="Ajouter une feuille de route").click()
    page.locator('[name="feuilles-1-nom"]').fill("Nevers numérique")
    choose_territoire(page.locator('[name="feuilles-1-porteur"]'), NEVERS, re.compile(rf"\(EPCI, {NEVERS}\)"))
    page.locator('[name="feuilles-1-perimetre"][value="epci"]').check(force=True)
    page.locator(f'[name="feuilles-1-epcis"][value="{NEVERS}"]').check(force=True)
    page.locator('[name="feuilles-1-contrat"][value="non"]').check(force=True)
    # 6. Coordination
    page.locator('[name="coordination-0-structure_nom"]').fill("Nevers Agglomération")
    page.locator('[name="coordination-0-structure_siret"]').fill("24580440600008")
    page.locator('[name="coordination-0-nombre_postes"]').fill("1")
    # 7. Note de contexte, in the small editor (no CDN): bold text.
    editor = page.locator("[data-note-editor]")
    editor.click()
    page.get_by_role("button", name="Gras").click()
    page.keyboard.type("Concertation du 14 novembre")
    page.get_by_role("button", name="Enregistrer la gouvernance").click()

    expect(page.locator(".fr-alert--success, .fr-alert")).to_contain_text("La gouvernance est enregistrée")
    expect(page.locator("#membres")).to_contain_text("La Poste")
    expect(page.locator("#note-de-contexte :is(strong, b)")).to_have_text("Concertation du 14 novembre")
    expect(page.locator("#couverture")).to_contain_text("Tout le département est couvert")
    audit(page)

    # Edit one section alone.
    page.get_by_role("link", name="Modifier le sous-préfet référent").click()
    audit(page)
    page.locator("[name=nom]").fill("Durand")
    page.get_by_role("button", name="Enregistrer la section").click()
    expect(page.locator("#sous-prefet")).to_contain_text("Claire Durand")

    # Submit the gouvernance pressentie, through the page that shows what will be sent.
    page.get_by_role("link", name="Remonter la gouvernance pressentie").click()
    expect(page.get_by_role("heading", level=2, name="Ce qui sera transmis")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nevers numérique")
    audit(page)
    page.get_by_role("button", name="Confirmer : remonter la gouvernance pressentie").click()
    expect(page.locator("main")).to_contain_text("Gouvernance pressentie remontée")
    expect(page.get_by_role("link", name="Remonter la gouvernance pressentie")).to_have_count(0)
    audit(page)

    # The public page shows it without the note nor the sous-préfet.
    goto(page, "/departements/58/gouvernance/publique/")
    expect(page.locator("main")).to_contain_text("Nevers numérique")
    expect(page.locator("main")).not_to_contain_text("Concertation du 14 novembre")
    expect(page.locator("main")).not_to_contain_text("claire.martin@nievre.gouv.example")
