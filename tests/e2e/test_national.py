"""An ANCT administrator opens the national dashboard, filters the gouvernances table by région and
statut, and downloads the filtered table as XLSX."""

import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from comptes.enums import Role
from tests.conftest import PASSWORD, make_user
from tests.e2e.a11y import audit
from tests.e2e.journeys import login

pytestmark = pytest.mark.e2e


@pytest.fixture
def gouvernances(e2e_db):
    from territoires.models import Departement
    from tests.gouvernances.factories import GouvernanceFactory, MembreFactory

    cote_dor = GouvernanceFactory(
        departement=Departement.objects.get(code="21"), definitive=True, sous_prefet_email="sp@21.example"
    )
    MembreFactory(gouvernance=cote_dor, departement_cd=True, coporteur=True)
    GouvernanceFactory(pressentie=True)  # the Nièvre


def test_admin_filters_gouvernances_and_downloads_the_xlsx(page: Page, gouvernances, tmp_path):
    make_user("admin-national@anct.test", Role.ADMIN)
    login(page, "admin-national@anct.test", PASSWORD)
    page.get_by_role("link", name="National").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consolidation nationale")
    expect(page.get_by_test_id("pressentie")).to_have_text("2")
    audit(page)
    page.get_by_role("link", name="Gouvernances par département").first.click()
    expect(page.get_by_label("Région")).to_be_visible()
    audit(page)

    page.get_by_label("Région").select_option(label="Bourgogne-Franche-Comté")
    page.get_by_label("Statut").select_option(label="Gouvernance définitive remontée")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_test_id("total")).to_contain_text("1 ligne")
    rows = page.locator("#tableau tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("21 — Côte-d'Or")
    expect(rows.first).to_contain_text("Conseil départemental de la Côte-d'Or")
    audit(page)  # the filtered table

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert re.fullmatch(
        # The région scopes it, the other filters are named: the file says what it holds.
        r"gouvernances-region-27-bourgogne-franche-comte-filtre-statut-definitive-\d{4}-\d{2}-\d{2}\.xlsx",
        download.value.suggested_filename,
    )
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "Gouvernances — Bourgogne-Franc…"  # 31 characters at most
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Région", "Code département", "Département", "Statut")
    assert len(rows) == 2
    assert rows[1][:4] == ("Bourgogne-Franche-Comté", "21", "Côte-d'Or", "Gouvernance définitive remontée")
    assert rows[1][7] == "Conseil départemental de la Côte-d'Or"
