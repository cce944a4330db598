import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from candidatures.enums import TypeContact
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
    assert cosne[4] == "Conseil départemental — Nièvre"
    assert cosne[11] == "58086"
    assert cosne[12] == ""  # a suggested partner: its type is not asked
    structure_rows = [row for row in rows[1:] if row[1] == "Association Numérique en Morvan"]
    assert [row[12] for row in structure_rows] == ["Association"]
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
    assert xlsx_rows == csv_rows


def _text(cell) -> str:
    if cell is None:
        return ""
    return cell.strftime("%d/%m/%Y") if isinstance(cell, datetime.datetime) else str(cell)


def test_unknown_format_404(client_for):
    assert client_for("prefecture").get(reverse("candidatures:export", args=["58", "pdf"])).status_code == 404
