"""Field-level changes read from django-simple-history: what a history page shows (field, before,
after) for any model with `HistoricalRecords`.

Plain functions over historical rows already loaded by the caller's selector (no query here):
`changes(old, new)` compares two versions of a row, `versions(rows)` walks each object's rows in
date order and says what each one changed. Values are written for French readers: choice labels,
« Oui »/« Non », « 1er décembre 2026 », HTML stripped, long texts cut with « … ».
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator
from simple_history.utils import get_history_model_for_model

from .formats import french_date, french_datetime, french_number

# A text longer than this is cut: the history says that it changed and how it starts.
TEXTE_MAX = 200
# Bookkeeping fields that never interest a reader.
IGNORED = frozenset({"id", "created_at", "updated_at", "version", "modifie_par", "modifie_le"})

CREATION, MODIFICATION, SUPPRESSION = "+", "~", "-"


@dataclass(frozen=True)
class Changement:
    champ: str  # the field's French label, capitalised
    avant: str  # "" for nothing
    apres: str
    nom: str = ""  # the field's name in the model


@dataclass(frozen=True)
class LigneHistorique:
    """One change of an event, as a history page lists it: the element (« Membre « CA de
    Nevers » »), and for a modification the field, before, after. `nature`: AJOUT, RETRAIT or
    MODIF (templates/includes/historique.html words each)."""

    element: str
    nature: str
    champ: str = ""
    avant: str = ""
    apres: str = ""


AJOUT, RETRAIT, MODIF = "ajout", "retrait", "modification"


@dataclass(frozen=True)
class Evenement:
    """A line of a history page: a save (who, when, which part) and what it changed."""

    date: datetime.datetime
    auteur: str
    section: str
    detail: str
    changements: list[LigneHistorique] = field(default_factory=list)


def auteur(user) -> str:
    return user.display_name if user else "—"


@dataclass(frozen=True)
class Version:
    """What one historical row changed on its object."""

    row: object  # the historical row (history_date, history_user, history_change_reason…)
    nature: str  # CREATION, MODIFICATION or SUPPRESSION
    changements: list[Changement] = field(default_factory=list)
    previous: object = None  # the row before it, if any


def texte(value) -> str:
    """A value as the history shows it (empty string for nothing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime.datetime):
        return french_datetime(value)
    if isinstance(value, datetime.date):
        return french_date(value)
    if isinstance(value, int | float | Decimal):
        return french_number(value)
    text = " ".join(strip_tags(str(value)).split())
    return Truncator(text).chars(TEXTE_MAX)


def _label(model_field) -> str:
    name = str(model_field.verbose_name)
    return name[:1].upper() + name[1:]


def _value(model_field, row, display: dict[str, Callable]):
    if model_field.name in display:
        return display[model_field.name](row)
    value = getattr(row, model_field.attname)
    if model_field.choices and value not in (None, ""):
        return dict(model_field.flatchoices).get(value, value)
    return value


def tracked_fields(model: type[models.Model], *, exclude: Iterable[str] = ()) -> list:
    """The concrete fields of the tracked model a reader cares about (relations only when the
    caller displays them)."""
    skip = IGNORED | set(exclude)
    # A field left out of the model's history (HistoricalRecords(excluded_fields=…)) has nothing to compare.
    recorded = {f.name for f in get_history_model_for_model(model)._meta.concrete_fields}
    return [f for f in model._meta.concrete_fields if f.name not in skip and f.name in recorded]


def changes(
    old,
    new,
    *,
    model: type[models.Model],
    exclude: Iterable[str] = (),
    display: dict[str, Callable] | None = None,
) -> list[Changement]:
    """The fields that differ between two historical rows of `model` (`old` None: every field set).
    Relations are compared only when `display` says how to name them."""
    display = display or {}
    result = []
    for model_field in tracked_fields(model, exclude=exclude):
        if model_field.is_relation and model_field.name not in display:
            continue
        after = texte(_value(model_field, new, display))
        before = texte(_value(model_field, old, display)) if old is not None else ""
        if before != after:
            result.append(Changement(_label(model_field), before, after, model_field.name))
    return result


def versions(
    rows: Iterable,
    *,
    model: type[models.Model],
    exclude: Iterable[str] = (),
    display: dict[str, Callable] | None = None,
    extra: Callable | None = None,
) -> list[Version]:
    """Each row with what it changed on its object, in date order; rows that changed nothing a
    reader cares about are left out (a save with the same values). `extra(old, new)` adds the
    caller's own changes (a many-to-many field, say)."""
    result = []
    last: dict = {}
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        previous = last.get(row.id)
        last[row.id] = row
        if row.history_type == SUPPRESSION:
            result.append(Version(row, SUPPRESSION, [], previous))
            continue
        found = changes(previous, row, model=model, exclude=exclude, display=display)
        if extra is not None:
            found += extra(previous, row)
        if previous is None or row.history_type == CREATION:
            result.append(Version(row, CREATION, found, previous))
        elif found:
            result.append(Version(row, MODIFICATION, found, previous))
    return result


def lignes(element: str, version: Version, *, detail_creation: bool = False) -> list[LigneHistorique]:
    """The lines of a version: « Ajout : X », « Retrait : X », or one line per changed field
    (also for a creation when `detail_creation`: a row whose values are what matters)."""
    if version.nature == SUPPRESSION:
        return [LigneHistorique(element, RETRAIT)]
    if version.nature == CREATION and not detail_creation:
        return [LigneHistorique(element, AJOUT)]
    return [LigneHistorique(element, MODIF, c.champ, c.avant, c.apres) for c in version.changements]
