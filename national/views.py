"""Thin views of the national consolidation. Every view starts with `perms.require_national`:
administrators all, démo read-only (403 on writes), others 404."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from comptes import perms
from core.breadcrumbs import breadcrumb
from core.cache import cached_content
from core.exports import EXPORT_FORMATS, export_response
from core.links import url_maker
from diagnostic.cartes import choisir
from feuilles_de_route.enums import Indicateur
from gouvernances.selectors import gouvernance_for
from territoires.geo.cartes import carte_france

from . import filters, resources, selectors, services
from .cartes import INDICATEURS_NATIONAUX, lignes_carte
from .cibles import cibles_nationales
from .forms import ReouvertureForm, SuiviForm
from .graphiques import graphiques_tableau_de_bord

PAR_PAGE = 50
CONSOLIDATION = "Consolidation nationale"


def _breadcrumb(current: str) -> dict:
    return breadcrumb((CONSOLIDATION, reverse("national:tableau_de_bord")), current=current)


@dataclass(frozen=True)
class Table:
    titre: str
    stem: str
    selector: Callable
    filterset: type
    colonnes: tuple[tuple[str, str], ...]  # (label, sort key or "")
    lignes: str  # the include that renders the rows
    resource: Callable  # (user) -> the export resource this viewer gets
    post: Callable = list  # applied to the page's rows (and the export's) after the query
    # The page's links per row: (attribute set on the row, URL name, attribute giving its argument).
    liens: tuple[tuple[str, str, str], ...] = ()


TABLES = {
    "gouvernances": Table(
        titre="Gouvernances par département",
        stem="gouvernances",
        selector=selectors.gouvernances_table,
        filterset=filters.GouvernancesFilter,
        colonnes=(
            ("Département", "code"),
            ("Région", "region"),
            ("Statut", "statut"),
            ("Pressentie remontée le", "pressentie"),
            ("Définitive remontée le", "definitive"),
            ("Co-porteurs", "coporteurs"),
            ("Membres", "membres"),
            ("Feuilles de route", "feuilles"),
            ("Besoins", "besoins"),
        ),
        lignes="national/includes/lignes_gouvernances.html",
        resource=lambda user: (
            resources.GouvernanceSuiviResource()
            if perms.can_read_suivi(user)
            else resources.GouvernanceResource()
        ),
        post=selectors.attach_coporteurs,
        liens=(
            ("url_departement", "national:departement", "code"),
            ("url_gouvernance", "gouvernances:detail", "code"),
            ("url_candidats", "candidatures:liste", "code"),
            ("url_besoins", "besoins:synthese", "code"),
        ),
    ),
    "membres": Table(
        titre="Membres des gouvernances",
        stem="membres",
        selector=selectors.membres_table,
        filterset=filters.MembresFilter,
        colonnes=(
            ("Département", "departement"),
            ("Membre", ""),
            ("Type", "type"),
            ("Co-porteur", "coporteur"),
            ("Référent", "referent"),
            ("Suppléant", ""),
        ),
        lignes="national/includes/lignes_membres.html",
        resource=lambda user: resources.MembreResource(),
        liens=(("url_departement", "national:departement", "gouvernance.departement_id"),),
    ),
    "feuilles-de-route": Table(
        titre="Feuilles de route",
        stem="feuilles-de-route",
        selector=selectors.feuilles_table,
        filterset=filters.FeuillesFilter,
        colonnes=(
            ("Département", "departement"),
            ("Feuille de route", "nom"),
            ("Porteur", ""),
            ("Périmètre", "perimetre"),
            ("EPCI", "epci"),
            ("Document", "document"),
            ("Approuvée le", "approuvee"),
        ),
        lignes="national/includes/lignes_feuilles.html",
        resource=lambda user: resources.FeuilleResource(),
        liens=(("url_departement", "national:departement", "gouvernance.departement_id"),),
    ),
    "candidats": Table(
        titre="Candidats (manifestations d'intérêt confirmées)",
        stem="candidats",
        selector=selectors.candidats_table,
        filterset=filters.CandidatsFilter,
        colonnes=(
            ("Déposé le", "date"),
            ("Collectivité ou structure", ""),
            ("Typologie", "typologie"),
            ("Intention", "intention"),
            ("Départements", ""),
            ("Contact", ""),
        ),
        lignes="national/includes/lignes_candidats.html",
        resource=lambda user: resources.CandidatResource(),
        post=selectors.attach_departements,
    ),
}


def _table(name: str) -> Table:
    if name not in TABLES:
        raise Http404("Tableau inconnu.")
    return TABLES[name]


def _departement_or_404(request, code: str, *, write: bool = False):
    perms.require_national(request.user, write=write)
    departement = selectors.departement_campagne(code)
    perms.or_404(departement is not None, perms.DEPARTEMENT_NOT_FOUND)
    return departement


def _filtered(request, table: Table):
    queryset = table.selector(user=request.user)
    return table.filterset(request.GET or None, queryset=queryset, user=request.user)


def _colonnes(table: Table, tri: str) -> list[dict]:
    """Header links: a click sorts, a second click reverses."""
    return [
        {
            "libelle": libelle,
            "cle": cle,
            "lien": f"-{cle}" if tri == cle else cle,
            "sens": "ascending" if cle and tri == cle else "descending" if cle and tri == f"-{cle}" else "",
        }
        for libelle, cle in table.colonnes
    ]


def _with_links(rows: list, liens: tuple[tuple[str, str, str], ...]) -> list:
    for attribute, viewname, source in liens:
        make = url_maker(viewname)
        for row in rows:
            value = row
            for part in source.split("."):
                value = getattr(value, part)
            setattr(row, attribute, make(value))
    return rows


def _scope(filterset) -> str:
    region = filterset.region_choisie
    return f"region-{region.code}-{slugify(region.nom)}" if region else "national"


def _carte_nationale(request) -> dict:
    indicateur = choisir(INDICATEURS_NATIONAUX, request.GET.get("carte"))
    lignes = lignes_carte(user=request.user)
    carte = carte_france(
        identifiant="carte-departements",
        titre=f"{indicateur.libelle}, par département",
        noms={ligne.code: ligne.nom for ligne in lignes},
        valeurs={ligne.code: indicateur.valeur(ligne) for ligne in lignes},
        echelle=indicateur.echelle,
        lien=lambda code: reverse("national:departement", kwargs={"code": code}),
    )
    return {
        "carte": carte,
        "carte_formes": sorted(carte.formes, key=lambda f: f.code),
        "carte_choix": [(i.cle, i.libelle) for i in INDICATEURS_NATIONAUX.values()],
        "carte_choisie": indicateur.cle,
        "postes_coordinateurs": sum(ligne.postes_coordinateurs for ligne in lignes),
        "lignes_carte": lignes,
    }


def _contenu_tableau_de_bord(request) -> str:
    bord = selectors.tableau_de_bord(user=request.user)
    return render_to_string(
        "national/includes/tableau_de_bord_contenu.html",
        {
            "bord": bord,
            "tables": TABLES,
            "graphiques": graphiques_tableau_de_bord(bord),
            **_carte_nationale(request),
        },
        request=request,  # for the links that keep the query string
    )


@require_GET
def tableau_de_bord(request):
    perms.require_national(request.user)
    contenu = cached_content(
        request,
        "national:tableau-de-bord",
        lambda: _contenu_tableau_de_bord(request),
        depends_on=selectors.DEPENDS_ON,
        parameters={"carte"},
    )
    return render(
        request,
        "national/tableau_de_bord.html",
        {
            "page_title": CONSOLIDATION,
            "breadcrumb_data": breadcrumb(current=CONSOLIDATION),
            "contenu": contenu,
        },
    )


INDICATEURS_TITRE = "Cibles des feuilles de route"
EXPORTS_CIBLES = {
    "cibles": (resources.CibleResource, "cibles-des-feuilles-de-route"),
    "cofinancements": (resources.CofinancementResource, "cofinancements-des-feuilles-de-route"),
}


def _cibles(request):
    perms.require_national(request.user)
    return cibles_nationales(user=request.user, brouillons=request.GET.get("brouillons") == "1")


@require_GET
def indicateurs(request):
    cibles = _cibles(request)
    choisi = request.GET.get("indicateur")
    indicateur = Indicateur(choisi) if choisi in Indicateur.values else Indicateur.LIEUX
    return render(
        request,
        "national/indicateurs.html",
        {
            "page_title": INDICATEURS_TITRE,
            "breadcrumb_data": _breadcrumb(INDICATEURS_TITRE),
            "tables": TABLES,
            "cibles": cibles,
            "indicateur": indicateur,
            "indicateurs_choix": Indicateur.choices,
            "par_departement": cibles.par_departement[indicateur.value],
            "par_region": cibles.par_region[indicateur.value],
        },
    )


@require_GET
def indicateurs_export(request, vue, fmt):
    cibles = _cibles(request)
    if vue not in EXPORTS_CIBLES or fmt not in EXPORT_FORMATS:
        raise Http404("Export inconnu.")
    resource, stem = EXPORTS_CIBLES[vue]
    if vue == "cibles":
        rows = [(i, ligne) for i in Indicateur for ligne in cibles.par_departement[i.value]]
    else:
        rows = cibles.cofinancements
    suffix = "avec-brouillons" if cibles.brouillons else "approuvees"
    return export_response(resource(), rows, fmt=fmt, stem=f"{stem}-{suffix}")


def _contenu_table(request, table: str, *, suivi_visible: bool) -> str:
    spec = _table(table)
    filterset = _filtered(request, spec)
    page = Paginator(filterset.qs, PAR_PAGE).get_page(request.GET.get("page"))
    tri = request.GET.get("tri", "")
    return render_to_string(
        "national/includes/table_contenu.html",
        {
            "table": spec,
            "nom_table": table,
            "tables": TABLES,
            "filtre": filterset,
            "page_obj": page,
            "lignes": _with_links(spec.post(page.object_list), spec.liens),
            "colonnes": _colonnes(spec, tri),
            "tri": tri,
            "suivi_visible": suivi_visible,
            "scope": _scope(filterset),
        },
        request=request,  # for the links that keep the query string
    )


@require_GET
def table(request, table):
    perms.require_national(request.user)
    spec = _table(table)
    # ANCT's follow-up column is shown to those who may read it: two versions of the content.
    suivi_visible = perms.can_read_suivi(request.user)
    contenu = cached_content(
        request,
        f"national:table:{table}:{'suivi' if suivi_visible else 'sans-suivi'}",
        lambda: _contenu_table(request, table, suivi_visible=suivi_visible),
        depends_on=selectors.DEPENDS_ON,
        parameters={*spec.filterset.base_filters, "page"},
    )
    return render(
        request,
        "national/table.html",
        {"page_title": spec.titre, "breadcrumb_data": _breadcrumb(spec.titre), "contenu": contenu},
    )


@require_GET
def export(request, table, fmt):
    perms.require_national(request.user)
    spec = _table(table)
    if fmt not in EXPORT_FORMATS:
        raise Http404("Format inconnu.")
    filterset = _filtered(request, spec)
    region = filterset.region_choisie
    return export_response(
        spec.resource(request.user),
        spec.post(filterset.qs),
        fmt=fmt,
        stem=f"{spec.stem}-{_scope(filterset)}",
        # The région is in the stem already; the other filters are named after it.
        filterset=filterset,
        exclude_filters=("region",),
        sheet=f"{spec.resource(request.user).sheet_title} — {region.nom if region else 'France'}",
    )


def _fiche_context(request, departement, **forms):
    fiche = selectors.fiche_departement(user=request.user, departement=departement)
    suivi = fiche.suivi
    page_title = f"Suivi national — {departement.nom}"
    context = {
        "page_title": page_title,
        "breadcrumb_data": _breadcrumb(page_title),
        "fiche": fiche,
        "suivi_form": forms.get("suivi_form")
        or SuiviForm(
            initial={"commentaire": suivi.commentaire, "probleme": suivi.probleme} if suivi else None
        ),
        "reouverture_form": forms.get("reouverture_form") or ReouvertureForm(),
    }
    return context


@require_GET
def departement(request, code):
    departement = _departement_or_404(request, code)
    return render(request, "national/departement.html", _fiche_context(request, departement))


@require_POST
def suivi(request, code):
    departement = _departement_or_404(request, code, write=True)
    form = SuiviForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "national/departement.html",
            _fiche_context(request, departement, suivi_form=form),
            status=400,
        )
    services.suivi_save(departement=departement, user=request.user, **form.cleaned_data)
    messages.success(request, "Le suivi du département est enregistré.")
    return redirect("national:departement", code=code)


@require_POST
def rouvrir(request, code):
    departement = _departement_or_404(request, code, write=True)
    gouvernance = gouvernance_for(user=request.user, departement=departement)
    perms.or_404(gouvernance is not None, "Ce département n'a pas encore de gouvernance.")
    form = ReouvertureForm(request.POST)
    if form.is_valid():
        try:
            services.gouvernance_reopen_and_notify(
                gouvernance=gouvernance, user=request.user, jusquau=form.cleaned_data["jusquau"]
            )
        except ValidationError as exc:
            form.add_error("jusquau", exc)
        else:
            messages.success(
                request,
                f"Le formulaire est rouvert jusqu'au {form.cleaned_data['jusquau']:%d/%m/%Y} ; "
                "la préfecture en est informée par e-mail.",
            )
            return redirect("national:departement", code=code)
    return render(
        request,
        "national/departement.html",
        _fiche_context(request, departement, reouverture_form=form),
        status=400,
    )
