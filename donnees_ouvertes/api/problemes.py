"""Errors of the API as problem details (RFC 9457, `application/problem+json`), in French.

Each problem names its type by a URI: the section of the API's documentation page that explains
it. Invalid parameters list each parameter with its own message, next to the general detail.
"""

import json
import math

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from ninja import Schema
from pydantic import Field

PROBLEM_CONTENT_TYPE = "application/problem+json"

# status: (anchor of the documentation, title, what the documentation says of it)
TYPES = {
    400: (
        "parametre-invalide",
        "Paramètre invalide",
        "Un paramètre est inconnu, mal formé (un code qui n'en est pas un, une page qui n'est pas un "
        "nombre) ou désigne un territoire qui n'existe pas.",
    ),
    404: (
        "introuvable",
        "Ressource introuvable",
        "Aucune ressource à cette adresse (un code inconnu, une feuille de route non publiée).",
    ),
    405: (
        "methode-non-permise",
        "Méthode non permise",
        "L'API est en lecture seule : seules les requêtes GET sont servies.",
    ),
    429: (
        "trop-de-requetes",
        "Trop de requêtes",
        "Trop de requêtes depuis votre adresse : attendez le nombre de secondes qu'indique l'en-tête "
        "Retry-After.",
    ),
    500: ("erreur-interne", "Erreur interne", "Une erreur de notre côté : réessayez plus tard."),
}


class ErreurParametre(Schema):
    parametre: str = Field(description="Nom du paramètre en cause.")
    message: str = Field(description="Ce qui ne va pas, en français.")


class Probleme(Schema):
    """Un problème, décrit selon la RFC 9457 (« problem details »)."""

    type: str = Field(description="Adresse de la documentation de ce type de problème.")
    title: str = Field(description="Intitulé du type de problème.")
    status: int = Field(description="Code de statut HTTP.")
    detail: str = Field(description="Explication de ce problème-ci.")
    instance: str = Field(description="Chemin et paramètres de la requête en cause.")
    erreurs: list[ErreurParametre] | None = Field(
        None, description="Pour un paramètre invalide : chaque paramètre en cause et son message."
    )


class ParametreInvalide(Exception):
    """Raised by an endpoint for parameters its schema cannot check (an unknown code, say)."""

    def __init__(self, erreurs: list[tuple[str, str]]):
        self.erreurs = erreurs
        super().__init__("; ".join(message for _, message in erreurs))


def type_uri(status: int) -> str:
    anchor = TYPES.get(status, TYPES[500])[0]
    return f"{settings.SITE_URL}{reverse('api:documentation')}#probleme-{anchor}"


def probleme(
    request, *, status: int, detail: str, erreurs=None, retry_after: float | None = None
) -> HttpResponse:
    body = {
        "type": type_uri(status),
        "title": TYPES.get(status, TYPES[500])[1],
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
    }
    if erreurs:
        body["erreurs"] = [{"parametre": nom, "message": message} for nom, message in erreurs]
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    if retry_after is not None:
        response["Retry-After"] = str(math.ceil(retry_after))
    return response


def parametre_invalide(request, erreurs: list[tuple[str, str]]) -> HttpResponse:
    if len(erreurs) == 1:
        detail = erreurs[0][1]
    else:
        detail = f"{len(erreurs)} paramètres sont invalides. " + " ".join(m for _, m in erreurs)
    return probleme(request, status=400, detail=detail, erreurs=erreurs)


# --- French messages for the parameters' validation errors ------------------------------------------

# What a parameter must look like, said once for every way it can be wrong.
FORMATS = {
    "page": "un nombre entier à partir de 1",
    "par_page": "un nombre entier de 1 à {maximum}",
    "region": "un code Insee de région, par exemple « 27 »",
    "departement": "un code Insee de département, par exemple « 58 », « 2A » ou « 974 »",
    "epci": "le SIREN d'un EPCI, neuf chiffres",
    "q": "un texte de 2 à 100 caractères (nom, code Insee ou code postal)",
    "code": "un code valide",
    "id": "un nombre entier à partir de 1",
}


def message_erreur(error: dict, *, par_page_max: int) -> tuple[str, str]:
    """(parameter, French message) for one of pydantic's errors, as ninja reports them."""
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
    nom = loc[-1] if loc else "requête"
    attendu = FORMATS.get(nom)
    if attendu:
        attendu = attendu.format(maximum=par_page_max)
    kind = error.get("type", "")
    if kind == "missing":
        return nom, f"Le paramètre « {nom} » est obligatoire."
    if attendu:
        return nom, f"Le paramètre « {nom} » doit être {attendu}."
    return nom, f"Le paramètre « {nom} » n'est pas valide."
