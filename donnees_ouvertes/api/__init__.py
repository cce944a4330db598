"""The read-only JSON API (`/api/v1/`), with django-ninja: the published data sets and the
territory referential, paginated, filterable by région and département.

- Anonymous, GET only, CORS open (django-cors-headers, settings.CORS_URLS_REGEX).
- Rate-limited per client by the platform's limiter (`core.ratelimit`: its client address and
  counter, the same for every public entry point).
- Field names are the Table Schema's (`api/schemas.py` builds the models from the data sets).
- Every error is a problem detail in French (`api/problemes.py`), unknown parameters included:
  a misspelt filter must not silently return everything.
"""

import logging
import time

from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer
from ninja.throttling import BaseThrottle

from core.ratelimit import client_ip, is_limited, parse_rate

from .problemes import PROBLEM_CONTENT_TYPE, ParametreInvalide, message_erreur, parametre_invalide, probleme
from .schemas import PAR_PAGE_MAX

logger = logging.getLogger(__name__)

DESCRIPTION = """API en lecture seule des données ouvertes de l'Espace France Numérique Ensemble
(axe 4 de la feuille de route France Numérique Ensemble : « dites-le-nous une fois »).

Elle sert les mêmes données que les fichiers publiés sur la page « Données ouvertes », avec les mêmes
noms de champs que leurs schémas (Table Schema), et le référentiel territorial (régions, départements,
EPCI, communes). Sans authentification, en lecture seule (GET), sous Licence Ouverte 2.0.

Les listes sont paginées (`page`, `par_page`) et se filtrent par région (`region`) et par département
(`departement`). Les erreurs sont décrites selon la RFC 9457 (`application/problem+json`), en français.
Le nombre de requêtes par client est limité ; au-delà, la réponse 429 indique dans `Retry-After` quand
réessayer."""


PERIODES = {1: "par seconde", 60: "par minute", 3600: "par heure", 86400: "par jour"}


def limite_en_clair(rate: str) -> str:
    """« 600/m » → « 600 requêtes par minute »."""
    count, seconds = parse_rate(rate)
    return f"{count} requête{'s' if count > 1 else ''} {PERIODES.get(seconds, f'en {seconds} secondes')}"


class Rendu(JSONRenderer):
    # Accented letters as they are (JSON is UTF-8): « Nièvre », not « Ni\\u00e8vre ».
    json_dumps_params = {"ensure_ascii": False}


class LimiteParClient(BaseThrottle):
    """The platform's limiter: one counter per client address for the whole API, at the rate of
    settings.FNE_API_LIMITE (read on each request)."""

    def allow_request(self, request) -> bool:
        return not is_limited(key="api-v1", rate=settings.FNE_API_LIMITE, who=f"ip:{client_ip(request)}")

    def wait(self) -> float:
        """Seconds until the limiter's current window ends."""
        window = parse_rate(settings.FNE_API_LIMITE)[1]
        return window - (time.time() % window)


class Api(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Errors are documented with their real media type, `application/problem+json`."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = Api(
    title="API des données ouvertes — Espace France Numérique Ensemble",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
    renderer=Rendu(),
    throttle=[LimiteParClient()],
)


@api.exception_handler(ValidationError)
def _validation(request, exc: ValidationError):
    erreurs = []
    for error in exc.errors:
        nom, message = message_erreur(error, par_page_max=PAR_PAGE_MAX)
        if (nom, message) not in erreurs:
            erreurs.append((nom, message))
    return parametre_invalide(request, erreurs)


@api.exception_handler(ParametreInvalide)
def _parametre(request, exc: ParametreInvalide):
    return parametre_invalide(request, exc.erreurs)


@api.exception_handler(Http404)
def _introuvable(request, exc: Http404):
    return probleme(request, status=404, detail=str(exc) or "Aucune ressource à cette adresse.")


@api.exception_handler(Throttled)
def _trop(request, exc: Throttled):
    return probleme(
        request,
        status=429,
        detail="Trop de requêtes depuis votre adresse : réessayez dans quelques instants "
        f"(au plus {limite_en_clair(settings.FNE_API_LIMITE)}).",
        retry_after=exc.wait,
    )


@api.exception_handler(HttpError)
def _http(request, exc: HttpError):
    return probleme(request, status=exc.status_code, detail=str(exc))


@api.exception_handler(Exception)
def _erreur(request, exc: Exception):
    logger.exception("Erreur de l'API sur %s", request.get_full_path())
    return probleme(
        request, status=500, detail="Une erreur est survenue de notre côté : réessayez plus tard."
    )


from . import endpoints  # noqa: E402, F401 - registers the operations on `api`
