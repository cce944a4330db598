"""The API's documentation page, drawn from its own OpenAPI description: what the page says is
what `/api/v1/openapi.json` says, in French, on a DSFR page without any script (the site's CSP
holds; nothing to load from elsewhere)."""

import functools
from dataclasses import dataclass, field

from django.urls import reverse

from . import api
from .problemes import TYPES

EMPLACEMENTS = {"query": "requête", "path": "chemin"}
TYPES_JSON = {
    "string": "texte",
    "integer": "entier",
    "number": "nombre",
    "boolean": "booléen",
    "array": "liste",
    "object": "objet",
}


@dataclass(frozen=True)
class Parametre:
    nom: str
    emplacement: str
    requis: bool
    type: str
    description: str
    contraintes: str


@dataclass(frozen=True)
class ChampDoc:
    nom: str
    type: str
    requis: bool
    description: str
    contraintes: str


@dataclass
class OperationDoc:
    ancre: str
    methode: str
    chemin: str
    resume: str
    description: str
    parametres: list[Parametre]
    champs: list[ChampDoc]
    paginee: bool
    statuts: list[str]
    exemple: str


@dataclass
class SectionDoc:
    titre: str
    operations: list[OperationDoc] = field(default_factory=list)


@dataclass(frozen=True)
class ProblemeDoc:
    ancre: str
    statut: int
    titre: str
    explication: str


def _type(schema: dict) -> str:
    for option in schema.get("anyOf", [schema]):
        if option.get("type") and option["type"] != "null":
            if option.get("format") == "date":
                return "date (AAAA-MM-JJ)"
            return TYPES_JSON.get(option["type"], option["type"])
    return "texte"


def _contraintes(schema: dict) -> str:
    parts = []
    options = schema.get("anyOf", [schema])
    for option in options:
        if "enum" in option:
            parts.append("valeurs : " + ", ".join(f"« {v} »" for v in option["enum"]))
        if "const" in option:
            parts.append(f"valeur : « {option['const']} »")
        if "pattern" in option:
            parts.append(f"motif : {option['pattern']}")
        if "minimum" in option:
            parts.append(f"minimum : {option['minimum']}")
        if "maximum" in option:
            parts.append(f"maximum : {option['maximum']}")
        if "minLength" in option:
            parts.append(f"au moins {option['minLength']} caractères")
        if "maxLength" in option:
            parts.append(f"au plus {option['maxLength']} caractères")
    if "default" in schema and schema["default"] is not None:
        parts.append(f"par défaut : {schema['default']}")
    return " ; ".join(parts)


def _resolve(schema: dict, components: dict) -> dict:
    ref = schema.get("$ref")
    return components[ref.rsplit("/", 1)[-1]] if ref else schema


def _champs(model: dict, components: dict) -> tuple[list[ChampDoc], bool]:
    """The fields of a row, and whether the response is a page of rows."""
    properties = model.get("properties", {})
    paginee = "resultats" in properties
    if paginee:
        model = _resolve(properties["resultats"]["items"], components)
        properties = model.get("properties", {})
    required = set(model.get("required", []))
    return [
        ChampDoc(
            nom,
            _type(prop),
            nom in required,
            prop.get("description", ""),
            _contraintes(prop),
        )
        for nom, prop in properties.items()
    ], paginee


# Example values of the path parameters, for the page's links (the Nièvre, Nevers).
EXEMPLES = {"code_departement": "58", "id": "1"}
EXEMPLES_CODES = {"regions": "27", "departements": "58", "epci": "245804406", "communes": "58194"}


def _exemple(chemin: str) -> str:
    parts = chemin.strip("/").split("/")
    filled = []
    for index, part in enumerate(parts):
        if part == "{code}":
            filled.append(EXEMPLES_CODES.get(parts[index - 1], part))
        elif part.startswith("{"):
            filled.append(EXEMPLES.get(part[1:-1], part))
        else:
            filled.append(part)
    return "/" + "/".join(filled)


@functools.cache
def documentation() -> tuple[list[SectionDoc], list[ProblemeDoc]]:
    """The sections of the page (one per tag, in the description's order) and the problem types.
    Computed once per process: the description only changes with the code."""
    prefix = reverse("api:api-root")
    schema = api.get_openapi_schema(path_prefix=prefix)
    components = schema.get("components", {}).get("schemas", {})
    sections: dict[str, SectionDoc] = {}
    for chemin, operations in schema["paths"].items():
        for methode, operation in operations.items():
            tag = (operation.get("tags") or ["API"])[0]
            section = sections.setdefault(tag, SectionDoc(tag))
            responses = operation.get("responses", {})
            ok = responses.get("200", responses.get(200, {}))
            model = _resolve(ok.get("content", {}).get("application/json", {}).get("schema", {}), components)
            champs, paginee = _champs(model, components)
            relative = chemin.removeprefix(prefix.rstrip("/"))
            section.operations.append(
                OperationDoc(
                    ancre=operation.get("operationId", relative),
                    methode=methode.upper(),
                    chemin=chemin,
                    resume=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parametres=[
                        Parametre(
                            p["name"],
                            EMPLACEMENTS.get(p["in"], p["in"]),
                            bool(p.get("required")),
                            _type(p.get("schema", {})),
                            p.get("description") or p.get("schema", {}).get("description", ""),
                            _contraintes(p.get("schema", {})),
                        )
                        for p in operation.get("parameters", [])
                    ],
                    champs=champs,
                    paginee=paginee,
                    statuts=sorted(str(status) for status in responses),
                    exemple=_exemple(chemin),
                )
            )
    problemes = [
        ProblemeDoc(f"probleme-{ancre}", statut, titre, explication)
        for statut, (ancre, titre, explication) in TYPES.items()
    ]
    return list(sections.values()), problemes
