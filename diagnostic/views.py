"""Public data pages (like the real platform's): no login, nothing but open data on them."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.breadcrumbs import breadcrumb
from core.exports import EXPORT_FORMATS, export_response
from territoires.models import Departement

from . import selectors
from .filters import CommuneIndicateursFilter
from .resources import CommuneExportResource
from .sources import REFERENTIEL, SOURCES

COMMUNES_PAR_PAGE = 50


SORTABLE_COLUMNS = [
    ("nom", "Commune"),
    ("population", "Population"),
    ("lieux", "Lieux de médiation"),
    ("densite", "Lieux pour 10 000 hab."),
    ("ifn", "Indice de fragilité"),
    ("aidants", "Aidants Connect"),
]


def _colonnes(tri: str) -> list[dict]:
    """Header links of the commune table: a click sorts, a second click reverses."""
    return [
        {
            "libelle": libelle,
            "lien": f"-{cle}" if tri == cle else cle,
            "sens": "ascending" if tri == cle else "descending" if tri == f"-{cle}" else "",
        }
        for cle, libelle in SORTABLE_COLUMNS
    ]


def _departement(code: str) -> Departement:
    return get_object_or_404(Departement.objects.select_related("region"), code=code)


def _communes_filter(request, departement):
    return CommuneIndicateursFilter(
        request.GET, queryset=selectors.communes_indicateurs(departement), departement=departement
    )


@login_not_required
@require_safe
def departement_donnees(request, code):
    departement = _departement(code)
    synthese = selectors.synthese_diagnostic(departement)
    communes = _communes_filter(request, departement)
    page = Paginator(communes.qs, COMMUNES_PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "diagnostic/departement_donnees.html",
        {
            "page_title": f"Données de l'inclusion numérique — {departement.nom}",
            "breadcrumb_data": breadcrumb(
                ("Données nationales", reverse("diagnostic:national")), current=departement.nom
            ),
            "departement": departement,
            "synthese": synthese,
            "graphiques": selectors.graphiques(synthese),
            "filtre": communes,
            "page_obj": page,
            "epcis": selectors.epcis_indicateurs(departement),
            "colonnes": _colonnes(request.GET.get("tri", "")),
            "tri": request.GET.get("tri", ""),
        },
    )


@login_not_required
@require_safe
def departement_communes_export(request, code, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404("Format inconnu.")
    departement = _departement(code)
    return export_response(
        CommuneExportResource(),
        _communes_filter(request, departement).qs,
        fmt=fmt,
        stem="inclusion-numerique-communes",
        departement=departement,
    )


NATIONAL_TRIS = {
    "code": lambda d: d.code,
    "nom": lambda d: d.nom,
    "population": lambda d: d.population,
    "lieux": lambda d: d.lieux,
    "densite": lambda d: d.lieux_pour_10000 or 0,
    "sans_lieu": lambda d: d.communes_sans_lieu,
    "ifn": lambda d: d.ifn_moyen or 0,
    "aidants": lambda d: d.aidants,
    "accompagnements": lambda d: d.accompagnements or 0,
}


@login_not_required
@require_safe
def national_donnees(request):
    tri = request.GET.get("tri", "code")
    descending = tri.startswith("-")
    key = NATIONAL_TRIS.get(tri.lstrip("-"), NATIONAL_TRIS["code"])
    departements = sorted(selectors.departements_indicateurs(), key=key, reverse=descending)
    synthese = selectors.synthese_diagnostic(None)
    return render(
        request,
        "diagnostic/national_donnees.html",
        {
            "page_title": "Données nationales de l'inclusion numérique",
            "synthese": synthese,
            "graphiques": selectors.graphiques(synthese),
            "departements": departements,
            "tri": tri,
        },
    )


@login_not_required
@require_safe
def sources(request):
    runs = selectors.derniers_imports()
    return render(
        request,
        "diagnostic/sources.html",
        {
            "page_title": "Sources des données",
            "sources": [(info, runs.get(info.source)) for info in SOURCES],
            "referentiel": REFERENTIEL,
        },
    )
