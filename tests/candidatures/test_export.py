import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from candidatures.enums import TypeContact
from core.exports import neutralise
from territoires.models import Commune

from .factories import AutreStructureFactory, ContactFactory, ManifestationFactory, PerimetreFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "Date de dépôt",
    "Collectivité/structure",
    "Typologie",
    "Manifestation d'intérêt",
    "Nom du porteur",
    "Nom du contact",
    "Prénom du contact",
    "Fonction",
    "Type de contact",
    "E-mail",
    "SIRET",
    "Code INSEE",
    "SIREN",
    "Type de structure",
]


@pytest.fixture
def candidats():
    participant = ManifestationFactory(confirmee=True)
    ContactFactory(manifestation=participant, nom='=HYPERLINK("http://x")', prenom="Claire")
    ContactFactory(
        manifestation=participant, type=TypeContact.TECHNIQUE, fonction="-DSI", email="dsi@nevers.example"
    )
    structure = ManifestationFactory(structure=True, confirmee=True)
    ContactFactory(manifestation=structure, type=TypeContact.STRUCTURE, fonction="@directrice")
    porteur = ManifestationFactory(porteur_departement=True, confirmee=True)
    ContactFactory(manifestation=porteur)
    row = PerimetreFactory(manifestation=porteur, commune=Commune.objects.get(code="58086"))
    ContactFactory(manifestation=porteur, perimetre=row, email="maire@cosne.example")
    autre = AutreStructureFactory(manifestation=porteur)
    ContactFactory(manifestation=porteur, autre_structure=autre, type=TypeContact.STRUCTURE)
    # Not exported: a draft, a cancelled form, another département's form.
    ContactFactory(manifestation=ManifestationFactory(structure=True))
    ContactFactory(manifestation=ManifestationFactory(structure=True, annulee=True))
    ContactFactory(
        manifestation=ManifestationFactory(commune=Commune.objects.get(code="21231"), confirmee=True)
    )
    return participant, porteur


def _csv_rows(response):
    content = response.content
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_export(client_for, candidats):
    response = client_for("prefecture").get(reverse("candidatures:export", args=["58", "csv"]))
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert (
        response["Content-Disposition"] == f'attachment; filename="contacts-candidats-58-nievre-{today}.csv"'
    )
    rows = _csv_rows(response)
    assert rows[0] == HEADERS
    assert len(rows) == 1 + 6  # one row per contact of the confirmed forms of the Nièvre
    by_email = {row[9]: row for row in rows[1:]}
    assert "maire@cosne.example" in by_email
    cosne = by_email["maire@cosne.example"]
    assert cosne[1] == "Cosne-Cours-sur-Loire"
    assert cosne[3] == "Partenaire suggéré"
    assert cosne[4] == "Conseil départemental de la Nièvre"
    assert cosne[11] == "58086"
    assert cosne[12] == Commune.objects.get(code="58086").siren
    assert cosne[13] == ""  # a suggested partner: its type is not asked
    structure_rows = [row for row in rows[1:] if row[1] == "Association Numérique en Morvan"]
    assert [row[13] for row in structure_rows] == ["Association"]
    # Formula neutralisation.
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'-DSI" in cells
    assert "'@directrice" in cells


def test_xlsx_export_holds_the_same_rows(client_for, candidats):
    csv_rows = _csv_rows(client_for("prefecture").get(reverse("candidatures:export", args=["58", "csv"])))
    response = client_for("prefecture").get(reverse("candidatures:export", args=["58", "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    # The date of deposit is a date cell (shown JJ/MM/AAAA): compare it as the CSV writes it.
    assert all(row[0].is_date for row in sheet.iter_rows(min_row=2))
    xlsx_rows = [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    # The same cells; only the CSV needs an apostrophe before a formula start (an XLSX text cell
    # is never a formula, so none shows there).
    assert [[neutralise(cell) for cell in row] for row in xlsx_rows] == csv_rows
    assert '=HYPERLINK("http://x")' in [cell for row in xlsx_rows for cell in row]


def test_xlsx_is_a_named_sheet_with_typed_cells_frozen_header_and_widths(client_for, candidats):
    response = client_for("prefecture").get(reverse("candidatures:export", args=["58", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Contacts — Nièvre"
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.b for cell in sheet[1])
    for letter in "ABCDEFGHIJKLM":
        assert sheet.column_dimensions[letter].width >= 8
    rows = {row[9].value: row for row in sheet.iter_rows(min_row=2)}
    cosne = rows["maire@cosne.example"]
    assert cosne[0].is_date
    assert cosne[0].number_format == "DD/MM/YYYY"
    # Identifiers are text, in a text-formatted column: « 58086 » is not the number 58086.
    assert cosne[11].value == "58086"
    assert cosne[11].data_type == "s"
    assert cosne[11].number_format == "@"
    formula = next(row[5] for row in rows.values() if row[5].value.startswith("="))
    assert formula.data_type == "s"
    assert formula.quotePrefix


def test_an_epci_has_its_siren_in_the_siren_column_not_under_code_insee(client_for):
    from territoires.models import Epci

    epci = ManifestationFactory(porteur_epci=True, epci=Epci.objects.get(code="245804406"), confirmee=True)
    ContactFactory(manifestation=epci, email="agglo@nevers.example")
    rows = _csv_rows(client_for("prefecture").get(reverse("candidatures:export", args=["58", "csv"])))
    agglo = next(row for row in rows if row[9] == "agglo@nevers.example")
    assert (agglo[11], agglo[12]) == ("", "245804406")


def test_the_export_honours_the_list_filters_and_says_so(client_for, candidats):
    client = client_for("prefecture")
    listing = client.get(reverse("candidatures:liste", args=["58"]) + "?intention=porter").content.decode()
    assert "/departements/58/candidats/export.csv?intention=porter" in listing
    response = client.get(reverse("candidatures:export", args=["58", "csv"]) + "?intention=porter")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="contacts-candidats-58-nievre-filtre-intention-porter-{today}.csv"'
    )
    rows = _csv_rows(response)
    # The porteur's own contact, its périmètre's and its other structure's: not the participants.
    assert len(rows) == 1 + 3
    assert {row[4] for row in rows[1:]} == {"Conseil départemental de la Nièvre"}


def _text(cell) -> str:
    if cell is None:
        return ""
    return cell.strftime("%d/%m/%Y") if isinstance(cell, datetime.datetime) else str(cell)


def test_unknown_format_404(client_for):
    assert client_for("prefecture").get(reverse("candidatures:export", args=["58", "pdf"])).status_code == 404
