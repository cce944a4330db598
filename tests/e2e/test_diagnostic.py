"""Browser journey: a visitor opens the Nièvre's data dashboard and reads a figure."""

import re

import pytest
from playwright.sync_api import Page, expect

from diagnostic import services
from tests.diagnostic.test_imports import text
from tests.e2e.a11y import audit
from tests.e2e.journeys import goto

pytestmark = pytest.mark.e2e


def test_visitor_reads_the_number_of_lieux_in_the_nievre(e2e_db, page: Page):
    services.lieux_import(text=text("lieux_v1.0.2.csv"), fichier="lieux_v1.0.2.csv")
    goto(page, "/")
    page.get_by_role("link", name="Données").first.click()
    expect(page).to_have_url(re.compile(r"/donnees/$"))
    audit(page)
    # The table of the départements (the map and its own table name the Nièvre too).
    page.locator("#table-departements").get_by_role("link", name="Nièvre (58)").click()
    expect(page).to_have_url(re.compile(r"/departements/58/donnees/$"))
    audit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Données de l'inclusion numérique de la Nièvre (58)"
    )
    expect(page.locator("#chiffre-lieux")).to_have_text("3")

    # The commune table sorts server-side: twice on « Lieux » puts the communes with a lieu first.
    page.get_by_role("link", name="Lieux de médiation", exact=True).click()
    expect(page).to_have_url(re.compile(r"tri=lieux"))
    page.get_by_role("link", name="Lieux de médiation", exact=True).click()
    expect(page).to_have_url(re.compile(r"tri=-lieux"))
    first_row = page.locator("#table-communes tbody tr").first
    expect(first_row.locator("td").nth(2)).to_have_text("1")
