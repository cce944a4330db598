import io

import openpyxl
import pytest
import tablib

from core.exports import csv_response, dataset_to_csv, export_filename, neutralise, xlsx_response


@pytest.mark.parametrize("value", ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Nevers", "claire@nevers.example", "", 12, None])
def test_other_values_untouched(value):
    assert neutralise(value) == value


def test_csv_has_bom_semicolons_and_neutralised_cells():
    dataset = tablib.Dataset(headers=["Nom", "Valeur"])
    dataset.append(["Nevers; centre", '=HYPERLINK("x")'])
    content = dataset_to_csv(dataset)
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Nom;Valeur"
    assert text.splitlines()[1] == '"Nevers; centre";"\'=HYPERLINK(""x"")"'


def test_responses_are_attachments():
    dataset = tablib.Dataset(["a"], headers=["h"])
    response = csv_response(dataset, filename="f.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="f.csv"'
    response = xlsx_response(dataset, filename="f.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["h"]


def test_filename_carries_departement_and_date(db):
    import datetime

    from territoires.models import Departement

    name = export_filename(
        "contacts",
        departement=Departement.objects.get(code="58"),
        extension="csv",
        day=datetime.date(2026, 5, 12),
    )
    assert name == "contacts-58-nievre-2026-05-12.csv"
