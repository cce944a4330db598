"""The composition of the établissements publics territoriaux (EPT) of the Grand Paris.

The file is a CSV in the layout the composition is published in (INSEE's table of the EPT, and
the project's own `territoires/data/ept-2026.csv`, derived from @etalab/decoupage-administratif,
see territoires/data/README.md): one row per commune,

    CODGEO,LIBGEO,EPT,LIBEPT,DEP
    93001,Aubervilliers,200057867,Plaine Commune,93

`parse_ept(text)` is pure: it yields an `EptRow` per commune and a `RowError` (with its line
number) for a malformed row; `importer.import_territoires` loads the rows with the rest of the
referential. The Ville de Paris, the Métropole's twelfth territoire, is no EPT and is not in
such files: the importer adds it from the referential's commune.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HEADER = ("CODGEO", "LIBGEO", "EPT", "LIBEPT", "DEP")
SIREN = re.compile(r"^\d{9}$")
COMMUNE_CODE = re.compile(r"^(\d{2}|2[AB])\d{3}$")

# The Ville de Paris forms a territoire of the Métropole by itself (article L5219-2 of the CGCT).
PARIS_COMMUNE = "75056"


@dataclass(frozen=True)
class EptRow:
    line: int
    commune: str
    commune_nom: str
    ept: str
    ept_nom: str
    departement: str


@dataclass(frozen=True)
class EptError:
    line: int
    message: str

    def __str__(self):
        return f"ept, ligne {self.line} : {self.message}"


class EptFileError(Exception):
    """The EPT file cannot be read as the published layout (nothing has been written)."""


def read_ept_file(path: Path | str) -> str:
    raw = Path(path).read_bytes()
    return raw.decode("utf-8-sig")


def parse_ept(text: str) -> Iterator[EptRow | EptError]:
    """Rows of the EPT composition, and errors for the malformed ones (line 1 is the header).

    The separator is read from the header (`,` as published by the data set, `;` as saved by
    French spreadsheet software)."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None or tuple(h.strip().upper() for h in header[: len(HEADER)]) != HEADER:
        raise EptFileError(f"en-tête attendu : {','.join(HEADER)}")
    seen: dict[str, int] = {}
    names: dict[str, str] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) < len(HEADER):
            yield EptError(line, f"{len(HEADER)} colonnes attendues")
            continue
        commune, commune_nom, ept, ept_nom, departement = (v.strip() for v in values[: len(HEADER)])
        if not COMMUNE_CODE.match(commune):
            yield EptError(line, f"code de commune invalide « {commune} »")
        elif not SIREN.match(ept):
            yield EptError(line, f"SIREN d'EPT invalide « {ept} »")
        elif not ept_nom:
            yield EptError(line, "nom de l'EPT manquant")
        elif commune in seen:
            yield EptError(line, f"commune {commune} déjà rattachée à un EPT ligne {seen[commune]}")
        elif names.setdefault(ept, ept_nom) != ept_nom:
            yield EptError(line, f"l'EPT {ept} porte deux noms : « {names[ept]} » et « {ept_nom} »")
        else:
            seen[commune] = line
            yield EptRow(line, commune, commune_nom, ept, ept_nom, departement)
