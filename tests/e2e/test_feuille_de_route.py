"""A préfecture agent edits an axe, adds a fiche action, asks for the PDF, sees it complete and downloads it,
then submits the feuille de route to the gouvernance through its confirmation page."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import audit
from tests.e2e.journeys import goto, login
from tests.feuilles_de_route.factories import (
    AxeFactory,
    DocumentFactory,
    FeuilleDeRouteFactory,
    MembreFactory,
)

pytestmark = pytest.mark.e2e


def test_prefecture_writes_an_axe_and_a_fiche_then_downloads_the_pdf(page: Page, prefecture_nievre, tmp_path):
    email, password = prefecture_nievre
    porteur = MembreFactory(departement_cd=True)
    feuille = FeuilleDeRouteFactory(
        gouvernance=porteur.gouvernance, porteur=porteur, nom="Feuille de route de la Nièvre"
    )
    axe = AxeFactory(document=DocumentFactory(feuille_de_route=feuille), nom="Axe à renommer")

    login(page, email, password)
    expect(page).to_have_url(re.compile(r"/departements/58/$"))

    goto(page, f"/feuilles-de-route/{feuille.pk}/")
    expect(page.locator("#avertissement-axes")).to_contain_text("3 à 5 axes")
    page.get_by_role("link", name=f"Modifier l'axe {axe.nom}").click()
    audit(page)
    page.get_by_label("Nom de l'axe stratégique").fill("Aller vers les publics éloignés")
    page.get_by_role("button", name="Enregistrer l'axe").click()
    expect(page.locator("#priorites")).to_contain_text("Aller vers les publics éloignés")
    audit(page)

    page.get_by_role("link", name="Ajouter une fiche action à l'axe Aller vers les publics éloignés").click()
    audit(page)
    page.get_by_label("Nom de l'action").fill("Bus numérique du Morvan")
    page.get_by_label("Pilote").fill("Conseil départemental")
    page.get_by_role("button", name="Enregistrer la fiche action").click()
    expect(page.locator("#priorites")).to_contain_text("Bus numérique du Morvan")

    page.get_by_role("button", name="Générer le PDF").click()
    download_link = page.get_by_role("link", name="Télécharger le PDF")
    expect(download_link).to_be_visible(timeout=60_000)
    audit(page)  # with the htmx-updated PDF block
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "fdr.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")

    # Submitting to the gouvernance shows what will be submitted first.
    page.get_by_role("link", name="Soumettre à la gouvernance").click()
    expect(page.get_by_role("heading", level=2, name="Ce qui sera soumis")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Bus numérique du Morvan — pilote : Conseil départemental")
    audit(page)
    page.get_by_role("button", name="Confirmer : soumettre à la gouvernance").click()
    expect(page.locator("#statut")).to_contain_text("Soumise")
    audit(page)
