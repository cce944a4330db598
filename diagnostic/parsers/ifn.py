"""Indice de fragilité numérique (La MedNum, computed in 2021), per commune or per EPCI.

CSV with a comma, columns `name,division,code,no_thd_coverage_rate,no_4g_coverage_rate,
poverty_rate,older_65_rate,nscol15p_rate,total`: `division` is `city` (code INSEE) or `epci`
(SIREN); the five sub-scores and the total are 0–10 decimals. Codes are those of the year of
computation: merged communes (e.g. 23023 Blaudeix) are mapped by the service, not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..enums import Echelon
from .common import COMMUNE_CODE, ParseError, excerpt, parse_float, read_csv

COLUMNS = (
    "name",
    "division",
    "code",
    "no_thd_coverage_rate",
    "no_4g_coverage_rate",
    "poverty_rate",
    "older_65_rate",
    "nscol15p_rate",
    "total",
)
# Source column → LieuRow field, in the order the dashboards show them.
SOUS_SCORES = {
    "no_thd_coverage_rate": "sans_tres_haut_debit",
    "no_4g_coverage_rate": "sans_4g",
    "poverty_rate": "pauvrete",
    "older_65_rate": "plus_de_65_ans",
    "nscol15p_rate": "non_diplomes",
}
DIVISIONS = {Echelon.COMMUNE: "city", Echelon.EPCI: "epci"}
SIREN = re.compile(r"^\d{9}$")


@dataclass(frozen=True)
class IfnRow:
    line: int
    code: str
    nom: str
    score: float
    sans_tres_haut_debit: float | None
    sans_4g: float | None
    pauvrete: float | None
    plus_de_65_ans: float | None
    non_diplomes: float | None
    warnings: tuple[str, ...] = ()


def _score(value: str, field: str) -> float | None:
    number = parse_float(value, field)
    if number is not None and not 0 <= number <= 10:
        raise ValueError(f"{field} : {value} hors de l'échelle 0–10")
    return None if number is None else round(number, 3)


def parse_ifn(lines: Iterable[str], *, echelon: Echelon) -> Iterator[IfnRow | ParseError]:
    division = DIVISIONS[Echelon(echelon)]
    seen: dict[str, int] = {}
    for line, record in read_csv(lines, required=COLUMNS):
        if isinstance(record, list):
            yield ParseError(
                line, f"{len(record)} colonnes au lieu de {len(COLUMNS)}", excerpt(",".join(record))
            )
            continue
        raw = excerpt(",".join(record.values()))
        code = record["code"].strip().upper()
        if echelon == Echelon.COMMUNE and len(code) == 4 and code.isdigit():
            code = "0" + code  # spreadsheets drop the leading zero of 01–09
        if record["division"].strip() != division:
            yield ParseError(line, f"division « {record['division']} » au lieu de « {division} »", raw)
            continue
        pattern = COMMUNE_CODE if echelon == Echelon.COMMUNE else SIREN
        if not pattern.match(code):
            yield ParseError(line, f"code « {record['code']} » invalide", raw)
            continue
        if code in seen:
            yield ParseError(line, f"code {code} déjà vu ligne {seen[code]}", raw)
            continue
        try:
            score = _score(record["total"], "total")
            if score is None:
                raise ValueError("total : valeur absente")
            sous_scores = {name: _score(record[column], column) for column, name in SOUS_SCORES.items()}
        except ValueError as error:
            yield ParseError(line, str(error), raw)
            continue
        seen[code] = line
        absents = [column for column, name in SOUS_SCORES.items() if sous_scores[name] is None]
        yield IfnRow(
            line=line,
            code=code,
            nom=record["name"].strip(),
            score=score,
            warnings=(f"sous-indices absents : {', '.join(absents)}",) if absents else (),
            **sous_scores,
        )
