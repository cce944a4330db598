"""Browser journeys through the maps: a visitor switches the national map's indicator, follows a
département from the map, switches the commune map and follows a commune to its row; an ANCT
administrator switches the dashboard's map to the campaign's statut and follows a département to
its follow-up page. Every page is audited by axe-core on the way."""

import re

import pytest
from playwright.sync_api import Page, expect

from comptes.enums import Role
from diagnostic import services
from tests.conftest import PASSWORD, make_user
from tests.diagnostic.test_imports import text
from tests.e2e.a11y import audit
from tests.e2e.journeys import goto, login

pytestmark = pytest.mark.e2e


def test_visitor_switches_the_map_and_follows_a_departement_then_a_commune(e2e_db, page: Page):
    services.lieux_import(text=text("lieux_v1.0.2.csv"), fichier="lieux_v1.0.2.csv")
    services.ifn_import(text=text("ifn_communes.csv"), fichier="ifn_2021.csv", echelon="commune")
    goto(page, "/national/donnees/")
    carte = page.locator("#carte-departements svg")
    expect(carte.locator("a[data-code]")).to_have_count(101)
    page.get_by_label("Indicateur représenté").select_option("ifn")
    page.get_by_role("button", name="Afficher la carte").click()
    expect(page).to_have_url(re.compile(r"carte=ifn"))
    audit(page)
    expect(page.locator("#carte-departements figcaption")).to_contain_text(
        "Indice de fragilité numérique moyen"
    )
    nievre = carte.locator('a[data-code="58"]')
    label = nievre.get_attribute("aria-label")
    assert label.startswith("Nièvre (58) : indice de fragilité ")
    # The keyboard reaches the shape; the figure shows under the map.
    nievre.focus()
    expect(page.locator('[data-carte-info="carte-departements"]')).to_have_text(label)
    nievre.click()
    expect(page).to_have_url(re.compile(r"/departements/58/donnees/$"))
    audit(page)

    communes = page.locator("#carte-communes svg a[data-code]")
    expect(communes).to_have_count(309)
    page.get_by_label("Indicateur représenté").select_option("densite")
    page.get_by_label("Couleur des lieux").select_option("typologie")
    page.get_by_role("button", name="Afficher la carte").click()
    expect(page).to_have_url(re.compile(r"carte=densite"))
    audit(page)
    nevers = page.locator('#carte-communes svg a[data-code="58194"]')
    expect(nevers).to_have_attribute("aria-label", re.compile(r"^Nevers \(58194\) : "))
    nevers.click()
    expect(page).to_have_url(re.compile(r"#commune-58194$"))
    expect(page.locator("#commune-58194")).to_be_visible()
    page.locator("#commune-58194").get_by_role("link", name="Nevers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nevers (58194)")
    audit(page)


def test_admin_colours_the_dashboard_map_by_statut_and_follows_a_departement(e2e_db, page: Page):
    from territoires.models import Departement
    from tests.gouvernances.factories import GouvernanceFactory

    GouvernanceFactory(
        departement=Departement.objects.get(code="21"), definitive=True, sous_prefet_email="sp@21.example"
    )
    make_user("admin-carte@anct.test", Role.ADMIN)
    login(page, "admin-carte@anct.test", PASSWORD)
    goto(page, "/national/")
    page.get_by_label("Indicateur représenté").select_option("statut")
    page.get_by_role("button", name="Afficher la carte").click()
    expect(page).to_have_url(re.compile(r"carte=statut"))
    audit(page)
    cote_dor = page.locator('#carte-departements svg a[data-code="21"]')
    expect(cote_dor).to_have_attribute("aria-label", "Côte-d'Or (21) : gouvernance définitive remontée")
    expect(page.locator('table[data-carte-table="carte-departements"] tr[data-code="21"] td')).to_have_text(
        "gouvernance définitive remontée"
    )
    cote_dor.click()
    expect(page).to_have_url(re.compile(r"/national/departements/21/$"))
    audit(page)
