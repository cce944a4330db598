"""CSV and XLSX exports: the one way every export of the platform is declared and written.

An export is an `ExportResource` (a django-import-export resource) whose columns are declared
with `column()`: the French header and how to read the cell from a row. The columns return plain
Python values (text, integers, `Decimal`, dates, booleans, None); the base turns them into cells
once, for both formats, and `export_response` writes the file:

- CSV for French Excel: `;` separator, UTF-8 with a BOM, CRLF line ends, decimal comma (« 1,5 »),
  dates as JJ/MM/AAAA.
- XLSX (openpyxl): numbers stay numbers, dates are date cells displayed JJ/MM/AAAA.
- Both: « Oui »/« Non » for a boolean, an empty cell for None, a date-time as its local date.
- No cell may start a formula: a text beginning with = + - @ (or a tab / carriage return, which
  spreadsheet software also interprets) is prefixed with an apostrophe (OWASP "CSV injection"),
  also when invisible characters (a byte-order mark, spaces, zero-width spaces) come first or
  when the sign is a full-width one (＝ ＋ － ＠), which some spreadsheets read as the ASCII sign.
"""

import csv
import datetime
import io
import operator
from collections.abc import Callable
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from import_export import resources
from import_export.fields import Field
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .formats import french_decimal, short_date

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Skipped before looking at the first character: a spreadsheet may ignore them when it parses.
INVISIBLE_LEAD = " \u00a0\u202f\ufeff\u200b\u200c\u200d\u2060"

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("csv", "xlsx")

XLSX_DATE_FORMAT = "DD/MM/YYYY"
# Wide enough for a name or an e-mail address, narrow enough for a long comment to wrap.
XLSX_MAX_COLUMN_WIDTH = 60


def neutralise(value):
    """Return `value` so that no spreadsheet reads it as a formula. Non-text values pass through."""
    if isinstance(value, str) and value.lstrip(INVISIBLE_LEAD).startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_value(value):
    """The value of an exported cell, before it is written as CSV or XLSX."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return neutralise(str(value))


def column(header: str, value: str | Callable) -> Field:
    """An export column: its French header, and how to read its cell from a row (an attribute
    path such as "manifestation.nom", or a function of the row). Columns are exported in the
    order they are declared, a subclass's after its parent's."""
    read = operator.attrgetter(value) if isinstance(value, str) else value
    return Field(column_name=header, dehydrate_method=read)


class ExportResource(resources.Resource):
    """The base of every export: each cell goes through `cell_value`."""

    def export_field(self, field, instance, **kwargs):
        return cell_value(super().export_field(field, instance, **kwargs))


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        return french_decimal(value)
    if isinstance(value, datetime.date):
        return short_date(value)
    return value


def dataset_to_csv(dataset) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(dataset.headers or [])
    for row in dataset:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def dataset_to_xlsx(dataset) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Export"
    bold = Font(bold=True)
    widths = {}
    for row_number, row in enumerate([dataset.headers or [], *dataset], start=1):
        for column_number, value in enumerate(row, start=1):
            if isinstance(value, str):
                # Control characters are not allowed in an XLSX file: openpyxl refuses them.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if row_number == 1:
                cell.font = bold
            elif isinstance(value, datetime.date):
                cell.number_format = XLSX_DATE_FORMAT
            text = short_date(value) if isinstance(value, datetime.date) else str(value or "")
            widths[column_number] = max(widths.get(column_number, 0), len(text))
    for column_number, width in widths.items():
        sheet.column_dimensions[get_column_letter(column_number)].width = min(
            width + 2, XLSX_MAX_COLUMN_WIDTH
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WRITERS = {
    "csv": (dataset_to_csv, CSV_CONTENT_TYPE),
    "xlsx": (dataset_to_xlsx, XLSX_CONTENT_TYPE),
}


def export_filename(stem: str, *, departement=None, extension: str, day: datetime.date | None = None) -> str:
    """« contacts-candidats-58-nievre-2026-05-12.csv »."""
    day = day or timezone.localdate()
    parts = [stem]
    if departement is not None:
        parts.append(f"{departement.code}-{slugify(departement.nom)}")
    parts.append(day.isoformat())
    return "-".join(parts) + f".{extension}"


def export_response(resource: ExportResource, rows, *, fmt: str, stem: str, departement=None) -> HttpResponse:
    """The download of `rows` through `resource`, as CSV or XLSX (`fmt`, one of EXPORT_FORMATS),
    named by `export_filename`."""
    write, content_type = WRITERS[fmt]
    response = HttpResponse(write(resource.export(rows)), content_type=content_type)
    filename = export_filename(stem, departement=departement, extension=fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
