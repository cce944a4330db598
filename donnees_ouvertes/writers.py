"""The open-data writers: CSV and JSON as reusers expect them, not the Excel flavour of
core/exports.py.

- CSV: UTF-8 without BOM, `,` separator, a header row of the Table Schema's field names, RFC 4180
  quoting and line ends; `true`/`false`, decimal point, ISO 8601 dates (AAAA-MM-JJ), an empty
  cell for a missing value. A text that a spreadsheet would read as a formula is neutralised as
  everywhere on the platform (`core.exports.neutralise`).
- JSON: an array of objects keyed by the same field names; numbers and booleans typed, null for
  a missing value.
Both are written from the same rows, in one pass.
"""

import csv
import datetime
import io
import json
from collections.abc import Iterable
from decimal import Decimal

from core.exports import neutralise

from .schema import valeur_json

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSON_CONTENT_TYPE = "application/json"


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return valeur_json(value)
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


class DoubleEcriture:
    """Rows written as CSV and JSON at once."""

    def __init__(self, noms: list[str]):
        self.noms = noms
        self.lignes = 0
        self._csv = io.StringIO()
        self._writer = csv.writer(self._csv, lineterminator="\r\n")
        self._writer.writerow(noms)
        self._json = io.StringIO()
        self._json.write("[")

    def ecrire(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self._writer.writerow([csv_cell(row[nom]) for nom in self.noms])
            if self.lignes:
                self._json.write(",\n")
            json.dump(
                {nom: valeur_json(row[nom]) for nom in self.noms},
                self._json,
                ensure_ascii=False,
                separators=(",", ":"),
            )
            self.lignes += 1

    def csv(self) -> bytes:
        return self._csv.getvalue().encode("utf-8")

    def json(self) -> bytes:
        return (self._json.getvalue() + "]\n").encode("utf-8")
