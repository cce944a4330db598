"""Public pages of the open data: the data sets and their files, their Table Schemas and data
package, the public index of the gouvernances, and the API's documentation. All public (no
login); none builds a file: downloads read what the last build stored."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from core.breadcrumbs import breadcrumb
from core.files import stored_file_response

from . import pages, selectors
from .api.problemes import probleme
from .demonstration import publier_demonstration
from .enums import Format
from .jeux import PUBLIES
from .schema import LICENCE
from .writers import CSV_CONTENT_TYPE, JSON_CONTENT_TYPE

CONTENT_TYPES = {Format.CSV: CSV_CONTENT_TYPE, Format.JSON: JSON_CONTENT_TYPE}
PAS_ENCORE_PUBLIE = (
    "Ce fichier n'a pas encore été publié : la page « Données ouvertes » indique quand il le sera."
)


def _jeu_publie(slug: str):
    jeu = PUBLIES.get(slug)
    if jeu is None:
        raise Http404("Jeu de données inconnu.")
    return jeu


@login_not_required
@require_safe
def liste(request):
    """Each data set: description, licence, update date, row count, CSV and JSON downloads."""
    fichiers = selectors.fichiers_publies()
    return render(
        request,
        "donnees_ouvertes/jeux_list.html",
        {
            "page_title": "Données ouvertes",
            "breadcrumb_data": breadcrumb(current="Données ouvertes"),
            "jeux": pages.jeux_affiches(fichiers),
            "publication": pages.publication_en_clair(selectors.derniere_publication()),
            "prochaine": pages.prochaine_publication(),
            "demonstration": publier_demonstration(),
            "licence": LICENCE,
        },
    )


@login_not_required
@require_safe
def fichier(request, jeu, fmt):
    """A published file, with ETag and Last-Modified: a conditional request gets a 304."""
    jeu = _jeu_publie(jeu)
    if fmt not in Format.values:
        raise Http404("Format inconnu : les fichiers sont publiés en CSV et en JSON.")
    publie = selectors.fichier_publie(jeu=jeu.slug, format=fmt)
    if publie is None:
        raise Http404(PAS_ENCORE_PUBLIE)
    etag = quote_etag(publie.empreinte)
    last_modified = int(publie.modifie_le.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = stored_file_response(
            publie.nom, filename=f"fne-{jeu.slug}.{fmt}", content_type=CONTENT_TYPES[fmt], private=False
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Always revalidate: a new build changes the file at any time of the day.
    response["Cache-Control"] = "public, no-cache"
    return response


@login_not_required
@require_safe
def schema(request, jeu):
    """The data set's Table Schema (frictionless format)."""
    return JsonResponse(
        _jeu_publie(jeu).table_schema(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )


@login_not_required
@require_safe
def datapackage(request):
    """The published files as one Data Package (frictionless), foreign keys included."""
    descriptor = pages.datapackage(selectors.fichiers_publies(), base=settings.SITE_URL)
    if descriptor is None:
        raise Http404(PAS_ENCORE_PUBLIE)
    return JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})


@login_not_required
@require_safe
def gouvernances(request):
    """Every département of the campaign, by région: its gouvernance's status and feuilles de
    route, and the link to its public page."""
    return render(
        request,
        "donnees_ouvertes/gouvernances_index.html",
        {
            "page_title": "Les gouvernances de l'inclusion numérique",
            "breadcrumb_data": breadcrumb(current="Gouvernances"),
            "regions": pages.index_par_region(*selectors.index_gouvernances()),
        },
    )


# --- The API's pages ------------------------------------------------------------------------------


@login_not_required
@require_safe
def api_documentation(request):
    """The API's documentation in French, drawn from its OpenAPI description (no script)."""
    return render(
        request,
        "donnees_ouvertes/api_documentation.html",
        {
            "page_title": "API des données ouvertes",
            "breadcrumb_data": breadcrumb(
                ("Données ouvertes", reverse("donnees_ouvertes:liste")), current="API"
            ),
            "documentation": pages.documentation_api(),
            "openapi_url": reverse("api:openapi-json"),
            "limite": pages.limite_api(),
        },
    )


@login_not_required
def api_accueil(request):
    """`/api/v1/`: where the description and the documentation are, and each list."""
    base = settings.SITE_URL
    return JsonResponse(
        {
            "titre": "API des données ouvertes — Espace France Numérique Ensemble",
            "licence": LICENCE["title"],
            "openapi": base + reverse("api:openapi-json"),
            "documentation": base + reverse("api:documentation"),
            "ressources": {name: base + reverse(f"api:{name}") for name in pages.LISTES_API},
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_not_required
def api_introuvable(request, reste):
    return probleme(request, status=404, detail="Aucune ressource de l'API à cette adresse.")
