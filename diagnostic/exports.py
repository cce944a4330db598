"""CSV (`;`, UTF-8 with BOM, for French Excel) and XLSX downloads, formula-neutralised.

Minimal on purpose: core/exports.py (issue 3) is meant to hold the project's shared helpers;
this module should be merged into it.
"""

import csv
import io
from collections.abc import Iterable, Sequence

import tablib
from django.http import HttpResponse

# A cell starting with one of these would be read as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def export_response(
    *, headers: Sequence[str], rows: Iterable[Sequence], filename: str, fmt: str
) -> HttpResponse:
    clean_rows = [[neutralise(value) for value in row] for row in rows]
    if fmt == "xlsx":
        dataset = tablib.Dataset(*clean_rows, headers=list(headers))
        response = HttpResponse(
            dataset.export("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(clean_rows)
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        raise ValueError(f"format d'export inconnu : {fmt}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
