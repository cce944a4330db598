"""The Nièvre préfecture expresses its besoins en ingénierie in a browser: step 1 (selection,
with an error fixed on the way and the live totals), step 2 (ordering with the keyboard), and
the summary; ANCT then sees the figures on the national page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from besoins.models import Besoins
from comptes.enums import Role
from tests.conftest import PASSWORD, make_user
from tests.e2e.a11y import audit
from tests.e2e.journeys import goto, login, logout, tick

pytestmark = pytest.mark.e2e


@pytest.fixture
def gouvernance_nievre(e2e_db):
    from gouvernances.enums import StatutGouvernance
    from gouvernances.models import Echeance
    from tests.gouvernances.factories import GouvernanceFactory

    # A transactional test starts from empty tables: the campaign calendar is created open.
    Echeance.objects.update_or_create(
        code="gouvernance-definitive",
        defaults={
            "libelle": "Gouvernance définitive et besoins en ingénierie",
            "date_limite": timezone.localdate() + datetime.timedelta(days=30),
            "statut": StatutGouvernance.DEFINITIVE,
        },
    )
    return GouvernanceFactory()


def test_prefecture_selects_and_ranks_its_besoins(page: Page, prefecture_nievre, gouvernance_nievre):
    email, password = prefecture_nievre
    login(page, email, password)
    expect(page).to_have_url(re.compile(r"/departements/58/$"))

    page.locator("#besoins").get_by_role("link", name="Saisir les besoins").click()
    expect(page).to_have_url(re.compile(r"/departements/58/besoins/$"))
    audit(page)
    page.get_by_role("link", name="Saisir les besoins").click()
    expect(page.get_by_role("heading", name="Sélection des besoins")).to_be_visible()
    audit(page)

    # Details appear once an item is selected (script), and the totals follow (htmx).
    diagnostic = page.locator("#besoin-diagnostic")
    expect(page.locator("#detail-diagnostic")).to_be_hidden()
    tick(page, "id_diagnostic__selection")
    tick(page, "id_diagnostic__ressource_humaine")
    diagnostic.get_by_label("Estimation en ETP").fill("0,5")
    tick(page, "id_diagnostic__prestation")

    animer = page.locator("#besoin-animer")
    tick(page, "id_animer__selection")
    tick(page, "id_animer__ressource_humaine")
    animer.get_by_label("Estimation en ETP").fill("1")
    animer.get_by_label("Estimation en ETP").blur()
    expect(page.get_by_test_id("total-etp")).to_have_text("1,5")
    expect(page.get_by_test_id("total-prestations")).to_have_text("1")

    # A formation item without its number of people: refused, and nothing typed is lost.
    tick(page, "id_former_agents__selection")
    page.get_by_text("Oui", exact=True).click()
    page.get_by_label("Structure(s) envisagée(s) pour porter le poste").fill(
        "Conseil départemental de la Nièvre"
    )
    page.get_by_role("button", name="Enregistrer et passer à la priorisation").click()

    expect(page.get_by_role("alert").filter(has_text="Vos besoins ne sont pas enregistrés")).to_be_visible()
    expect(page.locator("#erreurs")).to_contain_text("Nombre de personnes à former")
    expect(page.locator("#besoin-former_agents")).to_contain_text("Indiquez le nombre de personnes à former.")
    expect(diagnostic.get_by_label("Estimation en ETP")).to_have_value("0,5")
    audit(page)  # the page with its errors
    page.locator("#besoin-former_agents").get_by_label("Nombre de personnes à former").fill("40")
    page.locator("#besoin-former_agents").get_by_label("Nombre de personnes à former").blur()
    expect(page.get_by_test_id("total-personnes")).to_have_text("40")
    page.get_by_role("button", name="Enregistrer et passer à la priorisation").click()

    # Step 2: three cards; the RH card is moved to the top with the keyboard.
    expect(page).to_have_url(re.compile(r"/departements/58/besoins/priorisation/$"))
    cards = page.locator("#priorites > li")
    expect(cards).to_have_count(3)
    audit(page)
    expect(cards.nth(2)).to_contain_text("Ressource humaine (1,5 ETP)")
    monter = page.get_by_role("button", name="Monter « Ressource humaine (1,5 ETP) »")
    monter.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(cards.nth(0)).to_contain_text("Ressource humaine (1,5 ETP)")
    expect(page.locator("#priorites-annonce")).to_contain_text("position 1 sur 3")
    page.get_by_role("button", name="Enregistrer la priorisation").click()

    # The summary shows the stored order and the totals.
    expect(page).to_have_url(re.compile(r"/departements/58/besoins/$"))
    expect(page.get_by_role("status")).to_contain_text("L'ordre de priorité de vos besoins est enregistré.")
    audit(page)
    priorites = page.get_by_test_id("priorites").locator("li")
    expect(priorites.nth(0)).to_contain_text("Ressource humaine (1,5 ETP)")
    expect(priorites.nth(1)).to_contain_text("Faire un diagnostic territorial")
    expect(priorites.nth(2)).to_contain_text("Former les agents publics")
    besoins = Besoins.objects.get(gouvernance=gouvernance_nievre)
    assert besoins.priorites == ["ressource_humaine", "diagnostic", "former_agents"]

    # ANCT sees the consolidated table.
    logout(page)
    make_user("admin-e2e@anct.test", Role.ADMIN)
    login(page, "admin-e2e@anct.test", PASSWORD)
    goto(page, "/national/besoins/")
    expect(page.get_by_test_id("national-etp")).to_have_text("1,5")
    page.get_by_role("link", name="Faire un diagnostic territorial").click()
    audit(page)
    expect(page.get_by_role("link", name="Nièvre (58)")).to_be_visible()
    with page.expect_download() as download:
        page.goto("/national/besoins/")
        page.get_by_role("link", name="Par besoin (Excel)").click()
    assert re.fullmatch(
        r"besoins-national-par-besoin-\d{4}-\d{2}-\d{2}\.xlsx", download.value.suggested_filename
    )
