import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from core.exports import ExportResource, column, export_filename, export_response, neutralise


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "+33 6",
        "-2",
        "@SUM(A1)",
        "\tx",
        "\rx",
        '\ufeff=HYPERLINK("http://x")',  # a byte-order mark first
        "\u200b=1+1",  # a zero-width space first
        "  =1+1",  # spaces first
        "＝1+1",  # full-width signs, read as ASCII ones by some spreadsheets
        "＋33",
        "－2",
        "＠SUM(A1)",
    ],
)
def test_formula_starts_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Nevers", "claire@nevers.example", "", 12, None])
def test_other_values_untouched(value):
    assert neutralise(value) == value


class Ligne:
    def __init__(self, **values):
        self.__dict__.update(values)


class TinyResource(ExportResource):
    """What every export declares: French headers, and how to read each cell."""

    nom = column("Nom", "nom")
    montant = column("Montant", "montant")
    nombre = column("Nombre", lambda ligne: ligne.nombre)
    jour = column("Déposé le", "jour")
    signe = column("Signé", "signe")
    remarque = column("Remarque", "remarque")


ROWS = [
    Ligne(
        nom="Nevers; centre",
        montant=Decimal("1.50"),
        nombre=12,
        jour=datetime.date(2026, 5, 2),
        signe=True,
        remarque='=HYPERLINK("x")',
    ),
    Ligne(
        nom="Cosne",
        montant=None,
        nombre=0,
        # A date-time is exported as its date in Paris: 23:30 UTC on 31/12 is already 1/1.
        jour=datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC),
        signe=False,
        remarque="-2+3\x01",
    ),
]
HEADERS = ["Nom", "Montant", "Nombre", "Déposé le", "Signé", "Remarque"]


def _export(fmt):
    return export_response(TinyResource(), ROWS, fmt=fmt, stem="essai")


