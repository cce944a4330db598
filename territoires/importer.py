"""Load the compact territory file into the database (see territoires/data/README.md).

Two layers, as for every importer (a pure parser, then the writes, so the parser is testable alone):

- `parse_territoires(data)` is pure: it turns the decoded file into typed rows and reports malformed
  rows as `RowError`s naming the list and the row index;
- `import_territoires(path=..., ept_path=..., departements=...)` compares those rows (and the
  composition of the EPT of the Grand Paris, parsed by `territoires.ept`) with the database and
  writes only what changed, in one transaction, with bulk queries.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from django.db import connection, models, transaction

from core.cache import invalidate
from core.formats import compte

from .enums import TERRITOIRES_GRAND_PARIS, TypeEpci, Zone
from .ept import PARIS_COMMUNE, EptError, EptRow, parse_ept, read_ept_file
from .models import AncienCodeCommune, Commune, Departement, Epci, Region
from .search import fold
from .signals import REFERENTIEL

FORMAT = 1
COLUMNS = {
    "regions": ["code", "nom", "zone", "chef_lieu"],
    "departements": ["code", "nom", "region", "zone", "chef_lieu"],
    "epci": ["code", "nom", "type"],
    "communes": ["code", "nom", "departement", "siren", "population", "codes_postaux", "epci"],
    "anciens_codes": ["code", "nom", "commune"],
}
BATCH_SIZE = 1000


# --- Typed rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionRow:
    code: str
    nom: str
    zone: str
    chef_lieu: str


@dataclass(frozen=True)
class DepartementRow:
    code: str
    nom: str
    region: str
    zone: str
    chef_lieu: str


@dataclass(frozen=True)
class EpciRow:
    code: str
    nom: str
    type: str


@dataclass(frozen=True)
class CommuneRow:
    code: str
    nom: str
    departement: str
    siren: str
    population: int
    codes_postaux: str
    epci: str


@dataclass(frozen=True)
class AncienCodeRow:
    code: str
    nom: str
    commune: str


@dataclass(frozen=True)
class RowError:
    kind: str
    index: int
    message: str

    def __str__(self):
        return f"{self.kind}[{self.index}] : {self.message}"


Row = RegionRow | DepartementRow | EpciRow | CommuneRow | AncienCodeRow
ROW_TYPES: dict[str, type] = {
    "regions": RegionRow,
    "departements": DepartementRow,
    "epci": EpciRow,
    "communes": CommuneRow,
    "anciens_codes": AncienCodeRow,
}


class TerritoiresFileError(Exception):
    """The file cannot be loaded: wrong format, or malformed rows (nothing has been written)."""


# --- Parsing (pure) -----------------------------------------------------------------------------


def read_territoires_file(path: Path | str) -> dict:
    """Decode the file, gzipped (the shipped file) or plain JSON (test fixtures)."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return json.loads(raw)


def _check_row(kind: str, row: Row, codes: dict[str, set[str]]) -> str | None:
    """A message when the row is inconsistent, None when it is fine."""
    if not row.code:
        return "code manquant"
    match row:
        case AncienCodeRow():
            if row.commune not in codes["communes"]:
                return f"commune inconnue « {row.commune} »"
        case _ if not row.nom:
            return "nom manquant"
        case RegionRow() | DepartementRow() if row.zone not in Zone.values:
            return f"zone inconnue « {row.zone} »"
        case DepartementRow() if row.region not in codes["regions"]:
            return f"région inconnue « {row.region} »"
        case EpciRow() if row.type not in TypeEpci.values:
            return f"type d'EPCI inconnu « {row.type} »"
        case CommuneRow() if row.departement not in codes["departements"]:
            return f"département inconnu « {row.departement} »"
        case CommuneRow() if row.epci and row.epci not in codes["epci"]:
            return f"EPCI inconnu « {row.epci} »"
        case CommuneRow() if not isinstance(row.population, int) or row.population < 0:
            return f"population invalide « {row.population} »"
    return None


def parse_territoires(data: dict) -> Iterator[Row | RowError]:
    """Typed rows of the decoded file, in dependency order, and errors for malformed rows."""
    if data.get("format") != FORMAT:
        raise TerritoiresFileError(f"format de fichier non pris en charge : {data.get('format')!r}")
    if data.get("colonnes") != COLUMNS:
        raise TerritoiresFileError("les colonnes du fichier ne sont pas celles attendues")
    codes: dict[str, set[str]] = {kind: set() for kind in COLUMNS}
    for kind, row_type in ROW_TYPES.items():
        for index, values in enumerate(data.get(kind, [])):
            if not isinstance(values, list) or len(values) != len(COLUMNS[kind]):
                yield RowError(kind, index, f"{len(COLUMNS[kind])} colonnes attendues")
                continue
            row = row_type(*values)
            message = _check_row(kind, row, codes)
            if message is None and row.code in codes[kind]:
                message = f"code « {row.code} » en double"
            if message:
                yield RowError(kind, index, message)
                continue
            codes[kind].add(row.code)
            yield row


