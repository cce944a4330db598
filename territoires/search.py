"""Find a collectivité (région, département, EPCI, commune) by name, code or postal code.

Names are compared folded (`fold`): lower case, without accents or punctuation, as stored in
`nom_recherche` by the importer. A query made of a code looks the code up instead:
INSEE code of a commune, a département or a région, SIREN of an EPCI or a commune, postal code.
One query per kind of collectivité, at most: no query per result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, IntegerField, Q, Sum, Value, When

from core.text import fold

from .enums import TypeCollectivite
from .models import AncienCodeCommune, Commune, Departement, Epci, Region

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8

COMMUNE_CODE = re.compile(r"^(\d{2}|2[AB])\d{3}$")
DEPARTEMENT_OR_REGION_CODE = re.compile(r"^(\d{2,3}|2[AB])$")
SIREN = re.compile(r"^\d{9}$")


@dataclass(frozen=True)
class CollectiviteResult:
    type: TypeCollectivite
    code: str
    nom: str
    # The collectivité's own département: the commune's, the département itself, the only
    # département of an EPCI (None when it straddles several), None for a région.
    departement_code: str | None
    population: int
    label: str
    # What kind of collectivité it is, for a reader: « Commune », « EPCI »,
    # « Établissement public territorial »…
    type_label: str = ""

    @property
    def key(self) -> str:
        return f"{self.type}:{self.code}"


MODELS: dict[TypeCollectivite, type[models.Model]] = {
    TypeCollectivite.REGION: Region,
    TypeCollectivite.DEPARTEMENT: Departement,
    TypeCollectivite.EPCI: Epci,
    TypeCollectivite.COMMUNE: Commune,
}
TYPE_ORDER = {type_: index for index, type_ in enumerate(TypeCollectivite)}


def _label(nom: str, code: str, kind: str, where: str = "") -> str:
    return f"{nom} ({code}) — {kind}{', ' + where if where else ''}"


def _region_result(region: Region) -> CollectiviteResult:
    return CollectiviteResult(
        type=TypeCollectivite.REGION,
        code=region.code,
        nom=region.nom,
        departement_code=None,
        population=region.population_totale or 0,
        label=_label(region.nom, region.code, TypeCollectivite.REGION.label),
        type_label=TypeCollectivite.REGION.label,
    )


def _departement_result(departement: Departement) -> CollectiviteResult:
    return CollectiviteResult(
        type=TypeCollectivite.DEPARTEMENT,
        code=departement.code,
        nom=departement.nom,
        departement_code=departement.code,
        population=departement.population,
        label=_label(departement.nom, departement.code, TypeCollectivite.DEPARTEMENT.label),
        type_label=TypeCollectivite.DEPARTEMENT.label,
    )


def _epci_result(epci: Epci) -> CollectiviteResult:
    departements = sorted(epci.departements.all(), key=lambda d: d.code)
    return CollectiviteResult(
        type=TypeCollectivite.EPCI,
        code=epci.code,
        nom=epci.nom,
        departement_code=departements[0].code if len(departements) == 1 else None,
        population=epci.population,
        label=_label(epci.nom, epci.code, epci.type_label, ", ".join(d.nom for d in departements)),
        type_label=epci.type_label,
    )


def _commune_result(commune: Commune) -> CollectiviteResult:
    return CollectiviteResult(
        type=TypeCollectivite.COMMUNE,
        code=commune.code,
        nom=commune.nom,
        departement_code=commune.departement_id,
        population=commune.population,
        label=_label(commune.nom, commune.code, TypeCollectivite.COMMUNE.label, commune.departement.nom),
        type_label=TypeCollectivite.COMMUNE.label,
    )


def _querysets(departement: str | None) -> dict[TypeCollectivite, models.QuerySet]:
    """Each kind's queryset, restricted to what is of or touches `departement`."""
    querysets = {
        TypeCollectivite.REGION: Region.objects.annotate(population_totale=Sum("departements__population")),
        TypeCollectivite.DEPARTEMENT: Departement.objects.all(),
        # The établissements publics territoriaux of the Grand Paris are found as EPCI.
        TypeCollectivite.EPCI: Epci.objects.collectivites().prefetch_related("departements"),
        TypeCollectivite.COMMUNE: Commune.objects.select_related("departement"),
    }
    if departement:
        querysets[TypeCollectivite.REGION] = querysets[TypeCollectivite.REGION].filter(
            code__in=Departement.objects.filter(code=departement).values("region_id")
        )
        querysets[TypeCollectivite.DEPARTEMENT] = querysets[TypeCollectivite.DEPARTEMENT].filter(
            code=departement
        )
        querysets[TypeCollectivite.EPCI] = querysets[TypeCollectivite.EPCI].filter(
            code__in=Epci.departements.through.objects.filter(departement_id=departement).values("epci_id")
        )
        querysets[TypeCollectivite.COMMUNE] = querysets[TypeCollectivite.COMMUNE].filter(
            departement_id=departement
        )
    return querysets


