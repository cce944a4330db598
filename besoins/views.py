"""Thin views: fetch the département through comptes.perms, parse a form, call one service,
redirect or render."""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from comptes import perms
from core.breadcrumbs import breadcrumb, departement_link
from core.cache import cached_content
from core.exports import EXPORT_FORMATS, export_response
from core.versioning import StaleVersion, VersionOnlyForm
from gouvernances.selectors import edition_key

from . import rules, selectors, services
from .enums import Item
from .forms import SelectionForm, initial_for, lenient_lignes
from .resources import BesoinExportResource, ConsolidationExportResource

# --- A département's besoins -------------------------------------------------------------------

BESOINS = "Besoins en ingénierie"


def _page(request, code, *, write=False):
    departement = perms.get_departement_for_user_or_404(request.user, code, write=write)
    return selectors.besoins_page(user=request.user, departement=departement)


def _breadcrumb(departement, current: str | None = None) -> dict:
    """The département, then « Besoins en ingénierie », then the step (`current`) if any."""
    link = departement_link(departement)
    if current is None:
        return breadcrumb(link, current=BESOINS)
    synthese = reverse("besoins:synthese", kwargs={"code": departement.code})
    return breadcrumb(link, (BESOINS, synthese), current=current)


@require_GET
def synthese(request, code):
    """/departements/<code>/besoins/: what is stored, the totals, the priority order."""
    departement = perms.get_departement_for_user_or_404(request.user, code)

    def render_contenu() -> str:
        page = selectors.besoins_page(user=request.user, departement=departement)
        return render_to_string("besoins/includes/synthese_contenu.html", {"page": page}, request=request)

    # Besides the data, the content varies only with the write window (its banner and links).
    window = hashlib.sha256(repr(edition_key(request.user, departement)).encode()).hexdigest()[:16]
    contenu = cached_content(
        request,
        f"besoins:synthese:{departement.code}:{window}",
        render_contenu,
        depends_on=selectors.DEPENDS_ON,
        parameters=(),
    )
    return render(
        request,
        "besoins/besoins_synthese.html",
        {
            "contenu": contenu,
            "page_title": f"{BESOINS} — {departement.nom}",
            "breadcrumb_data": _breadcrumb(departement),
        },
    )


def selection(request, code):
    """Step 1: select the items and say how each would be met."""
    page = _page(request, code, write=request.method == "POST")
    conflit = None
    if request.method == "POST" and page.gouvernance is not None:
        form = SelectionForm(request.POST)
        if form.is_valid():
            try:
                services.besoins_save(
                    gouvernance=page.gouvernance,
                    user=request.user,
                    version=form.cleaned_data["version"],
                    lignes=form.lignes(),
                    chef_de_projet=form.chef_de_projet_value,
                    chef_de_projet_structure=form.cleaned_data["chef_de_projet_structure"],
                    etudes=form.etudes_list,
                    aucun_besoin=form.cleaned_data["aucun_besoin"],
                )
            except StaleVersion as exc:
                conflit = exc
                form.rebind_after_conflict(version=exc.current_version)
            except ValidationError as exc:
                form.apply_service_error(exc)
            else:
                if form.cleaned_data["aucun_besoin"]:
                    messages.success(request, "Votre réponse est enregistrée : aucun besoin en ingénierie.")
                    return redirect("besoins:synthese", code=code)
                messages.success(
                    request, "Vos besoins sont enregistrés. Classez-les maintenant par priorité."
                )
                return redirect("besoins:priorisation", code=code)
    else:
        form = SelectionForm(initial=initial_for(page))
    return render(
        request,
        "besoins/besoins_selection.html",
        {
            "page": page,
            "form": form,
            "conflit": conflit,
            "totaux": _totaux_of(form, page),
            "page_title": f"{BESOINS} — sélection — {page.departement.nom}",
            "breadcrumb_data": _breadcrumb(page.departement, "Sélection"),
        },
        status=409 if conflit else 200,
    )


def _totaux_of(form, page) -> rules.Totaux:
    if form.is_bound:
        return rules.totaux(lenient_lignes(form.data))
    return page.totaux


@require_POST
def totaux(request, code):
    """The live counters of step 1 (htmx): computed by the server from what is typed, saved nowhere."""
    perms.get_departement_for_user_or_404(request.user, code, write=True)
    return render(
        request, "besoins/includes/totaux.html", {"totaux": rules.totaux(lenient_lignes(request.POST))}
    )