# --- Loading ------------------------------------------------------------------------------------


@dataclass
class KindReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass
class ImportReport:
    regions: KindReport = field(default_factory=KindReport)
    departements: KindReport = field(default_factory=KindReport)
    epci: KindReport = field(default_factory=KindReport)
    ept: KindReport = field(default_factory=KindReport)
    communes: KindReport = field(default_factory=KindReport)
    anciens_codes: KindReport = field(default_factory=KindReport)

    LABELS = {
        "regions": "Régions",
        "departements": "Départements",
        "epci": "EPCI",
        "ept": "Territoires du Grand Paris (EPT et Paris)",
        "communes": "Communes",
        "anciens_codes": "Anciens codes de communes",
    }

    @property
    def changed(self) -> bool:
        return any(kind.changed for _, kind in self.kinds())

    def kinds(self) -> Iterator[tuple[str, KindReport]]:
        for f in fields(self):
            yield self.LABELS[f.name], getattr(self, f.name)


@dataclass
class _Plan:
    """What to write to one table so that its rows in scope become the wanted ones."""

    model: type[models.Model]
    names: list[str]
    to_create: list[models.Model]
    to_update: list[models.Model]
    to_delete: list[str]
    unchanged: int

    def delete(self) -> None:
        for start in range(0, len(self.to_delete), BATCH_SIZE):
            self.model.objects.filter(pk__in=self.to_delete[start : start + BATCH_SIZE]).delete()

    def write(self) -> None:
        self.model.objects.bulk_create(self.to_create, batch_size=BATCH_SIZE)
        self._update()

    def _update(self) -> None:
        """One parametrised UPDATE per changed row, sent with executemany.

        Not `bulk_update`: its CASE WHEN statements made a new vintage (every population changes)
        take 100 s on PostgreSQL and 140 s on SQLite for 35,000 communes; this takes a few seconds.
        """
        if not self.to_update:
            return
        meta = self.model._meta
        columns = [meta.get_field(name) for name in self.names]
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
        sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 (identifiers from the model, values as parameters)
        params = [
            [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk]
            for obj in self.to_update
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def report(self, report: KindReport, *, also_updated: set[str] = frozenset()) -> None:
        """Fill `report`; `also_updated` are keys whose related rows changed (an EPCI's départements)."""
        updated = {obj.pk for obj in self.to_update}
        extra = also_updated - updated - {obj.pk for obj in self.to_create}
        report.created = len(self.to_create)
        report.updated = len(updated) + len(extra)
        report.deleted = len(self.to_delete)
        report.unchanged = self.unchanged - len(extra)


def _plan(model: type[models.Model], wanted: dict[str, dict], existing: models.QuerySet) -> _Plan:
    """Compare `wanted` (primary key → values by attname, e.g. `region_id`) with `existing`.

    `existing` is the part of the table in scope: rows outside it are never deleted.
    """
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    current = {row["pk"]: row for row in existing.values("pk", *names)}
    to_create, to_update = [], []
    for pk, values in wanted.items():
        old = current.get(pk)
        if old is None:
            to_create.append(model(pk=pk, **values))
        elif any(old[name] != values[name] for name in names):
            to_update.append(model(pk=pk, **values))
    return _Plan(
        model=model,
        names=names,
        to_create=to_create,
        to_update=to_update,
        to_delete=sorted(pk for pk in current if pk not in wanted),
        unchanged=len(wanted) - len(to_create) - len(to_update),
    )


def _sync_epci_departements(wanted: dict[str, set[str]]) -> set[str]:
    """Set the départements of the EPCI in `wanted`; return the codes of those that changed."""
    through = Epci.departements.through
    current: dict[str, set[str]] = defaultdict(set)
    pairs = through.objects.filter(epci_id__in=list(wanted)).values_list("epci_id", "departement_id")
    for epci_id, departement_id in pairs:
        current[epci_id].add(departement_id)
    changed = {code for code, deps in wanted.items() if current[code] != deps}
    for code in sorted(changed):
        stale = current[code] - wanted[code]
        if stale:
            through.objects.filter(epci_id=code, departement_id__in=stale).delete()
    through.objects.bulk_create(
        [
            through(epci_id=code, departement_id=dep)
            for code in sorted(changed)
            for dep in sorted(wanted[code] - current[code])
        ],
        batch_size=BATCH_SIZE,
    )
    return changed


def _collect(rows: Iterable[Row | RowError]) -> dict[str, list]:
    """Rows by kind; refuses the whole file when a row is malformed."""
    collected: dict[str, list] = {kind: [] for kind in COLUMNS}
    kind_of = {row_type: kind for kind, row_type in ROW_TYPES.items()}
    errors = []
    for row in rows:
        if isinstance(row, RowError):
            errors.append(row)
        else:
            collected[kind_of[type(row)]].append(row)
    if errors:
        shown = "\n".join(str(error) for error in errors[:20])
        raise TerritoiresFileError(
            f"{compte(len(errors), 'ligne invalide', 'lignes invalides')}, rien n'a été importé :\n{shown}"
        )
    return collected


@dataclass(frozen=True)
class Territoire:
    """A territoire of the Grand Paris as the import writes it."""

    code: str
    nom: str
    type: str
    parent: str


def _territoires_grand_paris(
    ept_rows: Iterable[EptRow | EptError], rows: dict[str, list]
) -> tuple[dict[str, Territoire], dict[str, str]]:
    """The territoires and, for each commune code, its territoire's code.

    A commune listed under a former code (a file older than the referential) is placed by its
    current commune. An EPT's parent is the EPCI of its communes (the Métropole); the Ville de
    Paris, absent from EPT files, is added as the Métropole's twelfth territoire, coded by its
    SIREN. Refuses the whole file when a row is malformed or names an unknown commune."""
    communes = {c.code: c for c in rows["communes"]}
    current = {a.code: a.commune for a in rows["anciens_codes"]}
    errors: list[str] = []
    names: dict[str, str] = {}
    ept_of: dict[str, str] = {}
    for row in ept_rows:
        if isinstance(row, EptError):
            errors.append(str(row))
            continue
        code = row.commune if row.commune in communes else current.get(row.commune)
        if code is None:
            errors.append(str(EptError(row.line, f"commune inconnue du référentiel « {row.commune} »")))
        elif ept_of.setdefault(code, row.ept) != row.ept:
            errors.append(str(EptError(row.line, f"commune {code} rattachée à deux EPT")))
        else:
            names[row.ept] = row.ept_nom
    parents: dict[str, set[str]] = defaultdict(set)
    for commune, ept in ept_of.items():
        parents[ept].add(communes[commune].epci)
    for ept, epcis in sorted(parents.items()):
        if len(epcis) != 1 or "" in epcis:
            errors.append(f"ept : les communes de « {names[ept]} » n'appartiennent pas à une même métropole")
    if errors:
        shown = "\n".join(errors[:20])
        raise TerritoiresFileError(f"{len(errors)} ligne(s) invalide(s), rien n'a été importé :\n{shown}")
    territoires = {
        code: Territoire(code, nom, TypeEpci.EPT, next(iter(parents[code]))) for code, nom in names.items()
    }
    paris = communes.get(PARIS_COMMUNE)
    metropoles = {t.parent for t in territoires.values()}
    if paris is not None and paris.siren and paris.epci in metropoles and PARIS_COMMUNE not in ept_of:
        territoires[paris.siren] = Territoire(paris.siren, paris.nom, TypeEpci.PARIS, paris.epci)
        ept_of[PARIS_COMMUNE] = paris.siren
    return territoires, ept_of


@transaction.atomic
def import_territoires(
    *, path: Path | str, ept_path: Path | str | None = None, departements: list[str] | None = None
) -> ImportReport:
    """Make the referential match the file; idempotent.

    With `departements`, all régions and départements are loaded but only the communes of those
    départements, the EPCI touching them and the former codes of those communes; rows outside
    that scope are left alone (neither updated nor deleted). Populations and the départements
    of an EPCI are always computed over the whole file, so a straddling EPCI lists all its
    départements even when only one is loaded.

    `ept_path`: the composition of the EPT of the Grand Paris (see territoires/ept.py); without
    it, the referential has no territoires of the Grand Paris.
    """
    rows = _collect(parse_territoires(read_territoires_file(path)))
    territoires, ept_of = (
        _territoires_grand_paris(parse_ept(read_ept_file(ept_path)), rows) if ept_path else ({}, {})
    )

    population_dep: dict[str, int] = defaultdict(int)
    population_epci: dict[str, int] = defaultdict(int)
    departements_epci: dict[str, set[str]] = defaultdict(set)
    for c in rows["communes"]:
        population_dep[c.departement] += c.population
        for groupement in (c.epci, ept_of.get(c.code)):
            if groupement:
                population_epci[groupement] += c.population
                departements_epci[groupement].add(c.departement)

    scope = set(departements) if departements is not None else None
    unknown = (scope or set()) - {d.code for d in rows["departements"]}
    if unknown:
        raise TerritoiresFileError(f"départements inconnus : {', '.join(sorted(unknown))}")

    def in_scope(deps: Iterable[str]) -> bool:
        return scope is None or not scope.isdisjoint(deps)

    communes = [c for c in rows["communes"] if in_scope([c.departement])]
    epcis = [e for e in rows["epci"] if in_scope(departements_epci[e.code])]
    territoires_in_scope = [t for t in territoires.values() if in_scope(departements_epci[t.code])]
    commune_codes = {c.code for c in communes}
    anciens = [a for a in rows["anciens_codes"] if a.commune in commune_codes]

    existing_communes = Commune.objects.all()
    existing_epci = Epci.objects.exclude(type__in=TERRITOIRES_GRAND_PARIS)
    existing_territoires = Epci.objects.filter(type__in=TERRITOIRES_GRAND_PARIS)
    existing_anciens = AncienCodeCommune.objects.all()
    if scope is not None:
        existing_communes = existing_communes.filter(departement__in=scope)
        epci_in_scope = Epci.objects.filter(
            models.Q(departements__in=scope)
            | models.Q(code__in=[e.code for e in epcis] + [t.code for t in territoires_in_scope])
        )
        existing_epci = existing_epci.filter(code__in=epci_in_scope.values("code"))
        existing_territoires = existing_territoires.filter(code__in=epci_in_scope.values("code"))
        existing_anciens = existing_anciens.filter(commune__departement__in=scope)

    plans = {
        "regions": _plan(
            Region,
            {r.code: {"nom": r.nom, "nom_recherche": fold(r.nom), "zone": r.zone} for r in rows["regions"]},
            Region.objects.all(),
        ),
        "departements": _plan(
            Departement,
            {
                d.code: {
                    "nom": d.nom,
                    "nom_recherche": fold(d.nom),
                    "region_id": d.region,
                    "zone": d.zone,
                    "chef_lieu": d.chef_lieu,
                    "population": population_dep[d.code],
                }
                for d in rows["departements"]
            },
            Departement.objects.all(),
        ),
        "epci": _plan(
            Epci,
            {
                e.code: {
                    "nom": e.nom,
                    "nom_recherche": fold(e.nom),
                    "type": e.type,
                    "population": population_epci[e.code],
                    "parent_id": None,
                }
                for e in epcis
            },
            existing_epci,
        ),
        "ept": _plan(
            Epci,
            {
                t.code: {
                    "nom": t.nom,
                    "nom_recherche": fold(t.nom),
                    "type": t.type,
                    "population": population_epci[t.code],
                    "parent_id": t.parent,
                }
                for t in territoires_in_scope
            },
            existing_territoires,
        ),
        "communes": _plan(
            Commune,
            {
                c.code: {
                    "nom": c.nom,
                    "nom_recherche": fold(c.nom),
                    "siren": c.siren,
                    "departement_id": c.departement,
                    "epci_id": c.epci or None,
                    "ept_id": ept_of.get(c.code),
                    "population": c.population,
                    "codes_postaux": c.codes_postaux,
                }
                for c in communes
            },
            existing_communes,
        ),
        "anciens_codes": _plan(
            AncienCodeCommune,
            {a.code: {"nom": a.nom, "commune_id": a.commune} for a in anciens},
            existing_anciens,
        ),
    }

    # Children are deleted before their parents (PROTECT), parents written before children.
    for plan in reversed(plans.values()):
        plan.delete()
    for plan in plans.values():
        plan.write()
    epci_changed = _sync_epci_departements(
        {e.code: departements_epci[e.code] for e in [*epcis, *territoires_in_scope]}
    )

    # An EPCI (or territoire) whose départements changed counts as updated, in its own kind.
    also_updated = {
        "epci": epci_changed & {e.code for e in epcis},
        "ept": epci_changed & {t.code for t in territoires_in_scope},
    }
    # Bulk writes send no signal: the computations cached from the referential are renewed here.
    invalidate(REFERENTIEL)
    report = ImportReport()
    for kind, plan in plans.items():
        plan.report(getattr(report, kind), also_updated=also_updated.get(kind, frozenset()))
    return report
