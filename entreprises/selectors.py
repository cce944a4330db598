"""Reads: what the register said about the SIRET a page shows (one query for the whole page)."""

from collections.abc import Iterable

from .models import Etablissement


def etablissements_by_siret(sirets: Iterable[str]) -> dict[str, Etablissement]:
    wanted = {s for s in sirets if s}
    if not wanted:
        return {}
    return {e.siret: e for e in Etablissement.objects.filter(siret__in=wanted)}


def attach_etablissements(rows: Iterable, *, attribute: str = "structure_siret") -> list:
    """Give each row (a structure, a member, a coordination…) its `etablissement` (or None),
    read from its SIRET `attribute`, in one query."""
    rows = list(rows)
    found = etablissements_by_siret(getattr(row, attribute) for row in rows)
    for row in rows:
        row.etablissement = found.get(getattr(row, attribute))
    return rows
