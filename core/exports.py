"""CSV and XLSX exports shared by every export of the platform (candidates, gouvernances, besoins,
national consolidation).

- CSV for French Excel: `;` separator, UTF-8 with a BOM, CRLF line ends.
- XLSX through tablib/openpyxl.
- No cell may start a formula: a text beginning with = + - @ (or a tab / carriage return, which
  spreadsheet software also interprets) is prefixed with an apostrophe (OWASP "CSV injection").
"""

import csv
import io
from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from import_export import resources

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Return `value` so that no spreadsheet reads it as a formula. Non-text values pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class NeutralisingResource(resources.Resource):
    """A django-import-export resource whose every exported cell is neutralised."""

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


def dataset_to_csv(dataset) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in dataset.headers or []])
    for row in dataset:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def dataset_to_xlsx(dataset) -> bytes:
    return dataset.export("xlsx")


def export_filename(stem: str, *, departement=None, extension: str, day: date | None = None) -> str:
    """« contacts-candidats-58-nievre-2026-05-12.csv »."""
    day = day or timezone.localdate()
    parts = [stem]
    if departement is not None:
        parts.append(f"{departement.code}-{slugify(departement.nom)}")
    parts.append(day.isoformat())
    return "-".join(parts) + f".{extension}"


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(dataset, *, filename: str) -> HttpResponse:
    return _attachment(dataset_to_csv(dataset), content_type=CSV_CONTENT_TYPE, filename=filename)


def xlsx_response(dataset, *, filename: str) -> HttpResponse:
    return _attachment(dataset_to_xlsx(dataset), content_type=XLSX_CONTENT_TYPE, filename=filename)


EXPORT_FORMATS = {"csv": csv_response, "xlsx": xlsx_response}


def rows_response(*, headers, rows, fmt: str, filename: str) -> HttpResponse:
    """Export plain rows (not model instances) as CSV or XLSX; every cell neutralised."""
    import tablib

    dataset = tablib.Dataset(
        *[[neutralise(value) for value in row] for row in rows], headers=[neutralise(h) for h in headers]
    )
    return EXPORT_FORMATS[fmt](dataset, filename=filename)
