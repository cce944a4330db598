"""The API's operations: one list and one detail per resource, all answered from the data sets'
declarations (`jeux`) through the public selectors. A list costs a fixed number of queries: the
count, the page's keys, its rows, and the data set's grouped queries for that page (a deep page
costs what the first does: `selectors.tranche`)."""

import math

from django.http import Http404
from ninja import Path, Query

from territoires.enums import TypeCollectivite
from territoires.search import search_collectivites

from .. import jeux, selectors
from ..demonstration import publier_demonstration
from ..schema import Filtres, Jeu
from . import api
from .problemes import ParametreInvalide, Probleme
from .schemas import (
    CODE_DEPARTEMENT,
    CODE_REGION,
    SIREN,
    Pagination,
    ParametresCommunes,
    ParametresDiagnostic,
    ParametresEpci,
    ParTerritoire,
    schema_ligne,
    schema_page,
)

# The best matches of a search, at most: beyond, a reuser narrows the search.
RECHERCHE_MAX = 200

LIGNES = {slug: schema_ligne(jeu) for slug, jeu in jeux.TOUS.items()}
PAGES = {slug: schema_page(jeu, LIGNES[slug]) for slug, jeu in jeux.TOUS.items()}
ERREURS = {400: Probleme, 429: Probleme}
ERREURS_DETAIL = {400: Probleme, 404: Probleme, 429: Probleme}

DONNEES = "Données ouvertes"
REFERENTIEL = "Référentiel territorial"


# --- Helpers -------------------------------------------------------------------------------------


def _refuse_unknown(request, accepted: set[str]) -> None:
    unknown = sorted(set(request.GET) - accepted)
    if unknown:
        liste = ", ".join(f"« {nom} »" for nom in sorted(accepted)) or "aucun"
        raise ParametreInvalide(
            [
                (nom, f"Le paramètre « {nom} » n'existe pas ici. Paramètres acceptés : {liste}.")
                for nom in unknown
            ]
        )


def _check_codes(filtres: Filtres) -> None:
    erreurs = []
    if filtres.region and not selectors.region_existe(filtres.region):
        erreurs.append(("region", f"Aucune région ne porte le code « {filtres.region} »."))
    if filtres.departement and not selectors.departement_existe(filtres.departement):
        erreurs.append(("departement", f"Aucun département ne porte le code « {filtres.departement} »."))
    if filtres.epci and not selectors.epci_existe(filtres.epci):
        erreurs.append(("epci", f"Aucun EPCI ne porte le SIREN « {filtres.epci} »."))
    if erreurs:
        raise ParametreInvalide(erreurs)


def _filtres(request, params: Pagination) -> Filtres:
    _refuse_unknown(request, set(type(params).model_fields))
    filtres = Filtres(
        region=getattr(params, "region", None),
        departement=getattr(params, "departement", None),
        epci=getattr(params, "epci", None),
    )
    _check_codes(filtres)
    return filtres


