"""Gouvernance pages. Views parse, call one service and redirect, or render; access goes
through comptes.perms (404 outside the viewer's scope, 403 for read-only roles on writes)."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from comptes import perms
from core.breadcrumbs import breadcrumb, departement_link
from core.cache import cached_content, cached_page
from core.versioning import StaleVersion, VersionOnlyForm
from feuilles_de_route.selectors import couverture
from territoires.models import Departement

from . import forms, selectors, services
from .enums import Section, StatutGouvernance


def _validation_messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _breadcrumb(departement, current: str, *, under_gouvernance: bool = False) -> dict:
    links = [departement_link(departement)]
    if under_gouvernance:
        links.append(("Gouvernance", reverse("gouvernances:detail", kwargs={"code": departement.code})))
    return breadcrumb(*links, current=current)


def _common_context(request, departement, gouvernance) -> dict:
    return {
        "departement": departement,
        "gouvernance": gouvernance,
        "edition": selectors.edition(gouvernance, request.user, departement=departement),
        "sections": Section,
        "echeance": selectors.echeance_gouvernance(),
        "breadcrumb_data": _breadcrumb(departement, "Gouvernance"),
    }


def gouvernance_detail(request, code):
    """The gouvernance of a département: the whole form before its first save, then a summary of
    the seven sections with a link to edit each one and the buttons to send it to ANCT."""
    departement = perms.get_departement_for_user_or_404(request.user, code, write=request.method == "POST")
    gouvernance = selectors.gouvernance_for(user=request.user, departement=departement)
    # A creation page sends the version it read (0: no gouvernance yet). Posted after someone
    # else created the gouvernance, it still reaches the service, which refuses it as stale:
    # the page comes back with what the agent typed instead of dropping it on a redirect.
    if gouvernance is None or (request.method == "POST" and "version" in request.POST):
        return _gouvernance_create(request, departement)
    if request.method == "POST":
        return redirect("gouvernances:detail", code=code)
    context = _common_context(request, departement, gouvernance)

    def render_contenu() -> str:
        contenu = selectors.gouvernance_contenu(gouvernance=gouvernance)
        return render_to_string(
            "gouvernances/includes/gouvernance_detail_contenu.html",
            {
                **context,
                "contenu": contenu,
                "couverture": couverture(
                    departement=departement, perimetres=selectors.perimetres_of(contenu)
                ),
                "problemes": services.gouvernance_problems(contenu=contenu),
                "statuts": StatutGouvernance,
            },
            request=request,
        )

    # The page differs only by the write window (its banner and links) and by today's step of
    # the campaign; the rest is the gouvernance's data, cached until they change.
    window = hashlib.sha256(repr((context["edition"], context["echeance"], timezone.localdate())).encode())
    page_contenu = cached_content(
        request,
        f"gouvernances:detail:{departement.code}:{window.hexdigest()[:16]}",
        render_contenu,
        depends_on=selectors.DEPENDS_ON,
        parameters=(),
    )
    return render(
        request,
        "gouvernances/gouvernance_detail.html",
        {"breadcrumb_data": context["breadcrumb_data"], "page_contenu": page_contenu},
    )


def _gouvernance_create(request, departement):
    context = _common_context(request, departement, None)
    if not context["edition"].possible:
        return render(request, "gouvernances/gouvernance_vide.html", context)
    candidats = [
        *selectors.candidats_membres(user=request.user, departement=departement),
        *selectors.voisins_membres(departement),
    ]
    epcis = selectors.epcis_du_departement(departement)
    data = request.POST if request.method == "POST" else None
    bundle = forms.GouvernanceForms(data, departement=departement, candidats=candidats, epci_choices=epcis)
    version_form = VersionOnlyForm(data, initial={"version": 0})
    erreurs, conflit = [], None
    if request.method == "POST":
        if not version_form.is_valid():
            erreurs.extend(version_form.errors["version"])
        elif bundle.is_valid():
            try:
                services.gouvernance_create(
                    departement=departement, user=request.user, data=bundle.to_input()
                )
            except StaleVersion as exc:
                # No rebinding: a whole form cannot replace the one created meanwhile; the page
                # stays as typed, to be carried over section by section.
                conflit = exc
            except services.FormulaireFerme as exc:
                erreurs.append(str(exc))
            except ValidationError as exc:
                erreurs.extend(_validation_messages(exc))
            else:
                messages.success(
                    request, "La gouvernance est enregistrée. Vous pouvez désormais modifier chaque section."
                )
                return redirect("gouvernances:detail", code=departement.code)
        else:
            erreurs.append(
                "Le formulaire contient des erreurs : elles sont indiquées à côté de chaque champ."
            )
    return render(
        request,
        "gouvernances/gouvernance_form.html",
        {
            **context,
            "forms": bundle,
            "candidats": candidats,
            "membres_suggestions": bundle.resolver.membre_suggestions(),
            "porteurs_suggestions": bundle.resolver.porteur_suggestions(),
            "version_form": version_form,
            "erreurs": erreurs,
            "conflit": conflit,
            "breadcrumb_data": _breadcrumb(departement, "Création d'une gouvernance"),
        },
        status=409 if conflit else (400 if erreurs else 200),
    )


def section_edit(request, code, section):
    try:
        section = Section(section)
    except ValueError as exc:
        raise Http404("Section inconnue.") from exc
    departement = perms.get_departement_for_user_or_404(request.user, code, write=True)
    gouvernance = selectors.gouvernance_for(user=request.user, departement=departement)
    if gouvernance is None:
        return redirect("gouvernances:detail", code=code)
    context = _common_context(request, departement, gouvernance)
    if not context["edition"].possible:
        messages.error(request, context["edition"].raison)
        return redirect("gouvernances:detail", code=code)
    contenu = selectors.gouvernance_contenu(gouvernance=gouvernance)
    candidats = (
        [
            *selectors.candidats_membres(user=request.user, departement=departement),
            *selectors.voisins_membres(departement),
        ]
        if section == Section.MEMBRES
        else []
    )
    kwargs = {
        "contenu": contenu,
        "candidats": candidats,
        "epci_choices": selectors.epcis_du_departement(departement)
        if section == Section.FEUILLES_DE_ROUTE
        else (),
    }
    state = contenu.sections.get(section)
    erreurs, conflit = [], None
    data = request.POST if request.method == "POST" else None
    form = forms.section_form(section, data, **kwargs)
    version_form = VersionOnlyForm(data, initial={"version": state.version if state else 0})
    if request.method == "POST":
        if form.is_valid() and version_form.is_valid():
            try:
                services.section_save(
                    gouvernance=gouvernance,
                    user=request.user,
                    section=section,
                    version=version_form.cleaned_data["version"],
                    data=form.to_input(),
                )
            except StaleVersion as exc:
                conflit = exc
                version_form.rebind_after_conflict(version=exc.current_version)
            except services.FormulaireFerme as exc:
                erreurs.append(str(exc))
            except ValidationError as exc:
                erreurs.extend(_validation_messages(exc))
            else:
                messages.success(request, f"La section « {section.label} » est enregistrée.")
                return redirect(reverse("gouvernances:detail", kwargs={"code": code}) + f"#{section.value}")
        elif not version_form.is_valid():
            erreurs.extend(version_form.errors["version"])
        else:
            erreurs.append("La section contient des erreurs : elles sont indiquées à côté de chaque champ.")
    return render(
        request,
        "gouvernances/section_form.html",
        {
            **context,
            "section": section,
            "form": form,
            "candidats": candidats,
            "membres_suggestions": [c.as_suggestion() for c in candidats],
            "version_form": version_form,
            "erreurs": erreurs,
            "conflit": conflit,
            "breadcrumb_data": _breadcrumb(departement, section.label, under_gouvernance=True),
        },
        status=409 if conflit else (400 if erreurs else 200),
    )


@require_http_methods(["GET", "POST"])
def gouvernance_submit(request, code):
    """Sending the gouvernance pressentie or définitive to ANCT cannot be undone: GET shows what
    will be sent (the seven sections, what still blocks it, the contacts still missing) and asks
    for confirmation; POST sends it."""
    departement = perms.get_departement_for_user_or_404(request.user, code, write=True)
    gouvernance = selectors.gouvernance_for(user=request.user, departement=departement)
    if gouvernance is None:
        raise Http404("Aucune gouvernance à remonter.")
    statut = request.POST.get("statut", "") if request.method == "POST" else request.GET.get("statut", "")
    if statut not in (StatutGouvernance.PRESSENTIE, StatutGouvernance.DEFINITIVE):
        messages.error(request, "Choisissez la gouvernance à remonter.")
        return redirect("gouvernances:detail", code=code)
    statut = StatutGouvernance(statut)
    if request.method == "POST":
        try:
            services.gouvernance_submit(gouvernance=gouvernance, user=request.user, statut=statut)
        except (ValidationError, services.FormulaireFerme) as exc:
            for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                messages.error(request, message)
            return redirect(reverse("gouvernances:submit", kwargs={"code": code}) + f"?statut={statut.value}")
        messages.success(request, f"{statut.label} : l'ANCT en est informée.")
        return redirect("gouvernances:detail", code=code)
    context = _common_context(request, departement, gouvernance)
    if not context["edition"].possible:
        messages.error(request, context["edition"].raison)
        return redirect("gouvernances:detail", code=code)
    contenu = selectors.gouvernance_contenu(gouvernance=gouvernance)
    action = (
        "Remonter la gouvernance pressentie"
        if statut == StatutGouvernance.PRESSENTIE
        else "Remonter la gouvernance définitive"
    )
    return render(
        request,
        "gouvernances/gouvernance_remonter.html",
        {
            **context,
            "statut": statut,
            "action": action,
            "contenu": contenu,
            "couverture": couverture(departement=departement, perimetres=selectors.perimetres_of(contenu)),
            "problemes": services.gouvernance_problems(contenu=contenu),
            "rappels": services.gouvernance_reminders(contenu=contenu),
            "page_title": f"{action} — {departement.nom}",
            "breadcrumb_data": _breadcrumb(departement, action, under_gouvernance=True),
        },
    )


@require_safe
def historique(request, code):
    departement = perms.get_departement_for_user_or_404(request.user, code)
    gouvernance = selectors.gouvernance_for(user=request.user, departement=departement)
    evenements = selectors.historique(user=request.user, gouvernance=gouvernance) if gouvernance else []
    return render(
        request,
        "gouvernances/historique.html",
        {
            "departement": departement,
            "gouvernance": gouvernance,
            "evenements": evenements,
            "breadcrumb_data": _breadcrumb(departement, "Historique", under_gouvernance=True),
        },
    )


@require_safe
def impression(request, code):
    """The whole form on A4 pages (print stylesheet), including the private sections."""
    departement = perms.get_departement_for_user_or_404(request.user, code)
    gouvernance = selectors.gouvernance_for(user=request.user, departement=departement)
    if gouvernance is None:
        raise Http404("Aucune gouvernance enregistrée.")
    contenu = selectors.gouvernance_contenu(gouvernance=gouvernance)
    return render(
        request,
        "gouvernances/gouvernance_impression.html",
        {
            "departement": departement,
            "gouvernance": gouvernance,
            "contenu": contenu,
            "couverture": couverture(departement=departement, perimetres=selectors.perimetres_of(contenu)),
            "public": False,
            "page_title": f"Gouvernance, version imprimable — {departement.nom}",
        },
    )


@login_not_required
@require_safe
@cached_page(depends_on=selectors.DEPENDS_ON)
def publique(request, code):
    """Open to anyone: members, co-porteurs, comités and feuilles de route of a gouvernance once
    it has been sent; never the sous-préfet's contact nor the note de contexte."""
    departement = Departement.objects.select_related("region").filter(code=code).first()
    if departement is None:
        raise Http404("Département introuvable.")
    gouvernance = selectors.gouvernance_publique(departement=departement)
    contenu = selectors.gouvernance_contenu(gouvernance=gouvernance) if gouvernance else None
    return render(
        request,
        "gouvernances/gouvernance_publique.html",
        {
            "page_title": f"Gouvernance publique — {departement.nom}",
            "departement": departement,
            "gouvernance": gouvernance,
            "contenu": contenu,
            "couverture": couverture(departement=departement, perimetres=selectors.perimetres_of(contenu))
            if contenu
            else None,
            "public": True,
        },
    )
