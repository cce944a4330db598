"""Aidants Connect structures: the CSV export of Aidants Connect's Metabase.

Quirks of the real export: the SIRET is written as a float (`13002603200016.0`, `0.0` when
unknown, leading zero lost), booleans are `true`/`false`, addresses contain newlines (quoted),
counts are empty when nothing was recorded, `City Insee Code` is sometimes empty (the service
then recovers the commune from the postal code and the city name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .common import COMMUNE_CODE, POSTAL_CODE, ParseError, excerpt, parse_bool, parse_int, read_csv

REQUIRED = (
    "Name",
    "ID",
    "UUID",
    "Is Active",
    "City Insee Code",
    "Address",
    "Zip Code",
    "Siret",
    "France Services Label",
    "City",
    "Nombre d'aidants",
)
USAGERS = "Question 110 → Nombre D'usagers Uniques"
DEMARCHES = "Question 109 → Nombre De Demarche Par Structure"
# « Question 99 → Nombre Demarche Argent » → « argent ».
THEME = re.compile(r"^Question \d+ → Nombre Demarche (?P<theme>.+)$")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class StructureRow:
    line: int
    uuid: str
    identifiant: int
    nom: str
    actif: bool
    code_insee: str
    adresse: str
    code_postal: str
    ville: str
    siret: str
    france_services: bool
    nb_aidants: int | None
    nb_usagers: int | None
    nb_demarches: int | None
    demarches_par_theme: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def normalise_siret(value: str) -> tuple[str, str | None]:
    """'13002603200016.0' → ('13002603200016', None); unusable values → ('', warning)."""
    text = value.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text in {"", "0"}:
        return "", None
    if not text.isdigit():
        return "", f"SIRET illisible ignoré : « {value} »"
    if len(text) < 14:
        text = text.zfill(14)  # the float lost the leading zeros
    if len(text) != 14:
        return "", f"SIRET de {len(text)} chiffres ignoré : « {value} »"
    return text, None


def parse_aidants_connect(lines: Iterable[str]) -> Iterator[StructureRow | ParseError]:
    seen: dict[str, int] = {}
    for line, record in read_csv(lines, required=REQUIRED):
        if isinstance(record, list):
            yield ParseError(
                line, f"{len(record)} colonnes au lieu de celles de l'en-tête", excerpt(",".join(record))
            )
            continue
        raw = excerpt(",".join(record.values()))
        uuid = record["UUID"].strip().lower()
        if not UUID.match(uuid):
            yield ParseError(line, f"UUID « {record['UUID']} » invalide", raw)
            continue
        if uuid in seen:
            yield ParseError(line, f"structure {uuid} déjà vue ligne {seen[uuid]}", raw)
            continue
        try:
            identifiant = parse_int(record["ID"], "ID", required=True)
            actif = parse_bool(record["Is Active"], "Is Active")
            france_services = parse_bool(record["France Services Label"], "France Services Label")
            nb_aidants = parse_int(record["Nombre d'aidants"], "Nombre d'aidants")
            nb_usagers = parse_int(record.get(USAGERS, ""), "usagers")
            nb_demarches = parse_int(record.get(DEMARCHES, ""), "démarches")
            themes = {}
            for column, value in record.items():
                match = THEME.match(column)
                if match:
                    count = parse_int(value, match["theme"])
                    if count:
                        themes[match["theme"].lower()] = count
        except ValueError as error:
            yield ParseError(line, str(error), raw)
            continue
        if not record["Name"].strip():
            yield ParseError(line, "nom de la structure vide", raw)
            continue
        warnings = []
        code_insee = record["City Insee Code"].strip().upper()
        if code_insee and not COMMUNE_CODE.match(code_insee):
            warnings.append(f"code INSEE invalide ignoré : « {code_insee} »")
            code_insee = ""
        code_postal = record["Zip Code"].strip()
        if len(code_postal) == 4 and code_postal.isdigit():
            code_postal = "0" + code_postal  # the export lost the leading zero (01000–09999)
        if code_postal and not POSTAL_CODE.match(code_postal):
            warnings.append(f"code postal invalide ignoré : « {code_postal} »")
            code_postal = ""
        siret, warning = normalise_siret(record["Siret"])
        if warning:
            warnings.append(warning)
        seen[uuid] = line
        yield StructureRow(
            line=line,
            uuid=uuid,
            identifiant=identifiant,
            nom=" ".join(record["Name"].split()),
            actif=actif,
            code_insee=code_insee,
            # Newlines inside the quoted address become « , » so that it reads on one line.
            adresse=", ".join(
                " ".join(part.split()) for part in record["Address"].splitlines() if part.strip()
            ),
            code_postal=code_postal,
            ville=record["City"].strip(),
            siret=siret,
            france_services=france_services,
            nb_aidants=nb_aidants,
            nb_usagers=nb_usagers,
            nb_demarches=nb_demarches,
            demarches_par_theme=themes,
            warnings=tuple(warnings),
        )
