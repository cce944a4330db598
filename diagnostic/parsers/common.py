"""Shared pieces of the source parsers: typed errors with line numbers, line-aware readers.

Parsers are pure: they take text (or an iterable of lines) and yield typed rows or `ParseError`s,
never touching the database. Resolving codes against the territory referential is the services'
job.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from core.text import fold as fold_text


@dataclass(frozen=True)
class ParseError:
    """A rejected record: its first line in the file, why, and an excerpt to find it."""

    line: int
    message: str
    excerpt: str = ""


class FormatError(ValueError):
    """The file as a whole is not in the expected format (wrong header, not a JSON array…)."""


def excerpt(value: object, length: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def read_csv(
    lines: Iterable[str], *, required: Iterable[str] = (), delimiter: str = ","
) -> Iterator[tuple[int, dict[str, str] | list[str]]]:
    """Yield (first physical line, record) for each CSV record after the header.

    A record whose number of fields differs from the header's is yielded as a raw list so that
    the caller can reject it with its line number; other records are dicts. Quoted fields may span
    lines (addresses with newlines), hence physical line numbers rather than record numbers.
    """
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError("Fichier vide : l'en-tête est absent.") from None
    header = [name.strip().lstrip("\ufeff") for name in header]
    absent = [name for name in required if name not in header]
    if absent:
        raise FormatError("Colonnes absentes de l'en-tête : " + ", ".join(absent) + ".")
    previous_end = reader.line_num
    for record in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if not record or record == [""]:
            continue
        if len(record) != len(header):
            yield start, record
        else:
            yield start, dict(zip(header, record, strict=True))


def iter_json_array(text: str) -> Iterator[tuple[int, str, object]]:
    """Yield (line, where, element) for each element of a top-level JSON array.

    `line` is the element's first line; `where` names it for a person (« élément n° 3 »), which
    matters for minified files where every element is on line 1.
    """
    decoder = json.JSONDecoder()
    ws = re.compile(r"\s*")
    text = text.lstrip("\ufeff")
    pos = ws.match(text, 0).end()
    if pos >= len(text) or text[pos] != "[":
        raise FormatError("Le fichier JSON doit contenir une liste d'éléments.")
    line, counted, number = 1, 0, 0
    pos = ws.match(text, pos + 1).end()
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            element, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            raise FormatError(f"JSON invalide ligne {error.lineno} : {error.msg}.") from None
        number += 1
        yield line, f"élément n° {number}", element
        pos = ws.match(text, end).end()
        if pos >= len(text):
            raise FormatError("JSON invalide : la liste n'est pas fermée.")
        if text[pos] == "]":
            return
        if text[pos] != ",":
            raise FormatError(
                f"JSON invalide ligne {line + text.count(chr(10), counted, pos)} : « , » attendue."
            )
        pos = ws.match(text, pos + 1).end()


def clean(value: object) -> str:
    """A stripped string; None becomes ""."""
    return "" if value is None else str(value).strip()


def split_multi(value: str, separator: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(separator) if part.strip())


def parse_int(value: str, field: str, *, required: bool = False) -> int | None:
    """'' → None (or an error when required); '12' and '12.0' → 12; anything else → ValueError."""
    value = value.strip()
    if value == "":
        if required:
            raise ValueError(f"{field} : valeur absente")
        return None
    try:
        number = float(value) if "." in value else int(value)
    except ValueError:
        raise ValueError(f"{field} : « {value} » n'est pas un nombre entier") from None
    if isinstance(number, float):
        if not number.is_integer():
            raise ValueError(f"{field} : « {value} » n'est pas un nombre entier")
        number = int(number)
    if number < 0:
        raise ValueError(f"{field} : « {value} » est négatif")
    return number


def parse_float(value: str, field: str) -> float | None:
    value = value.strip()
    if value == "" or value.lower() == "nan":
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise ValueError(f"{field} : « {value} » n'est pas un nombre") from None
    if math.isnan(number) or math.isinf(number):
        return None
    return number


def parse_bool(value: str, field: str) -> bool:
    folded = value.strip().lower()
    if folded in {"true", "1", "oui", "vrai"}:
        return True
    if folded in {"false", "0", "non", "faux"}:
        return False
    raise ValueError(f"{field} : « {value} » n'est ni true ni false")


def parse_date(value: str) -> date | None:
    """ISO date (a datetime's date part is accepted); '' → None; ValueError otherwise."""
    value = value.strip()
    if not value:
        return None
    return date.fromisoformat(value[:10])


COMMUNE_CODE = re.compile(r"^(?:[013-9]\d|2[AB1-9])\d{3}$")
POSTAL_CODE = re.compile(r"^\d{5}$")


ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def fold(name: str) -> str:
    """Name folded for comparison: no accents, lower case, words separated by one space.

    « Saint-Amant-de-Boixe », « ST AMANT DE BOIXE » and « saint amant de boixe » fold alike.
    """
    return " ".join(ABBREVIATIONS.get(word, word) for word in fold_text(name).split())


def date_from_filename(name: str) -> tuple[date | None, bool]:
    """The date of the data read from a file name: (date, year_only).

    « …_20231003.json » → 3 Oct 2023; « …_2024-02-22.csv » → 22 Feb 2024; « ifn_…_2021_… » → 2021
    (year only). Nothing found → (None, False).
    """
    for pattern in (r"(?<!\d)(20\d\d)-?(\d\d)-?(\d\d)(?!\d)",):
        match = re.search(pattern, name)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3])), False
            except ValueError:
                pass
    match = re.search(r"(?<!\d)(20\d\d)(?!\d)", name)
    if match:
        return date(int(match[1]), 1, 1), True
    return None, False