def _code_filters(code: str) -> tuple[dict[TypeCollectivite, Q], dict[TypeCollectivite, Case]]:
    """The lookups a query made of a code means, and their ranks, by kind of collectivité."""
    filters: dict[TypeCollectivite, Q] = {}
    ranks: dict[TypeCollectivite, Case] = {}
    if DEPARTEMENT_OR_REGION_CODE.match(code):
        filters[TypeCollectivite.REGION] = Q(code=code)
        filters[TypeCollectivite.DEPARTEMENT] = Q(code=code)
    if COMMUNE_CODE.match(code):
        # A former code (merged commune) comes after the current code and the postal codes.
        commune = Q(code=code) | Q(codes_postaux__contains=code) if code.isdigit() else Q(code=code)
        former = Q(code__in=AncienCodeCommune.objects.filter(code=code).values("commune_id"))
        filters[TypeCollectivite.COMMUNE] = commune | former
        ranks[TypeCollectivite.COMMUNE] = Case(
            When(commune, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    if SIREN.match(code):
        filters[TypeCollectivite.EPCI] = Q(code=code)
        filters[TypeCollectivite.COMMUNE] = Q(siren=code)
        ranks.pop(TypeCollectivite.COMMUNE, None)
    return filters, ranks


def _name_filter(words: list[str], phrase: str) -> tuple[Q, Case]:
    """All words in the name; rank 0 when the name starts with the query, 1 when a word does."""
    condition = Q()
    for word in words:
        condition &= Q(nom_recherche__contains=word)
    rank = Case(
        When(nom_recherche__startswith=phrase, then=Value(0)),
        When(nom_recherche__contains=f" {phrase}", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return condition, rank


BUILDERS = {
    TypeCollectivite.REGION: _region_result,
    TypeCollectivite.DEPARTEMENT: _departement_result,
    TypeCollectivite.EPCI: _epci_result,
    TypeCollectivite.COMMUNE: _commune_result,
}
POPULATION_FIELD = {
    TypeCollectivite.REGION: "population_totale",
    TypeCollectivite.DEPARTEMENT: "population",
    TypeCollectivite.EPCI: "population",
    TypeCollectivite.COMMUNE: "population",
}


def search_collectivites(
    query: str,
    *,
    departement: str | None = None,
    types: Iterable[TypeCollectivite] | None = None,
    limit: int = 20,
) -> list[CollectiviteResult]:
    """Collectivités matching `query`: best matches first, then the most populated."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    wanted = [TypeCollectivite(t) for t in types] if types is not None else list(TypeCollectivite)
    if not query or not wanted or limit <= 0:
        return []

    code = query.replace(" ", "").upper()
    filters, ranks = _code_filters(code) if any(char.isdigit() for char in code) else ({}, {})
    if not filters:
        words = fold(query).split()[:MAX_WORDS]
        if not words:
            return []
        condition, rank = _name_filter(words, " ".join(words))
        filters = dict.fromkeys(TypeCollectivite, condition)
        ranks = dict.fromkeys(TypeCollectivite, rank)

    ranked: list[tuple[int, CollectiviteResult]] = []
    querysets = _querysets(departement)
    for type_ in wanted:
        if type_ not in filters:
            continue
        queryset = (
            querysets[type_]
            .filter(filters[type_])
            .annotate(rank=ranks.get(type_, Value(0, output_field=IntegerField())))
            .order_by("rank", models.F(POPULATION_FIELD[type_]).desc(nulls_last=True), "nom", "code")
        )
        ranked.extend((obj.rank, BUILDERS[type_](obj)) for obj in queryset[:limit])

    ranked.sort(key=lambda item: (item[0], -item[1].population, item[1].nom, TYPE_ORDER[item[1].type]))
    return [result for _, result in ranked[:limit]]


def resolve_collectivite(key: str) -> models.Model | None:
    """The région, département, EPCI (or EPT) or commune a result's `key` ("commune:58194") names."""
    type_, _, code = key.partition(":")
    if type_ not in TypeCollectivite.values or not code:
        return None
    queryset = MODELS[TypeCollectivite(type_)].objects.all()
    if type_ == TypeCollectivite.EPCI:
        queryset = queryset.collectivites()
    return queryset.filter(pk=code).first()