def priorisation(request, code):
    """Step 2: order the prestation cards, the formation cards and the combined RH card.
    « Monter » / « Descendre » are plain submit buttons (each saves the order); a script moves
    the cards without a round-trip when it can."""
    page = _page(request, code, write=request.method == "POST")
    version_form = VersionOnlyForm(
        request.POST if request.method == "POST" else None, initial={"version": page.version}
    )
    cartes, conflit = page.cartes, None
    if request.method == "POST" and page.besoins is not None:
        ordre = request.POST.getlist("ordre")
        deplacer = request.POST.get("deplacer", "")
        if ":" in deplacer:
            direction, cle = deplacer.split(":", 1)
            if rules.ordre_valide(ordre, [c.cle for c in page.cartes]):
                ordre = rules.deplacer(ordre, cle, direction)
        if not version_form.is_valid():
            for message in version_form.errors["version"]:
                messages.error(request, message)
            return redirect("besoins:priorisation", code=code)
        try:
            services.besoins_prioritise(
                besoins=page.besoins,
                user=request.user,
                version=version_form.cleaned_data["version"],
                ordre=ordre,
            )
        except StaleVersion as exc:
            conflit = exc
            version_form.rebind_after_conflict(version=exc.current_version)
            cartes = page.cartes_in(ordre)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("besoins:priorisation", code=code)
        else:
            if deplacer:
                return redirect(
                    reverse("besoins:priorisation", kwargs={"code": code}) + f"#carte-{cle_of(deplacer)}"
                )
            messages.success(request, "L'ordre de priorité de vos besoins est enregistré.")
            return redirect("besoins:synthese", code=code)
    return render(
        request,
        "besoins/besoins_priorisation.html",
        {
            "page": page,
            "cartes": cartes,
            "version_form": version_form,
            "conflit": conflit,
            "page_title": f"{BESOINS} — priorisation — {page.departement.nom}",
            "breadcrumb_data": _breadcrumb(page.departement, "Priorisation"),
        },
        status=409 if conflit else 200,
    )


def cle_of(deplacer: str) -> str:
    return deplacer.split(":", 1)[-1]


# --- National consolidation --------------------------------------------------------------------

BESOINS_NATIONAL = "Besoins en ingénierie (national)"


@require_GET
def national(request):
    perms.require_national(request.user)

    def render_contenu() -> str:
        return render_to_string(
            "besoins/includes/national_contenu.html",
            {"consolidation": selectors.consolidation(user=request.user)},
            request=request,
        )

    # The same for every national viewer (administrators and the démo account read the same
    # figures and exports; nothing on it writes).
    contenu = cached_content(
        request,
        "besoins:national",
        render_contenu,
        depends_on=selectors.CONSOLIDATION_DEPENDS_ON,
        parameters=(),
    )
    return render(
        request,
        "besoins/national.html",
        {
            "contenu": contenu,
            "page_title": BESOINS_NATIONAL,
            "breadcrumb_data": breadcrumb(
                ("Départements", reverse("espace:departements")), current=BESOINS_NATIONAL
            ),
        },
    )


@require_GET
def national_item(request, item):
    perms.require_national(request.user)
    if item not in Item.values:
        raise Http404("Besoin inconnu.")
    return render(
        request,
        "besoins/national_item.html",
        {
            "item": Item(item),
            "lignes": selectors.departements_pour_item(user=request.user, item=item),
            "breadcrumb_data": breadcrumb(
                (BESOINS_NATIONAL, reverse("besoins:national")), current=Item(item).label
            ),
            "page_title": f"Besoins en ingénierie — {Item(item).label}",
        },
    )


EXPORTS = {
    "par-besoin": (ConsolidationExportResource, "besoins-national-par-besoin"),
    "par-departement": (BesoinExportResource, "besoins-national-par-departement"),
}


@require_GET
def national_export(request, vue, fmt):
    perms.require_national(request.user)
    if vue not in EXPORTS or fmt not in EXPORT_FORMATS:
        raise Http404("Export inconnu.")
    resource_class, stem = EXPORTS[vue]
    if vue == "par-besoin":
        rows = selectors.consolidation(user=request.user).items
    else:
        rows = selectors.lignes_export(user=request.user)
    return export_response(resource_class(), rows, fmt=fmt, stem=stem)
