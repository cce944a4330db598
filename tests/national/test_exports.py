import csv
import datetime
import io
import re

import openpyxl
from django.utils import timezone

from national.services import suivi_save
from territoires.models import Departement
from tests.gouvernances.factories import GouvernanceFactory, MembreFactory

GOUVERNANCE_HEADERS = [
    "Région",
    "Code département",
    "Département",
    "Statut",
    "Gouvernance pressentie remontée le",
    "Gouvernance définitive remontée le",
    "Rouverte jusqu'au",
    "Co-porteurs",
    "Nombre de co-porteurs",
    "Nombre de membres",
    "Feuilles de route déclarées",
    "Feuilles de route approuvées",
    "Besoins en ingénierie sélectionnés",
    "Total ETP demandés",
    # Only for the viewers allowed to read ANCT's follow-up.
    "Commentaire de suivi (ANCT)",
    "Problème identifié (ANCT)",
]


def _csv(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for French Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _xlsx(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_gouvernances_export_has_one_row_per_departement_including_empty_ones(
    cas_simple, client_for, admin_user
):
    suivi_save(
        departement=Departement.objects.get(code="58"), user=admin_user, commentaire="RAS", probleme=""
    )
    response = client_for("admin").get("/national/tableaux/gouvernances/export.csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="gouvernances-national-{today}.csv"'
    rows = _csv(response)
    headers = GOUVERNANCE_HEADERS
    assert rows[0] == headers
    assert len(rows) == 1 + 101
    by_code = {row[1]: dict(zip(headers, row, strict=True)) for row in rows[1:]}
    assert by_code["58"]["Statut"] == "Gouvernance pressentie remontée"
    assert by_code["58"]["Gouvernance pressentie remontée le"] == "10/10/2023"
    assert by_code["58"]["Co-porteurs"] == "Conseil départemental de la Nièvre"
    assert by_code["58"]["Commentaire de suivi (ANCT)"] == "RAS"
    assert by_code["21"]["Feuilles de route déclarées"] == "2"
    assert by_code["21"]["Feuilles de route approuvées"] == "1"
    assert by_code["21"]["Total ETP demandés"] == "1,5"
    assert by_code["25"]["Statut"] == "Aucun formulaire enregistré"
    assert by_code["25"]["Nombre de membres"] == "0"
    assert by_code["25"]["Région"] == "Bourgogne-Franche-Comté"


def test_region_scope_in_rows_and_file_name(cas_simple, client_for):
    response = client_for("admin").get("/national/tableaux/gouvernances/export.xlsx?region=27")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="gouvernances-region-27-bourgogne-franche-comte-{today}.xlsx"'
    )
    rows = _xlsx(response)
    assert len(rows) == 1 + 8
    nievre = next(row for row in rows if row[1] == "58")
    assert nievre[2] == "Nièvre"
    assert nievre[9] == 2


def test_membres_feuilles_candidats_exports(cas_simple, client_for):
    client = client_for("demo")
    membres = _csv(client.get("/national/tableaux/membres/export.csv"))
    assert membres[0][:10] == [
        "Région",
        "Code département",
        "Département",
        "Statut de la gouvernance",
        "Membre",
        "Type",
        "Code INSEE",
        "SIREN",
        "SIRET",
        "Co-porteur",
    ]
    assert len(membres) == 1 + 5
    cd58 = next(row for row in membres if row[4] == "Conseil départemental de la Nièvre")
    assert [cd58[1], cd58[5], cd58[6], cd58[7], cd58[9]] == ["58", "Conseil départemental", "58", "", "Oui"]
    assert [row[1] for row in membres[1:]] == ["21", "21", "21", "58", "58"]  # by département
    feuilles = _xlsx(client.get("/national/tableaux/feuilles-de-route/export.xlsx"))
    assert feuilles[0][3] == "Feuille de route"
    assert len(feuilles) == 1 + 3
    approuvee = next(row for row in feuilles[1:] if row[9] == "Approuvée")
    assert approuvee[10] == 1
    assert approuvee[11] == datetime.datetime(2024, 6, 1)  # a date cell, not a text
    candidats = _csv(client.get("/national/tableaux/candidats/export.csv?typologie=commune"))
    assert candidats[0][:4] == [
        "Date de dépôt",
        "Collectivité/structure",
        "Typologie",
        "Manifestation d'intérêt",
    ]
    assert len(candidats) == 2
    assert candidats[1][1] == "Nevers"
    assert candidats[1][5] == "58"
    filename = client.get("/national/tableaux/candidats/export.csv")["Content-Disposition"]
    assert re.search(r'filename="candidats-national-\d{4}-\d{2}-\d{2}\.csv"', filename)
    # A filtered table says so in its file name.
    filtered = client.get("/national/tableaux/candidats/export.csv?typologie=commune")["Content-Disposition"]
    assert re.search(
        r'filename="candidats-national-filtre-typologie-commune-\d{4}-\d{2}-\d{2}\.csv"', filtered
    )


def test_formulas_are_neutralised_in_both_formats(cas_simple, client_for):
    MembreFactory(
        gouvernance=cas_simple["58"],
        structure_nom='=HYPERLINK("http://evil.example","clic")',
        referent_nom="+33 1 23",
        referent_fonction="@SUM(A1)",
        suppleant_nom="-2+3",
    )
    client = client_for("admin")
    rows = _csv(client.get("/national/tableaux/membres/export.csv?q=evil"))
    assert len(rows) == 2
    row = rows[1]
    assert row[4] == '\'=HYPERLINK("http://evil.example","clic")'
    assert row[11] == "'@SUM(A1)"
    assert all(not str(cell).startswith(("=", "+", "-", "@")) for cell in row)
    # In the XLSX, the same texts are text cells (never formulas), without a visible apostrophe.
    response = client.get("/national/tableaux/membres/export.xlsx?q=evil")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Membres — France"
    cells = next(sheet.iter_rows(min_row=2))
    assert cells[4].value == '=HYPERLINK("http://evil.example","clic")'
    assert all(cell.data_type != "f" for cell in cells)
    assert cells[11].value == "@SUM(A1)"
    assert cells[11].quotePrefix


def test_an_ept_member_is_exported_as_an_etablissement_public_territorial(db, client_for):
    plaine_commune = "200057867"
    gouvernance = GouvernanceFactory(departement=Departement.objects.get(code="93"), pressentie=True)
    MembreFactory(gouvernance=gouvernance, epci_code=plaine_commune)
    membres = _csv(client_for("admin").get("/national/tableaux/membres/export.csv"))
    [row] = [row for row in membres if row[1] == "93"]
    # Membre, Type, Code INSEE (none for a groupement), SIREN.
    assert row[4:8] == ["Plaine Commune", "Établissement public territorial", "", plaine_commune]