def _url(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _page(request, jeu: Jeu, params: Pagination, objets, total: int) -> dict:
    pages = max(1, math.ceil(total / params.par_page))
    if params.page > pages:
        raise ParametreInvalide(
            [
                (
                    "page",
                    f"La page {params.page} n'existe pas : la liste compte {pages} page{'s' if pages > 1 else ''}.",
                )
            ]
        )
    debut = (params.page - 1) * params.par_page
    tranche = selectors.tranche(objets, debut, debut + params.par_page)
    return {
        "total": total,
        "page": params.page,
        "pages": pages,
        "par_page": params.par_page,
        "page_suivante": _url(request, params.page + 1) if params.page < pages else None,
        "page_precedente": _url(request, params.page - 1) if params.page > 1 else None,
        "resultats": jeu.lignes(tranche, demonstration=publier_demonstration()),
    }


def liste(request, jeu: Jeu, params: Pagination) -> dict:
    filtres = _filtres(request, params)
    objets = jeu.objets(filtres=filtres, demonstration=publier_demonstration())
    return _page(request, jeu, params, objets, objets.count())


def recherche(request, jeu: Jeu, params, *, type_: TypeCollectivite) -> dict:
    """The best matches of `params.q` (territoires.search: name, code, postal code, without
    accents), in their order, restricted by the other filters."""
    filtres = _filtres(request, params)
    found = search_collectivites(
        params.q, departement=filtres.departement, types=[type_], limit=RECHERCHE_MAX
    )
    rang = {result.code: index for index, result in enumerate(found)}
    objets = jeu.objets(filtres=filtres, demonstration=publier_demonstration()).filter(code__in=list(rang))
    ordered = sorted(objets, key=lambda obj: rang[obj.code])
    return _page(request, jeu, params, ordered, len(ordered))


def detail(request, jeu: Jeu, objets, message: str) -> dict:
    _refuse_unknown(request, set())
    found = list(objets[:1])
    if not found:
        raise Http404(message)
    return jeu.lignes(found, demonstration=publier_demonstration())[0]


def _objets(jeu: Jeu, **filtres):
    return jeu.objets(filtres=Filtres(**filtres), demonstration=publier_demonstration())


def _doc(jeu: Jeu) -> str:
    return f"{jeu.description}\n\nSchéma des champs : `/donnees-ouvertes/{jeu.slug}/schema.json`."


# --- Open data ------------------------------------------------------------------------------------


@api.get(
    "/gouvernances",
    response={200: PAGES["gouvernances"], **ERREURS},
    url_name="gouvernances",
    operation_id="listerGouvernances",
    summary="Gouvernances, par département",
    description=_doc(jeux.GOUVERNANCES),
    tags=[DONNEES],
)
def gouvernances(request, params: Query[ParTerritoire]):
    return liste(request, jeux.GOUVERNANCES, params)


@api.get(
    "/gouvernances/{code_departement}",
    response={200: LIGNES["gouvernances"], **ERREURS_DETAIL},
    url_name="gouvernance",
    operation_id="lireGouvernance",
    summary="La gouvernance d'un département",
    tags=[DONNEES],
)
def gouvernance(request, code_departement: str = Path(..., pattern=CODE_DEPARTEMENT)):
    return detail(
        request,
        jeux.GOUVERNANCES,
        _objets(jeux.GOUVERNANCES, departement=code_departement),
        f"Aucun département de la campagne ne porte le code « {code_departement} ».",
    )


@api.get(
    "/membres",
    response={200: PAGES["membres"], **ERREURS},
    url_name="membres",
    operation_id="listerMembres",
    summary="Membres des gouvernances",
    description=_doc(jeux.MEMBRES),
    tags=[DONNEES],
)
def membres(request, params: Query[ParTerritoire]):
    return liste(request, jeux.MEMBRES, params)


@api.get(
    "/feuilles-de-route",
    response={200: PAGES["feuilles-de-route"], **ERREURS},
    url_name="feuilles_de_route",
    operation_id="listerFeuillesDeRoute",
    summary="Feuilles de route",
    description=_doc(jeux.FEUILLES_DE_ROUTE),
    tags=[DONNEES],
)
def feuilles_de_route(request, params: Query[ParTerritoire]):
    return liste(request, jeux.FEUILLES_DE_ROUTE, params)


@api.get(
    "/feuilles-de-route/{id}",
    response={200: LIGNES["feuilles-de-route"], **ERREURS_DETAIL},
    url_name="feuille_de_route",
    operation_id="lireFeuilleDeRoute",
    summary="Une feuille de route",
    tags=[DONNEES],
)
def feuille_de_route(request, id: int = Path(..., ge=1)):
    return detail(
        request,
        jeux.FEUILLES_DE_ROUTE,
        _objets(jeux.FEUILLES_DE_ROUTE).filter(pk=id),
        f"Aucune feuille de route publiée ne porte l'identifiant {id}.",
    )


@api.get(
    "/besoins-ingenierie",
    response={200: PAGES["besoins-ingenierie"], **ERREURS},
    url_name="besoins",
    operation_id="listerBesoinsIngenierie",
    summary="Besoins en ingénierie, par département",
    description=_doc(jeux.BESOINS),
    tags=[DONNEES],
)
def besoins(request, params: Query[ParTerritoire]):
    return liste(request, jeux.BESOINS, params)


@api.get(
    "/diagnostic/communes",
    response={200: PAGES["diagnostic-communes"], **ERREURS},
    url_name="diagnostic",
    operation_id="listerDiagnosticCommunes",
    summary="Diagnostic par commune",
    description=_doc(jeux.DIAGNOSTIC),
    tags=[DONNEES],
)
def diagnostic(request, params: Query[ParametresDiagnostic]):
    return liste(request, jeux.DIAGNOSTIC, params)


# --- Territory referential ------------------------------------------------------------------------


@api.get(
    "/regions",
    response={200: PAGES["regions"], **ERREURS},
    url_name="regions",
    operation_id="listerRegions",
    summary="Régions",
    tags=[REFERENTIEL],
)
def regions(request, params: Query[Pagination]):
    return liste(request, jeux.REGIONS, params)


@api.get(
    "/regions/{code}",
    response={200: LIGNES["regions"], **ERREURS_DETAIL},
    url_name="region",
    operation_id="lireRegion",
    summary="Une région",
    tags=[REFERENTIEL],
)
def region(request, code: str = Path(..., pattern=CODE_REGION)):
    return detail(
        request,
        jeux.REGIONS,
        _objets(jeux.REGIONS, region=code),
        f"Aucune région ne porte le code « {code} ».",
    )


@api.get(
    "/departements",
    response={200: PAGES["departements"], **ERREURS},
    url_name="departements",
    operation_id="listerDepartements",
    summary="Départements",
    tags=[REFERENTIEL],
)
def departements(request, params: Query[ParTerritoire]):
    return liste(request, jeux.DEPARTEMENTS, params)


@api.get(
    "/departements/{code}",
    response={200: LIGNES["departements"], **ERREURS_DETAIL},
    url_name="departement",
    operation_id="lireDepartement",
    summary="Un département",
    tags=[REFERENTIEL],
)
def departement(request, code: str = Path(..., pattern=CODE_DEPARTEMENT)):
    return detail(
        request,
        jeux.DEPARTEMENTS,
        _objets(jeux.DEPARTEMENTS, departement=code),
        f"Aucun département ne porte le code « {code} ».",
    )


@api.get(
    "/epci",
    response={200: PAGES["epci"], **ERREURS},
    url_name="epcis",
    operation_id="listerEpci",
    summary="EPCI à fiscalité propre",
    description="Les EPCI qui ont au moins une commune dans la région ou le département demandé ; "
    "avec `q`, les meilleures correspondances (au plus 200) à un nom ou à un SIREN.",
    tags=[REFERENTIEL],
)
def epcis(request, params: Query[ParametresEpci]):
    if params.q:
        return recherche(request, jeux.EPCIS, params, type_=TypeCollectivite.EPCI)
    return liste(request, jeux.EPCIS, params)


@api.get(
    "/epci/{code}",
    response={200: LIGNES["epci"], **ERREURS_DETAIL},
    url_name="epci",
    operation_id="lireEpci",
    summary="Un EPCI",
    tags=[REFERENTIEL],
)
def epci(request, code: str = Path(..., pattern=SIREN)):
    return detail(
        request, jeux.EPCIS, _objets(jeux.EPCIS, epci=code), f"Aucun EPCI ne porte le SIREN « {code} »."
    )


@api.get(
    "/communes",
    response={200: PAGES["communes"], **ERREURS},
    url_name="communes",
    operation_id="listerCommunes",
    summary="Communes",
    description="Les communes, filtrées par région, département ou EPCI ; avec `q`, les meilleures "
    "correspondances (au plus 200) à un nom, un code Insee ou un code postal, sans tenir compte des accents.",
    tags=[REFERENTIEL],
)
def communes(request, params: Query[ParametresCommunes]):
    if params.q:
        return recherche(request, jeux.COMMUNES, params, type_=TypeCollectivite.COMMUNE)
    return liste(request, jeux.COMMUNES, params)


@api.get(
    "/communes/{code}",
    response={200: LIGNES["communes"], **ERREURS_DETAIL},
    url_name="commune",
    operation_id="lireCommune",
    summary="Une commune",
    tags=[REFERENTIEL],
)
def commune(request, code: str = Path(..., pattern=r"^(\d{5}|2[AB]\d{3})$")):
    return detail(
        request,
        jeux.COMMUNES,
        _objets(jeux.COMMUNES).filter(code=code),
        f"Aucune commune ne porte le code « {code} ».",
    )
