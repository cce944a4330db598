"""How a published data set is declared: its fields, once, for every place that shows them.

A data set (`Jeu`) lists its fields (`Champ`): name, Table Schema type, French title and
description, constraints. From that one declaration come the Table Schema published beside the
files (frictionless format), the CSV header and the JSON keys, and the API's response schema:
the field names of the files and of the API are the same by construction.

A field holding several codes is a text with the codes separated by « | » (the convention of the
French open-data schemas, which keeps the CSV flat), declared with a pattern.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
SEPARATEUR = "|"

# Codes the fields' patterns accept.
CODE_REGION = r"\d{2,3}"
CODE_DEPARTEMENT = r"(\d{2}|2[AB]|\d{3})"
CODE_COMMUNE = r"(\d{5}|2[AB]\d{3})"
SIREN = r"\d{9}"

PYTHON_TYPES = {
    "string": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "date": datetime.date,
}


def liste(code: str) -> str:
    """The pattern of a « | »-separated list of `code`."""
    return f"{code}(\\{SEPARATEUR}{code})*"


@dataclass(frozen=True)
class Champ:
    nom: str
    type: str  # a Table Schema type: string, integer, number, boolean, date
    titre: str
    description: str
    requis: bool = False
    unique: bool = False
    valeurs: tuple[str, ...] | None = None  # enum
    motif: str | None = None  # pattern (anchored, as Table Schema reads it)
    minimum: int | float | None = None
    maximum: int | float | None = None

    def __post_init__(self):
        if self.type not in PYTHON_TYPES:
            raise ValueError(f"Type Table Schema inconnu : {self.type}")

    @property
    def python_type(self) -> type:
        return PYTHON_TYPES[self.type]

    def table_schema(self) -> dict:
        descriptor = {
            "name": self.nom,
            "type": self.type,
            "title": self.titre,
            "description": self.description,
        }
        if self.type == "date":
            descriptor["format"] = "%Y-%m-%d"
        constraints = {}
        if self.requis:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.valeurs is not None:
            constraints["enum"] = list(self.valeurs)
        if self.motif is not None:
            constraints["pattern"] = self.motif
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            descriptor["constraints"] = constraints
        return descriptor


@dataclass(frozen=True)
class CleEtrangere:
    champs: tuple[str, ...]
    jeu: str
    champs_references: tuple[str, ...]

    def table_schema(self) -> dict:
        return {
            "fields": list(self.champs),
            "reference": {"resource": self.jeu, "fields": list(self.champs_references)},
        }


@dataclass(frozen=True)
class Filtres:
    """What a list is restricted to (the API's `region` and `departement` parameters)."""

    region: str | None = None
    departement: str | None = None
    epci: str | None = None


class Jeu:
    """A data set: declared fields, the rows behind them (read through the selectors), and the
    descriptors published with the files. Subclasses set the class attributes and implement
    `objets` (the ordered queryset of its rows' main objects, filtered) and `lignes` (the rows of
    a slice of them, in a fixed number of queries whatever its length)."""

    slug: str
    titre: str
    description: str
    champs: tuple[Champ, ...]
    cle_primaire: tuple[str, ...]
    cles_etrangeres: tuple[CleEtrangere, ...] = ()
    # Published as a file on /donnees-ouvertes/ (the territory referential is served by the API only).
    publie: bool = True

    def objets(self, *, filtres: Filtres, demonstration: bool) -> QuerySet:
        raise NotImplementedError

    def lignes(self, objets: list, *, demonstration: bool) -> list[dict]:
        raise NotImplementedError

    @property
    def noms(self) -> list[str]:
        return [c.nom for c in self.champs]

    def table_schema(self) -> dict:
        schema = {
            "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
            "name": self.slug,
            "title": self.titre,
            "description": self.description,
            "fields": [c.table_schema() for c in self.champs],
            "primaryKey": list(self.cle_primaire),
            "missingValues": [""],
        }
        if self.cles_etrangeres:
            schema["foreignKeys"] = [cle.table_schema() for cle in self.cles_etrangeres]
        return schema


def valeur_json(value):
    """A row's value as JSON writes it: numbers stay numbers, dates are ISO 8601."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
