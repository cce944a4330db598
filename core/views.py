"""The liveness and readiness probes, and the pages a user reads when something goes wrong (fne/urls.py's
handlers and settings.CSRF_FAILURE_VIEW): French, DSFR, `lang="fr"`."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from .context_processors import site_config

logger = logging.getLogger(__name__)

HOME_ADVICE = "Vous pouvez revenir à la page d'accueil, ou nous écrire si le problème persiste."

ERRORS = {
    400: (
        "Requête incorrecte",
        [
            "La demande reçue est incomplète ou mal formée : elle n'a pas été traitée et rien n'a été "
            "enregistré.",
            "Rechargez la page puis recommencez. " + HOME_ADVICE,
        ],
    ),
    403: (
        "Accès refusé",
        ["Votre compte ne permet pas cette action.", HOME_ADVICE],
    ),
    404: (
        "Page introuvable",
        [
            "La page que vous cherchez est introuvable, ou votre compte ne permet pas de la consulter. "
            "Excusez-nous pour la gêne occasionnée.",
            "Si vous avez tapé l'adresse web dans le navigateur, vérifiez qu'elle est correcte. "
            + HOME_ADVICE,
        ],
    ),
    500: (
        "Erreur inattendue",
        [
            "Désolé, le service rencontre un problème, nous travaillons pour le résoudre le plus "
            "rapidement possible.",
            "Essayez de rafraîchir la page ou réessayez un peu plus tard. " + HOME_ADVICE,
        ],
    ),
}

CSRF_PARAGRAPHS = [
    "Le formulaire a expiré ou a été envoyé depuis une autre page : par sécurité, il n'a pas été "
    "traité et rien n'a été enregistré.",
    "Revenez à la page précédente, rechargez-la, puis envoyez de nouveau le formulaire. Si votre "
    "navigateur bloque les cookies de ce site, autorisez-les.",
]


def _error_context(status: int, detail: str = "") -> dict:
    title, paragraphs = ERRORS[status]
    return {
        "error_code": status,
        "error_title": title,
        "error_paragraphs": paragraphs,
        "error_detail": detail,
        "page_title": title,
    }


def _french_detail(exception) -> str:
    """The refusal's own message (« Votre compte peut consulter ce département mais pas le
    modifier. »): the project raises PermissionDenied with a French sentence for the user, Django
    and the admin raise it bare."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) else ""


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "errors/page.html", _error_context(400), status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "errors/page.html", _error_context(403, _french_detail(exception)), status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "errors/page.html", _error_context(404), status=404)


def server_error(request):
    """Rendered without the request's context processors nor the user: the database (or the
    session, or the cache) may be what failed."""
    context = {**_error_context(500), **site_config(request), "request": request, "nav_items": []}
    try:
        html = render_to_string("errors/page.html", context)
    except Exception:  # the last resort must answer, whatever broke the template
        logger.exception("Page d'erreur 500 impossible à rendre")
        html = '<!DOCTYPE html><html lang="fr"><title>Erreur inattendue</title><h1>Erreur inattendue</h1>'
    return HttpResponseServerError(html)


def csrf_failure(request, reason=""):
    context = {**_error_context(403), "error_title": "Formulaire expiré", "error_paragraphs": CSRF_PARAGRAPHS}
    context["page_title"] = context["error_title"]
    return render(request, "errors/page.html", context, status=403)


@login_not_required
@require_safe
@never_cache
def sante(request):
    """Liveness probe for the load balancer and monitoring: answers « ok » when a worker can serve
    a request. Public, no template, no database nor cache query (so it also stands as the
    baseline of bench/load.sh)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis() -> None:
    # The cache and the Celery broker are the same Redis (REDIS_URL). Without it (the embedded
    # set-up) there is nothing to reach: the cache is the process's memory, tasks run at once.
    if settings.REDIS_URL:
        cache.ping()


def _check_storage() -> None:
    default_storage.check()


READINESS_CHECKS = {"base de données": _check_database, "Redis": _check_redis, "stockage": _check_storage}


@login_not_required
@require_safe
@never_cache
def sante_pret(request):
    """Readiness probe: 200 when this process can serve pages (the database, Redis and the file
    store answer), 503 otherwise, so that the load balancer sends no traffic to it. Public: the
    answer says nothing of what failed; the log does."""
    failed = []
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency makes the process not ready
            failed.append(name)
            logger.error("Sonde de disponibilité : %s en échec (%s: %s)", name, exc.__class__.__name__, exc)
    if failed:
        return HttpResponse("indisponible", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("prêt", content_type="text/plain; charset=utf-8")
