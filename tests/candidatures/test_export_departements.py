"""The contacts of several départements in one file: a préfecture de région, ANCT."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.candidatures.factories import ContactFactory, ManifestationFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def candidatures():
    nievre = ManifestationFactory(confirmee=True)  # a commune of the Nièvre (factory default)
    ContactFactory(manifestation=nievre, nom="Nivernais")
    return nievre


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonyme", 302),
        ("structure", 404),
        ("prefecture", 404),
        ("prefecture_autre", 404),
        ("region", 200),
        ("region_autre", 200),
        ("demo", 200),
        ("admin", 200),
    ],
)
def test_access(client_for, candidatures, role, expected):
    response = client_for(role).get(reverse("candidatures:export_departements", kwargs={"fmt": "csv"}))
    assert response.status_code == expected


def test_the_region_file_has_the_same_columns_and_the_departement(client_for, candidatures):
    single = _rows(
        client_for("region").get(reverse("candidatures:export", kwargs={"code": "58", "fmt": "csv"}))
    )
    response = client_for("region").get(reverse("candidatures:export_departements", kwargs={"fmt": "csv"}))
    assert "contacts-candidats-region-27-bourgogne-franche-comte-" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0] == [*single[0], "Département"]
    nivernais = [r for r in rows[1:] if "Nivernais" in r]
    assert nivernais
    assert all(r[-1] == "Nièvre (58)" for r in nivernais)
    assert [r[:-1] for r in rows[1:] if r[-1] == "Nièvre (58)"] == single[1:]


def test_a_region_outside_sees_none_of_it(client_for, candidatures):
    rows = _rows(
        client_for("region_autre").get(reverse("candidatures:export_departements", kwargs={"fmt": "csv"}))
    )
    assert not any("Nivernais" in r for r in rows[1:])


def test_the_national_file(client_for, candidatures):
    response = client_for("admin").get(reverse("candidatures:export_departements", kwargs={"fmt": "xlsx"}))
    assert "contacts-candidats-tous-departements-" in response["Content-Disposition"]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert headers[-1] == "Département"
    assert any(row[-1] == "Nièvre (58)" for row in sheet.iter_rows(min_row=2, values_only=True))


def test_the_query_count_does_not_grow_with_the_rows(client_for):
    client = client_for("admin")
    url = reverse("candidatures:export_departements", kwargs={"fmt": "csv"})
    counts = []
    for total in (1, 6):
        while ManifestationFactory._meta.model.objects.count() < total:
            ContactFactory(manifestation=ManifestationFactory(confirmee=True))
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]