def test_csv_through_the_shared_base():
    response = _export("csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="essai-{today}.csv"'
    assert response["Cache-Control"] == "no-store"
    content = response.content
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.split("\r\n")[0] == "Nom;Montant;Nombre;Déposé le;Signé;Remarque"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == HEADERS
    assert rows[1] == ["Nevers; centre", "1,5", "12", "02/05/2026", "Oui", '\'=HYPERLINK("x")']
    assert rows[2] == ["Cosne", "", "0", "01/01/2027", "Non", "'-2+3\x01"]
    assert text.splitlines()[1] == '"Nevers; centre";1,5;12;02/05/2026;Oui;"\'=HYPERLINK(""x"")"'


def test_xlsx_through_the_shared_base():
    response = _export("xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    nevers = sheet[2]
    assert nevers[0].value == "Nevers; centre"
    assert nevers[0].data_type == "s"  # a text cell
    assert nevers[1].value == 1.5
    assert nevers[1].data_type == "n"  # a real number, not « 1,5 »
    assert nevers[2].value == 12
    assert nevers[3].is_date
    assert nevers[3].value == datetime.datetime(2026, 5, 2)
    assert nevers[3].number_format == "DD/MM/YYYY"
    assert nevers[4].value == "Oui"
    # A text cell, never a formula: no apostrophe to show, Excel's own « quote prefix » flag.
    assert nevers[5].value == '=HYPERLINK("x")'
    assert nevers[5].data_type == "s"
    assert nevers[5].quotePrefix
    assert not nevers[0].quotePrefix
    cosne = [cell.value for cell in sheet[3]]
    # Empty cell for None; the control character an XLSX file cannot hold is dropped.
    assert cosne == ["Cosne", None, 0, datetime.datetime(2027, 1, 1), "Non", "-2+3"]
    assert sheet.title == "Export"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == len("Nevers; centre") + 2
    assert sheet.column_dimensions["D"].width == len("Déposé le") + 3  # « 31/12/2026 » + 2


def test_columns_keep_their_declared_order_and_a_subclass_adds_after():
    class WithSuivi(TinyResource):
        suivi = column("Suivi", "nom")

    assert WithSuivi().get_export_headers() == [*HEADERS, "Suivi"]


def test_filename_carries_departement_and_date(db):
    from territoires.models import Departement

    name = export_filename(
        "contacts",
        departement=Departement.objects.get(code="58"),
        extension="csv",
        day=datetime.date(2026, 5, 12),
    )
    assert name == "contacts-58-nievre-2026-05-12.csv"


class CodesResource(ExportResource):
    sheet_title = "Communes"

    code = column("Code INSEE", "code", text=True)
    departement = column("Département", "departement", text=True)
    population = column("Population", "population")


def test_identifiers_stay_text_and_the_sheet_is_named_after_the_territory(db):
    from territoires.models import Departement

    rows = [
        Ligne(code="01053", departement="01", population=41000),
        Ligne(code=1, departement="2A", population=0),
    ]
    response = export_response(
        CodesResource(), rows, fmt="xlsx", stem="communes", departement=Departement.objects.get(code="58")
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Communes — Nièvre"
    first, second = list(sheet.iter_rows(min_row=2))
    assert [c.value for c in first] == ["01053", "01", 41000]
    assert [c.data_type for c in first] == ["s", "s", "n"]
    assert [c.number_format for c in first][:2] == ["@", "@"]
    assert second[0].value == "1"  # an identifier given as a number is still written as text


def test_sheet_titles_fit_excel_limits():
    from core.exports import sheet_title

    assert sheet_title("Contacts — Nièvre") == "Contacts — Nièvre"
    long = sheet_title("Gouvernances — Provence-Alpes-Côte d'Azur")
    assert len(long) == 31
    assert long.endswith("…")
    assert sheet_title("Besoins [2026] : 1/2") == "Besoins 2026 1 2"


def test_filters_slug_names_the_filters_that_choose_rows(db):
    import django_filters

    from core.exports import filters_slug
    from territoires.models import Commune

    class Filtres(django_filters.FilterSet):
        intention = django_filters.ChoiceFilter(choices=[("porter", "Porter")])
        depuis = django_filters.DateFilter()
        tri = django_filters.OrderingFilter(fields=["nom"])

        class Meta:
            model = Commune
            fields = []

    def vide():
        return Commune.objects.none()

    assert filters_slug(None) == ""
    assert filters_slug(Filtres(None, queryset=vide())) == ""
    data = {"intention": "porter", "depuis": "2026-01-15", "tri": "nom", "page": "2"}
    assert filters_slug(Filtres(data, queryset=vide())) == "intention-porter-depuis-2026-01-15"
    assert filters_slug(Filtres(data, queryset=vide()), exclude=("intention",)) == "depuis-2026-01-15"
    assert (
        export_filename(
            "contacts", extension="csv", day=datetime.date(2026, 5, 12), filtres="intention-porter"
        )
        == "contacts-filtre-intention-porter-2026-05-12.csv"
    )


def test_xlsx_texts_that_look_like_errors_stay_texts_and_an_empty_export_keeps_its_header():
    rows = [Ligne(nom="#N/A", montant=None, nombre=1, jour=None, signe=None, remarque="#DIV/0!")]
    sheet = openpyxl.load_workbook(io.BytesIO(_export_rows(rows).content)).active
    nom, *_, remarque = sheet[2]
    assert (nom.value, nom.data_type, remarque.value, remarque.data_type) == ("#N/A", "s", "#DIV/0!", "s")
    empty = openpyxl.load_workbook(io.BytesIO(_export_rows([]).content)).active
    assert [cell.value for cell in empty[1]] == HEADERS
    assert empty.max_row == 1
    assert empty.freeze_panes == "A2"
    assert empty["A1"].font.bold


def _export_rows(rows):
    return export_response(TinyResource(), rows, fmt="xlsx", stem="essai")
