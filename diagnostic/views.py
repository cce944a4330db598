"""Public data pages (like the real platform's): no login, nothing but open data on them."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.breadcrumbs import breadcrumb
from core.cache import cached_content, cached_page
from core.exports import EXPORT_FORMATS, export_response
from territoires.geo.cartes import carte_communes, carte_france
from territoires.models import Departement

from . import selectors
from .cartes import INDICATEURS_COMMUNES, INDICATEURS_DEPARTEMENTS, POINTS, choisir, points_lieux
from .enums import SEUIL_FORTE_FRAGILITE, SOUS_INDICES
from .filters import CommuneIndicateursFilter
from .resources import CommuneExportResource
from .sources import GEOMETRIE, REFERENTIEL, SOURCES

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


def _carte_communes(request, departement, tri: str) -> dict:
    """The commune map (one query for every commune, in the table's order, one for the lieux):
    each commune links to its row of the table, on the page where the unfiltered table shows it."""
    indicateur = choisir(INDICATEURS_COMMUNES, request.GET.get("carte"))
    par = request.GET.get("points") if request.GET.get("points") in POINTS else "label"
    toutes = list(
        CommuneIndicateursFilter(
            {"tri": tri}, queryset=selectors.communes_indicateurs(departement), departement=departement
        ).qs
    )

    def lien(code: str) -> str:
        page = positions[code] // COMMUNES_PAR_PAGE + 1
        query = {
            k: v for k, v in (("tri", tri), ("carte", indicateur.cle), ("points", par), ("page", page)) if v
        }
        return f"?{urlencode(query)}#commune-{code}"

    positions = {c.code: i for i, c in enumerate(toutes)}
    lieux = list(selectors.lieux_geolocalises(departement))
    points, legende_points = points_lieux(lieux, par=par)
    carte = carte_communes(
        identifiant="carte-communes",
        titre=f"{indicateur.libelle} — {departement.nom}, avec les lieux de médiation numérique",
        departement=departement.code,
        noms={c.code: c.nom for c in toutes},
        valeurs={c.code: indicateur.valeur(c) for c in toutes},
        echelle=indicateur.echelle,
        lien=lien,
        lieux=points,
        legende_points=legende_points,
    )
    return {
        "carte": carte,
        "carte_conserver": [("tri", tri)],
        "lieux_geolocalises": lieux,
        "sous_indices": SOUS_INDICES,
        "carte_choix": [(i.cle, i.libelle) for i in INDICATEURS_COMMUNES.values()],
        "carte_choisie": indicateur.cle,
        "points_choix": list(POINTS.items()),
        "points_choisis": par,
        "lieux_carte": points,
        "communes_sans_lieu": sorted(
            (c for c in toutes if c.nb_lieux == 0), key=lambda c: (-c.population, c.nom)
        ),
        "communes_fragiles": sorted(
            (c for c in toutes if c.ifn is not None and c.ifn >= SEUIL_FORTE_FRAGILITE),
            key=lambda c: (-c.ifn, c.nom),
        ),
        "seuil_fragilite": SEUIL_FORTE_FRAGILITE,
    }


# The query parameters the page reads (its filters, sort, page and map choices). A request with
# these alone gets the cached content; any other parameter is rendered without the cache, so that
# made-up parameters cannot fill it.
PARAMETRES_PAGE = frozenset({"nom", "epci", "sans_lieu", "ifn_min", "tri", "page", "carte", "points"})


def _contenu_donnees(request, departement) -> str:
    """The page's content: open data only, the same for every visitor (the links keep the
    request's query string), so it is rendered once per set of parameters and cached until an
    import or the referential changes it (the indicators' generations, core/cache.py)."""
    synthese = selectors.synthese_diagnostic(departement)
    activite = selectors.activite_conseillers_numeriques(departement)
    communes = _communes_filter(request, departement)
    page = Paginator(communes.qs, COMMUNES_PAR_PAGE).get_page(request.GET.get("page"))
    tri = request.GET.get("tri", "")
    return render_to_string(
        "diagnostic/includes/departement_donnees_contenu.html",
        {
            "departement": departement,
            "synthese": synthese,
            "graphiques": selectors.graphiques(synthese, activite),
            "activite": activite,
            "ifn_detail": selectors.ifn_detail(departement),
            "filtre": communes,
            "page_obj": page,
            "epcis": selectors.epcis_indicateurs(departement),
            "colonnes": _colonnes(tri),
            "tri": tri,
            **_carte_communes(request, departement, tri),
        },
        # For the links that keep the query string ({% querystring %}). The content template
        # reads nothing of the visitor's (no user, no CSRF token): every visitor gets it.
        request=request,
    )


@login_not_required
@require_safe
@cached_page(depends_on=selectors.DEPENDS_ON, parameters=PARAMETRES_PAGE)
def departement_donnees(request, code):
    departement = _departement(code)
    contenu = cached_content(
        request,
        f"diagnostic:page-departement:{departement.code}",
        lambda: _contenu_donnees(request, departement),
        depends_on=selectors.DEPENDS_ON,
        parameters=PARAMETRES_PAGE,
    )
    return render(
        request,
        "diagnostic/departement_donnees.html",
        {
            "page_title": f"Données de l'inclusion numérique — {departement.nom}",
            "breadcrumb_data": breadcrumb(
                ("Données nationales", reverse("diagnostic:national")), current=departement.nom
            ),
            "contenu": contenu,
        },
    )


@login_not_required
@require_safe
@cached_page(depends_on=selectors.DEPENDS_ON)
def commune(request, code, insee):
    """A commune's panel: its figures, the IFN's sub-indices, its lieux and Aidants Connect structures."""
    departement = _departement(code)
    panneau = selectors.commune_panneau(departement=departement, code=insee)
    if panneau is None:
        raise Http404("Commune introuvable dans ce département.")
    return render(
        request,
        "diagnostic/commune.html",
        {
            "page_title": f"{panneau.commune.nom} — données de l'inclusion numérique",
            "breadcrumb_data": breadcrumb(
                ("Données nationales", reverse("diagnostic:national")),
                (departement.nom, reverse("diagnostic:departement", kwargs={"code": departement.code})),
                current=panneau.commune.nom,
            ),
            "departement": departement,
            "panneau": panneau,
            "seuil_fragilite": SEUIL_FORTE_FRAGILITE,
        },
    )


@login_not_required
@require_safe
def departement_communes_export(request, code, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404("Format inconnu.")
    departement = _departement(code)
    communes = _communes_filter(request, departement)
    return export_response(
        CommuneExportResource(),
        communes.qs,
        fmt=fmt,
        stem="inclusion-numerique-communes",
        departement=departement,
        filterset=communes,
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
@cached_page(depends_on=selectors.DEPENDS_ON, parameters=("tri", "carte"))
def national_donnees(request):
    tri = request.GET.get("tri", "code")
    descending = tri.startswith("-")
    key = NATIONAL_TRIS.get(tri.lstrip("-"), NATIONAL_TRIS["code"])
    departements = sorted(selectors.departements_indicateurs(), key=key, reverse=descending)
    synthese = selectors.synthese_diagnostic(None)
    activite = selectors.activite_conseillers_numeriques(None)
    indicateur = choisir(INDICATEURS_DEPARTEMENTS, request.GET.get("carte"))
    carte = carte_france(
        identifiant="carte-departements",
        titre=f"{indicateur.libelle}, par département",
        noms={d.code: d.nom for d in departements},
        valeurs={d.code: indicateur.valeur(d) for d in departements},
        echelle=indicateur.echelle,
        lien=lambda code: reverse("diagnostic:departement", kwargs={"code": code}),
    )
    return render(
        request,
        "diagnostic/national_donnees.html",
        {
            "page_title": "Données nationales de l'inclusion numérique",
            "synthese": synthese,
            "graphiques": selectors.graphiques(synthese, activite),
            "activite": activite,
            "ifn_detail": selectors.ifn_detail(None),
            "departements": departements,
            "tri": tri,
            "carte": carte,
            "carte_choix": [(i.cle, i.libelle) for i in INDICATEURS_DEPARTEMENTS.values()],
            "carte_choisie": indicateur.cle,
            "carte_formes": sorted(carte.formes, key=lambda f: f.code),
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
            "geometrie": GEOMETRIE,
        },
    )
