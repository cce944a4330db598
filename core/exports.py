"""CSV and XLSX exports: the one way every export of the platform is declared and written.

An export is an `ExportResource` (a django-import-export resource) whose columns are declared
with `column()`: the French header and how to read the cell from a row; `text=True` marks an
identifier (SIRET, SIREN, code INSEE, code département) that must stay text. The columns return
plain Python values (text, integers, `Decimal`, dates, booleans, None); the base turns them into
cells once, for both formats, and `export_response` writes the file:

- CSV for French Excel: `;` separator, UTF-8 with a BOM, CRLF line ends, decimal comma (« 1,5 »),
  dates as JJ/MM/AAAA — the same for département and national files.
- XLSX (openpyxl, streamed in write-only mode): a sheet named after the export and its territory (« Contacts — Nièvre »),
  numbers stay numbers, dates are date cells displayed JJ/MM/AAAA, identifiers are text cells in a
  text-formatted column, the header row is bold and frozen, each column as wide as its content.
- Both: « Oui »/« Non » for a boolean, an empty cell for None, a date-time as its local date.
- No cell may start a formula (OWASP "CSV injection"). In a CSV, a text beginning with = + - @
  (or a tab / carriage return, which spreadsheet software also interprets) is prefixed with an
  apostrophe, the only way the format has — also when invisible characters (a byte-order mark,
  spaces, zero-width spaces) come first or when the sign is a full-width one (＝ ＋ － ＠), which
  some spreadsheets read as the ASCII sign. In an XLSX, a text cell is text whatever it starts
  with: it is stored as a string (flagged « quote prefix », as Excel does for typed text), so no
  apostrophe shows.
- The file name says what the file holds: the export, its département, the list's filters when
  any apply (`filters_slug`), and the day.
"""

import copy
import csv
import datetime
import io
import operator
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from import_export import resources
from import_export.fields import Field
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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
XLSX_TEXT_FORMAT = "@"
# Wide enough for a name or an e-mail address, narrow enough for a long comment to wrap.
XLSX_MAX_COLUMN_WIDTH = 60
XLSX_MIN_COLUMN_WIDTH = 8
# Excel limits a sheet name to 31 characters, without : \ / ? * [ ].
SHEET_TITLE_MAX = 31
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys(":\\/?*[]", " "))
# Filters that order or paginate a list but do not choose its rows.
NOT_FILTERS = frozenset({"tri", "page", "o", "ordering"})
FILTERS_SLUG_MAX = 80


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
    return str(value)


def column(header: str, value: str | Callable, *, text: bool = False) -> Field:
    """An export column: its French header, and how to read its cell from a row (an attribute
    path such as "manifestation.nom", or a function of the row). `text`: an identifier, kept as
    text by spreadsheets (« 01 », « 2A004 », a SIRET). Columns are exported in the order they are
    declared, a subclass's after its parent's."""
    read = operator.attrgetter(value) if isinstance(value, str) else value
    field = Field(column_name=header, dehydrate_method=read)
    field.fne_text = text
    return field


class ExportResource(resources.Resource):
    """The base of every export: each cell goes through `cell_value`. `sheet_title` names the
    XLSX sheet (the territory is added by `export_response`)."""

    sheet_title = "Export"

    def headers(self) -> list[str]:
        return self.get_export_headers()

    def text_columns(self) -> set[int]:
        """Positions (from 0) of the identifier columns."""
        return {i for i, field in enumerate(self.get_export_fields()) if getattr(field, "fne_text", False)}

    def cells(self, rows) -> Iterator[list]:
        """The cells of each row, through `cell_value` (identifiers as text). The readers are
        resolved once for the whole export: django-import-export's own `export()` looks each
        column's method up again for every cell, which was most of a large export's time."""
        readers = [
            (field.dehydrate_method, getattr(field, "fne_text", False)) for field in self.get_export_fields()
        ]
        for row in self.iter_queryset(rows):
            line = []
            for read, text in readers:
                value = cell_value(read(row))
                line.append(str(value) if text and value is not None else value)
            yield line


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        return french_decimal(value)
    if isinstance(value, datetime.date):
        return short_date(value)
    return neutralise(value)


def write_csv(headers: list[str], rows: Iterable[list], **_) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def sheet_title(title: str) -> str:
    """A valid sheet name: forbidden characters replaced, cut with « … » past 31 characters."""
    title = " ".join(title.translate(_SHEET_FORBIDDEN).split()).strip("'") or "Export"
    return title if len(title) <= SHEET_TITLE_MAX else title[: SHEET_TITLE_MAX - 1].rstrip() + "…"


def _display_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return len("31/12/2026")
    if isinstance(value, float | Decimal):
        return len(french_decimal(value))
    return max((len(line) for line in str(value).splitlines()), default=0)


