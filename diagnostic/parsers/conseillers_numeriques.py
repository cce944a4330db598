"""Conseillers numériques activity aggregated per département (JSON, « CRA » Metabase export).

A JSON array of one object per département: `departement` (code), `usagers`, `accompagnements`,
and breakdowns `accompagnement` (individuel, atelier, redirection), `activite`, `statut`,
`themes` and age groups (`moins12ans`, `de12a18ans`, …), all counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .common import ParseError, excerpt, iter_json_array

DEPARTEMENT = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])$")
AGES = ("moins12ans", "de12a18ans", "de18a35ans", "de35a60ans", "plus60ans")
BREAKDOWNS = ("accompagnement", "activite", "statut", "themes")


@dataclass(frozen=True)
class ActiviteRow:
    line: int
    departement: str
    usagers: int
    accompagnements: int
    accompagnement: dict[str, int] = field(default_factory=dict)
    activite: dict[str, int] = field(default_factory=dict)
    statut: dict[str, int] = field(default_factory=dict)
    themes: dict[str, int] = field(default_factory=dict)
    ages: dict[str, int] = field(default_factory=dict)


def _count(value: object, name: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or int(value) != value:
        raise ValueError(f"{name} : « {value} » n'est pas un nombre entier positif")
    return int(value)


def parse_conseillers_numeriques(text: str) -> Iterator[ActiviteRow | ParseError]:
    seen: dict[str, str] = {}
    for line, where, element in iter_json_array(text):
        if not isinstance(element, dict):
            yield ParseError(line, f"{where} : pas un objet JSON", excerpt(element))
            continue
        code = str(element.get("departement") or "").strip().upper()
        if len(code) == 1 and code.isdigit():
            code = "0" + code
        if not DEPARTEMENT.match(code):
            yield ParseError(
                line,
                f"{where} : code de département « {element.get('departement')} » invalide",
                excerpt(element),
            )
            continue
        if code in seen:
            yield ParseError(line, f"{where} : département {code} déjà vu ({seen[code]})", excerpt(element))
            continue
        try:
            if "usagers" not in element or "accompagnements" not in element:
                raise ValueError("usagers ou accompagnements absents")
            breakdowns = {}
            for name in BREAKDOWNS:
                values = element.get(name) or {}
                if not isinstance(values, dict):
                    raise ValueError(f"{name} : objet attendu")
                breakdowns[name] = {key: _count(value, f"{name}.{key}") for key, value in values.items()}
            row = ActiviteRow(
                line=line,
                departement=code,
                usagers=_count(element["usagers"], "usagers"),
                accompagnements=_count(element["accompagnements"], "accompagnements"),
                ages={age: _count(element.get(age), age) for age in AGES},
                **breakdowns,
            )
        except ValueError as error:
            yield ParseError(line, f"{where} : {error}", excerpt(element))
            continue
        seen[code] = where
        yield row
