"""The Nièvre préfecture asks for two actions with two bénéficiaires and validates them; ANCT asks
for a change, then accepts; the convention downloads and its text holds the amount in words."""

import re

import pytest
from django.core import mail
from docx import Document
from playwright.sync_api import Page, expect

from comptes.enums import Role
from subventions.enums import StatutDemande
from subventions.models import Demande
from tests.conftest import PASSWORD, make_user
from tests.e2e.a11y import audit
from tests.e2e.journeys import goto, login, logout, tick
from tests.subventions.factories import PDF, nievre_subventions

pytestmark = pytest.mark.e2e

NOTE = (
    "La Nièvre demande le fonds d'ingénierie pour aller vers les habitants éloignés du numérique, "
    "avec les communautés de communes et le Département."
)


@pytest.fixture
def nievre(e2e_db):
    return nievre_subventions()


def _budget(page: Page) -> None:
    page.locator("#id_budget_fichier").set_input_files(
        {"name": "budget.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )


def _montant(page: Page, membre, value: str) -> None:
    page.locator(f"#id_beneficiaire_{membre.pk}").fill(value)


CD = "Conseil départemental de la Nièvre"


def test_prefecture_asks_anct_instructs_and_the_convention_downloads(page: Page, prefecture_nievre, nievre):
    email, password = prefecture_nievre
    login(page, email, password)
    page.locator("#subventions").get_by_role("link", name="Voir les demandes de subvention").click()
    expect(page).to_have_url(re.compile(r"/departements/58/subventions/$"))
    audit(page)
    expect(page.get_by_test_id("restante-ingenierie")).to_have_text("50\u202f000\u202f€")

    # The note de contexte, in the rich-text editor.
    page.get_by_role("link", name="Rédiger la note de contexte").click()
    audit(page)
    page.locator("[data-note-editor]").fill(NOTE)
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.get_by_test_id("note")).to_contain_text("aller vers les habitants")
    audit(page)

    # First action: a fiche action of the feuille de route, two bénéficiaires; a mistake first.
    page.get_by_role("link", name="Nouvelle demande de subvention").click()
    audit(page)
    page.locator("#id_action").select_option(label="Médiation numérique itinérante")
    page.locator("label", has_text="Faire un diagnostic territorial").click()
    page.locator("label", has_text="Animer et mettre en œuvre la gouvernance").click()
    page.locator("#id_contexte").fill("Le Morvan n'a pas de lieu de médiation à moins de vingt minutes.")
    page.locator("[data-note-editor]").fill(
        "Un bus de médiation numérique itinérant, deux jours par semaine."
    )
    page.locator("#id_budget_global").fill("30 000")
    _budget(page)
    page.locator("#id_subvention_demandee").fill("12 000")
    page.locator("#id_montant_rh").fill("8 000")
    page.locator("#id_montant_prestations").fill("3 000")
    _montant(page, nievre.departement_cd, "8 000")
    _montant(page, nievre.association, "4 000")
    page.get_by_role("button", name="Enregistrer en brouillon").click()
    # The page's summary of errors comes first and links to the field; the form says nothing was saved.
    expect(page.locator("#erreurs")).to_contain_text("doivent faire la subvention demandée")
    expect(page.get_by_role("alert").filter(has_text="Rien n'a été enregistré")).to_be_visible()
    expect(page.locator("main")).to_contain_text("doivent faire la subvention demandée (12\u202f000\u202f€)")
    expect(page.locator("#id_contexte")).to_have_value(
        "Le Morvan n'a pas de lieu de médiation à moins de vingt minutes."
    )
    audit(page)
    page.locator("#id_montant_prestations").fill("4 000")
    _budget(page)
    page.get_by_role("button", name="Enregistrer en brouillon").click()
    expect(page).to_have_url(re.compile(r"/subventions/demandes/\d+/$"))
    audit(page)
    expect(page.get_by_test_id("subvention")).to_contain_text(
        "12\u202f000\u202f€ (40\u202f% du budget global)"
    )
    page.get_by_role("button", name="Valider et envoyer à l'ANCT").click()
    expect(page.get_by_role("status")).to_contain_text("La demande est validée et envoyée à l'ANCT")
    audit(page)

    # Second action: created from the demande's page, a new fiche action of the document.
    goto(page, "/departements/58/subventions/demandes/nouvelle/")
    page.locator("#id_action").select_option(label="Nouvelle action (à créer)")
    page.locator("#id_nouvelle_action_axe").select_option(label="Aller vers les publics")
    page.locator("#id_nouvelle_action_nom").fill("Ateliers numériques en mairie")
    page.locator("label", has_text="Former les agents publics").click()
    page.locator("#id_contexte").fill("Les secrétaires de mairie sont sollicitées chaque jour.")
    page.locator("[data-note-editor]").fill("Des ateliers mensuels dans douze mairies.")
    page.locator("#id_budget_global").fill("6 000")
    _budget(page)
    page.locator("#id_subvention_demandee").fill("3 000")
    page.locator("#id_montant_rh").fill("0")
    page.locator("#id_montant_prestations").fill("3 000")
    _montant(page, nievre.departement_cd, "2 000")
    _montant(page, nievre.association, "1 000")
    page.get_by_role("button", name="Enregistrer en brouillon").click()
    expect(page.get_by_role("heading", name="Ateliers numériques en mairie")).to_be_visible()
    audit(page)
    page.get_by_role("button", name="Valider et envoyer à l'ANCT").click()
    expect(page.get_by_role("status")).to_contain_text("validée et envoyée")
    first, second = Demande.objects.order_by("id")
    assert second.fiche_action.axe == nievre.axe
    goto(page, "/departements/58/subventions/")
    expect(page.get_by_test_id("statut-gouvernance")).to_have_text("À instruire")
    expect(page.get_by_test_id("restante-ingenierie")).to_have_text("35\u202f000\u202f€")

    # ANCT asks for a change on the first one, the préfecture is told by e-mail.
    logout(page)
    make_user("admin-e2e@anct.test", Role.ADMIN)
    login(page, "admin-e2e@anct.test", PASSWORD)
    goto(page, "/national/subventions/")
    expect(page.get_by_test_id("total")).to_contain_text("2 demandes.")
    page.get_by_role("link", name="Médiation numérique itinérante").click()
    audit(page)
    tick(page, "id_decision_1")  # « Demander une modification »
    page.locator("#id_commentaire").fill("Précisez le calendrier de tournée du bus.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("status")).to_contain_text("la préfecture en est informée par e-mail")
    audit(page)
    assert [m.to for m in mail.outbox] == [[email]]
    assert "Précisez le calendrier de tournée du bus." in mail.outbox[0].body

    # The préfecture sees the request, edits (the budget already attached is kept) and sends again.
    logout(page)
    login(page, email, password)
    goto(page, f"/departements/58/subventions/demandes/{first.pk}/")
    expect(page.get_by_test_id("modification-demandee")).to_contain_text(
        "Précisez le calendrier de tournée du bus."
    )
    page.get_by_role("link", name="Modifier la demande").click()
    audit(page)
    page.locator("#id_contexte").fill("Tournée : lundi Château-Chinon, jeudi Luzy, de janvier à décembre.")
    page.get_by_role("button", name="Enregistrer en brouillon").click()
    expect(page.get_by_role("status")).to_contain_text("enregistrée en brouillon")
    page.get_by_role("button", name="Valider et envoyer à l'ANCT").click()
    expect(page.get_by_role("status")).to_contain_text("validée et envoyée")

    # ANCT accepts both.
    logout(page)
    login(page, "admin-e2e@anct.test", PASSWORD)
    for demande in (first, second):
        goto(page, f"/national/subventions/demandes/{demande.pk}/")
        tick(page, "id_decision_0")  # « Accepter »
        page.get_by_role("button", name="Enregistrer la décision").click()
        expect(page.get_by_role("status")).to_contain_text("La demande est acceptée.")
    assert set(Demande.objects.values_list("statut", flat=True)) == {StatutDemande.ACCEPTEE}
    goto(page, "/departements/58/subventions/")
    expect(page.get_by_test_id("statut-gouvernance")).to_have_text("Finalisé")

    # The convention of the Conseil départemental: 8 000 + 2 000 €.
    page.get_by_role("button", name=f"Générer la convention de {CD}").click()
    expect(page).to_have_url(re.compile(r"/departements/58/subventions/#conventions$"))
    audit(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Télécharger la convention (Word) de {CD}").click()
    assert re.fullmatch(
        r"convention-58-conseil-departemental-de-la-nievre-\d{4}-\d{2}-\d{2}\.docx",
        download.value.suggested_filename,
    )
    text = "\n".join(p.text for p in Document(str(download.value.path())).paragraphs)
    assert "10\u202f000\u202f€ (dix mille euros)" in text