class _XlsxCells:
    """Typed cells of a write-only sheet. A plain value (a number, a text that openpyxl cannot
    take for anything else) is appended as it is; a cell that needs a style or a forced type gets
    its own cell, whose style is copied from a model cell prepared once (setting a style through
    openpyxl's descriptors registers it again for every cell)."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.plain = self._model()
        self.header = self._model(font=Font(bold=True))
        self.date = self._model(number_format=XLSX_DATE_FORMAT)
        self.text = self._model(number_format=XLSX_TEXT_FORMAT)
        self.quoted = self._model(quotePrefix=True)
        self.quoted_text = self._model(number_format=XLSX_TEXT_FORMAT, quotePrefix=True)

    def _model(self, **style) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet)
        for name, value in style.items():
            setattr(cell, name, value)
        return cell

    def _styled(self, model: WriteOnlyCell, value, *, data_type: str | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        cell._style = copy.copy(model._style)
        if data_type:
            cell.data_type = data_type
        return cell

    def header_row(self, headers: list[str]) -> list:
        return [self._styled(self.header, value, data_type="s") for value in headers]

    def row(self, values: list, text_columns: frozenset[int]) -> list:
        out = []
        for position, value in enumerate(values):
            if isinstance(value, str):
                # Control characters are not allowed in an XLSX file: openpyxl refuses them.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
                # openpyxl takes a text starting with « = » for a formula and « #N/A » for an
                # error: it is text here, flagged « quote prefix » when a spreadsheet would
                # otherwise read a formula in it.
                quoted = value.startswith(FORMULA_PREFIXES)
                if position in text_columns:
                    value = self._styled(self.quoted_text if quoted else self.text, value, data_type="s")
                elif quoted:
                    value = self._styled(self.quoted, value, data_type="s")
                elif value.startswith("#"):
                    value = self._styled(self.plain, value, data_type="s")
            elif isinstance(value, datetime.date):
                value = self._styled(self.date, value)
            elif value is not None and position in text_columns:
                value = self._styled(self.text, value)
            out.append(value)
        return out


def write_xlsx(
    headers: list[str],
    rows: Iterable[list],
    *,
    title: str = "Export",
    text_columns: frozenset[int] = frozenset(),
) -> bytes:
    """A write-only workbook (streamed cell by cell, no cell objects kept): the widths and the
    frozen header are declared before the first row, so the rows are read once to size the
    columns, then written."""
    rows = list(rows)
    widths = [_display_width(value) for value in headers]
    for row in rows:
        for position, value in enumerate(row):
            width = _display_width(value)
            if width > widths[position]:
                widths[position] = width
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = max(
            XLSX_MIN_COLUMN_WIDTH, min(width + 2, XLSX_MAX_COLUMN_WIDTH)
        )
    sheet.freeze_panes = "A2"
    cells = _XlsxCells(sheet)
    sheet.append(cells.header_row(headers))
    for row in rows:
        sheet.append(cells.row(row, text_columns))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WRITERS = {
    "csv": (write_csv, CSV_CONTENT_TYPE),
    "xlsx": (write_xlsx, XLSX_CONTENT_TYPE),
}


def _filter_value(value) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return "-".join(_filter_value(v) for v in value)
    return str(getattr(value, "pk", value))


def filters_slug(filterset, *, exclude=()) -> str:
    """« intention-porter-typologie-commune » for the filters that choose the list's rows
    (neither the sort nor the page), « » when none applies."""
    if filterset is None or not filterset.is_bound or not filterset.form.is_valid():
        return ""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if name in NOT_FILTERS or name in exclude or value in (None, "", [], ()):
            continue
        parts.append(slugify(f"{name.replace('_', ' ')} {_filter_value(value)}"))
    slug = "-".join(p for p in parts if p)
    return slug[:FILTERS_SLUG_MAX].rstrip("-")


def export_filename(
    stem: str, *, departement=None, extension: str, day: datetime.date | None = None, filtres: str = ""
) -> str:
    """« contacts-candidats-58-nievre-2026-05-12.csv »; a filtered list adds « -filtre-… »
    (« contacts-candidats-58-nievre-filtre-intention-porter-2026-05-12.csv »)."""
    day = day or timezone.localdate()
    parts = [stem]
    if departement is not None:
        parts.append(f"{departement.code}-{slugify(departement.nom)}")
    if filtres:
        parts.append(f"filtre-{filtres}")
    parts.append(day.isoformat())
    return "-".join(parts) + f".{extension}"


def export_response(
    resource: ExportResource,
    rows,
    *,
    fmt: str,
    stem: str,
    departement=None,
    filterset=None,
    exclude_filters=(),
    sheet: str | None = None,
) -> HttpResponse:
    """The download of `rows` through `resource`, as CSV or XLSX (`fmt`, one of EXPORT_FORMATS),
    named by `export_filename`. `filterset`: the list's filters, named in the file name (but for
    `exclude_filters`, already said by `stem`). `sheet`: the XLSX sheet's name, by default the
    resource's `sheet_title` and the département (« Contacts — Nièvre »)."""
    write, content_type = WRITERS[fmt]
    if sheet is None:
        sheet = resource.sheet_title + (f" — {departement.nom}" if departement is not None else "")
    content = write(
        resource.headers(), resource.cells(rows), title=sheet, text_columns=frozenset(resource.text_columns())
    )
    response = HttpResponse(content, content_type=content_type)
    filename = export_filename(
        stem,
        departement=departement,
        extension=fmt,
        filtres=filters_slug(filterset, exclude=exclude_filters),
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
