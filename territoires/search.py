"""Find a collectivité (région, département, EPCI, commune) by name, code or postal code, and
turn what a person typed in a form into one collectivité.

Names are compared folded (`fold`): lower case, without accents or punctuation, as stored in
`nom_recherche` by the importer. A query made of a code looks the code up instead:
INSEE code of a commune, a département or a région, SIREN of an EPCI or a commune, postal code.
One query per kind of collectivité, at most: no query per result.

What a form shows for a chosen collectivité is its label, « CA de Nevers (EPCI, 245804406) »:
the name, the kind and the code, never an internal key. `resolve_text` reads that label back, as
well as a name, a code or a key, so that a form works the same with or without the suggestions
script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Q, Sum, Value, When

from core.text import fold, sort_key

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
    # Where it lies, for a person choosing between namesakes: « Nièvre », « Allier, Nièvre ».
    detail: str = ""
    # What kind of collectivité it is, for a reader: « Commune », « EPCI »,
    # « Établissement public territorial »…
    type_label: str = ""
    # The kind the label names when it is not the type's own: « EPT » for a territoire of the
    # Grand Paris, which is found among the EPCI but is not one à fiscalité propre.
    sigle: str = ""

    @property
    def key(self) -> str:
        return f"{self.type}:{self.code}"

    @property
    def label(self) -> str:
        """What a field shows once this collectivité is chosen: « CA de Nevers (EPCI, 245804406) »,
        « Est Ensemble (EPT, 200057875) »."""
        return label_of(self.type, self.nom, self.code, sigle=self.sigle)

    @property
    def long_label(self) -> str:
        """The label and where it lies, to tell namesakes apart: « Saint-Père (Commune, 58261) — Nièvre »."""
        return f"{self.label} — {self.detail}" if self.detail else self.label


MODELS: dict[TypeCollectivite, type[models.Model]] = {
    TypeCollectivite.REGION: Region,
    TypeCollectivite.DEPARTEMENT: Departement,
    TypeCollectivite.EPCI: Epci,
    TypeCollectivite.COMMUNE: Commune,
}
TYPE_ORDER = {type_: index for index, type_ in enumerate(TypeCollectivite)}


# The kinds a label may name besides the types' own labels, read back by `parse_reference`.
EXTRA_SIGLES = {"EPT": TypeCollectivite.EPCI}


def label_of(type_: TypeCollectivite | str, nom: str, code: str, *, sigle: str = "") -> str:
    """The one way a chosen collectivité is named in a form, a suggestion or an error:
    « Nevers (Commune, 58194) », « CA de Nevers (EPCI, 245804406) », « Est Ensemble (EPT, 200057875) »."""
    return f"{nom} ({sigle or TypeCollectivite(type_).label}, {code})"


def collectivite_label(collectivite: models.Model) -> str:
    """The label of a région, département, EPCI (or EPT) or commune of the referential."""
    for type_, model in MODELS.items():
        if isinstance(collectivite, model):
            sigle = collectivite.sigle if isinstance(collectivite, Epci) else ""
            return label_of(type_, collectivite.nom, collectivite.pk, sigle=sigle)
    raise TypeError(f"Not a collectivité: {collectivite!r}")


def _region_result(region: Region) -> CollectiviteResult:
    return CollectiviteResult(
        type=TypeCollectivite.REGION,
        code=region.code,
        nom=region.nom,
        departement_code=None,
        population=region.population_totale or 0,
        type_label=TypeCollectivite.REGION.label,
    )


def _departement_result(departement: Departement) -> CollectiviteResult:
    return CollectiviteResult(
        type=TypeCollectivite.DEPARTEMENT,
        code=departement.code,
        nom=departement.nom,
        departement_code=departement.code,
        population=departement.population,
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
        detail=", ".join(d.nom for d in sorted(departements, key=lambda d: sort_key(d.nom))),
        type_label=epci.type_label,
        sigle=epci.sigle,
    )


def _commune_result(commune: Commune) -> CollectiviteResult:
    return CollectiviteResult(
        type=TypeCollectivite.COMMUNE,
        code=commune.code,
        nom=commune.nom,
        departement_code=commune.departement_id,
        population=commune.population,
        detail=commune.departement.nom,
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

    ranked.sort(
        key=lambda item: (item[0], -item[1].population, sort_key(item[1].nom), TYPE_ORDER[item[1].type])
    )
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


# --- What a person typed in a form → one collectivité -----------------------------------------

# « CA de Nevers (EPCI, 245804406) »: the label a chosen collectivité shows.
LABEL_RE = re.compile(r"^(?P<nom>.+)\s\((?P<type>[^(),]+),\s*(?P<code>[0-9AB]{2,9})\)$", re.IGNORECASE)
# « epci:245804406 »: the key of a result (a page saved before labels were shown may post it).
KEY_RE = re.compile(r"^(?P<type>[a-z_]+):(?P<code>[0-9AB]{2,9})$", re.IGNORECASE)
MAX_CANDIDATES = 8


def _type_from_label(text: str) -> TypeCollectivite | None:
    wanted = fold(text)
    for type_ in TypeCollectivite:
        if fold(type_.label) == wanted or type_.value == wanted:
            return type_
    for sigle, type_ in EXTRA_SIGLES.items():
        if fold(sigle) == wanted:
            return type_
    return None


def parse_reference(value: str) -> tuple[TypeCollectivite, str] | None:
    """(type, code) when `value` is a label or a key, None for anything else."""
    value = value.strip()
    match = LABEL_RE.match(value)
    if match:
        type_ = _type_from_label(match["type"])
        if type_ is not None:
            return type_, match["code"].upper()
    match = KEY_RE.match(value)
    if match and match["type"].lower() in TypeCollectivite.values:
        return TypeCollectivite(match["type"].lower()), match["code"].upper()
    return None


def _candidates_message(results: list[CollectiviteResult], intro: str) -> str:
    listed = " ; ".join(r.long_label for r in results[:MAX_CANDIDATES])
    more = " ; …" if len(results) > MAX_CANDIDATES else ""
    return f"{intro} : {listed}{more}. Choisissez-en une dans la liste proposée, ou saisissez son code."


def exact_name_matches(
    query: str, *, departement: str | None = None, types: Iterable[TypeCollectivite] | None = None
) -> list[CollectiviteResult]:
    """Every collectivité whose whole name is `query` (accents and case aside), widest first."""
    folded = fold(query)
    if not folded:
        return []
    wanted = [TypeCollectivite(t) for t in types] if types is not None else list(TypeCollectivite)
    querysets = _querysets(departement)
    results = []
    for type_ in wanted:
        results.extend(BUILDERS[type_](obj) for obj in querysets[type_].filter(nom_recherche=folded))
    return sorted(results, key=lambda r: (TYPE_ORDER[r.type], sort_key(r.detail), r.code))


def resolve_text(
    value: str, *, types: Iterable[TypeCollectivite], departement: str | None = None
) -> models.Model:
    """The one collectivité meant by what was typed or picked, or a French ValidationError.

    In order: a label or a key (what the suggestions put in the field); a name equal to exactly
    one collectivité's (never « ambiguous »: namesakes are listed with their département and
    code); a code (INSEE, SIREN, postal code); then the search, when it finds one collectivité.
    `departement` narrows names and codes to what is of or touches that département; a label
    names one collectivité whatever its département, so that the caller can say why it does not
    fit (« Dijon n'est pas dans le département Nièvre »)."""
    types = [TypeCollectivite(t) for t in types]
    value = (value or "").strip()[: MAX_QUERY_LENGTH * 2]
    if not value:
        raise ValidationError("Choisissez une collectivité.", code="required")
    reference = parse_reference(value)
    if reference is not None:
        type_, code = reference
        found = MODELS[type_].objects.filter(pk=code).first() if type_ in types else None
        if found is None:
            raise ValidationError(
                f"« {value} » ne fait pas partie des collectivités proposées : choisissez-en une dans la liste.",
                code="inconnue",
            )
        return found
    exact = exact_name_matches(value, departement=departement, types=types)
    if len(exact) == 1:
        return resolve_collectivite(exact[0].key)
    if len(exact) > 1:
        raise ValidationError(
            _candidates_message(exact, f"Plusieurs collectivités s'appellent « {value} »"), code="homonymes"
        )
    results = search_collectivites(value, departement=departement, types=types, limit=MAX_CANDIDATES + 1)
    compact = value.replace(" ", "").upper()
    by_code = [r for r in results if r.code == compact]
    if len(by_code) == 1 or len(results) == 1:
        return resolve_collectivite((by_code or results)[0].key)
    if not results:
        if compact.isdigit():
            raise ValidationError(
                f"Aucune collectivité ne correspond au code « {value} ».", code="code_inconnu"
            )
        raise ValidationError(f"Aucune collectivité ne correspond à « {value} ».", code="introuvable")
    raise ValidationError(
        _candidates_message(results, f"Plusieurs collectivités correspondent à « {value} »"), code="plusieurs"
    )
