"""Thin views: parse a form, call one service, redirect or render."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from comptes import perms
from core.breadcrumbs import breadcrumb, departement_link
from core.cache import cached_content, cached_page
from core.exports import EXPORT_FORMATS, export_response
from core.ratelimit import ratelimit
from core.versioning import StaleVersion, VersionOnlyForm
from entreprises.selectors import attach_etablissements
from territoires.search import collectivite_label

from . import selectors, services
from .enums import EtapePorter, Intention, Persona, TypeContact
from .filters import CandidatsFilter
from .forms import (
    AutreStructureFormSet,
    ContactForm,
    EntreeForm,
    ParticiperCollectiviteForm,
    ParticiperStructureForm,
    PerimetreForm,
    PlusTardForm,
    PorterInformationsForm,
    apply_service_error,
    contact_forms,
)
from .resources import ContactExportDepartementsResource, ContactExportResource

POST_RATE = "60/h"  # per IP, for every public form post (signup is limited by allauth)
CANDIDATS_PAR_PAGE = 50


# --- Public side: entry page and the visitor's form ---------------------------------------


@login_not_required
@ratelimit(key="candidatures-entree", rate=POST_RATE)
# A visitor who is not logged in has no form yet: the page depends on its parameters only.
@cached_page(depends_on=(), parameters=("persona", "intention"))
def entree(request):
    """/gouvernance/: explains the démarche, chooses a persona and an intention."""
    active = selectors.active_manifestation_for(user=request.user)
    status = 200
    form = EntreeForm(request.POST or None, initial=request.GET.dict() if request.method == "GET" else None)
    if request.method == "POST" and form.is_valid():
        if not request.user.is_authenticated:
            query = f"?persona={form.cleaned_data['persona']}&intention={form.cleaned_data['intention']}"
            return redirect_to_login(reverse("candidatures:entree") + query, reverse("account_signup"))
        try:
            services.manifestation_create(
                user=request.user,
                persona=form.cleaned_data["persona"],
                intention=form.cleaned_data["intention"],
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
            if getattr(exc, "code", None) == "compte_agent":
                status = 403
        else:
            return redirect("candidatures:mon_formulaire")
    return render(
        request,
        "candidatures/entree.html",
        {
            "form": form,
            "active": active,
            "compte_agent": request.user.is_authenticated and perms.is_agent(request.user),
            "refus_agent": services.AGENT_REFUSAL,
            "page_title": "Gouvernance",
        },
        status=status,
    )


def _active_or_redirect(request):
    manifestation = selectors.active_manifestation_for(user=request.user)
    if manifestation is None:
        return None, redirect("candidatures:entree")
    return manifestation, None


@require_safe
def mon_formulaire(request):
    """Where the visitor resumes: the current step of a draft, or the confirmed form."""
    manifestation, response = _active_or_redirect(request)
    if response:
        return response
    if manifestation.is_confirmee:
        return render(
            request,
            "candidatures/manifestation_confirmee.html",
            {"manifestation": manifestation, "page_title": "Mon formulaire"},
        )
    if manifestation.intention == Intention.PARTICIPER:
        return redirect("candidatures:participer")
    if manifestation.etape == EtapePorter.RECAPITULATIF:
        return redirect("candidatures:recapitulatif")
    return redirect("candidatures:porter", etape=manifestation.etape)


def _initial_contacts(manifestation) -> dict[str, dict]:
    initial = {}
    for contact in manifestation.contacts.filter(perimetre__isnull=True, autre_structure__isnull=True):
        initial[contact.type] = {f: getattr(contact, f) for f in ("nom", "prenom", "fonction", "email")}
    return initial


def _contacts_data(contacts: dict[str, ContactForm]) -> dict:
    return {f"contact_{name}": form.to_data() for name, form in contacts.items()}


@ratelimit(key="candidatures-post", rate=POST_RATE)
def participer(request):
    manifestation, response = _active_or_redirect(request)
    if response:
        return response
    if manifestation.intention != Intention.PARTICIPER or not manifestation.is_brouillon:
        return redirect("candidatures:mon_formulaire")
    is_structure = manifestation.persona == Persona.STRUCTURE
    initial = {"version": manifestation.version}
    if is_structure:
        initial |= {
            "structure_nom": manifestation.structure_nom,
            "structure_siret": manifestation.structure_siret,
            "structure_sans_siret": manifestation.structure_sans_siret,
            "structure_type": manifestation.structure_type,
            "departement": manifestation.structure_departement_id,
        }
        form = ParticiperStructureForm(request.POST or None, initial=initial)
    else:
        if manifestation.collectivite is not None:
            initial["collectivite"] = collectivite_label(manifestation.collectivite)
            initial["departement"] = _departement_code_of(manifestation)
        form = ParticiperCollectiviteForm(
            request.POST or None, initial=initial, persona=manifestation.persona
        )
    contacts = contact_forms(
        request.POST or None,
        intention=manifestation.intention,
        persona=manifestation.persona,
        initial=_initial_contacts(manifestation),
    )
    conflit = None
    if request.method == "POST" and all([form.is_valid(), *[c.is_valid() for c in contacts.values()]]):
        data = form.cleaned_data
        try:
            services.participer_save(
                manifestation=manifestation,
                user=request.user,
                version=data["version"],
                departement=data["departement"],
                collectivite=data.get("collectivite_obj"),
                structure_nom=data.get("structure_nom", ""),
                structure_siret=data.get("structure_siret", ""),
                structure_sans_siret=data.get("structure_sans_siret", False),
                structure_type=data.get("structure_type") if is_structure else None,
                **_contacts_data(contacts),
            )
        except StaleVersion as exc:
            conflit = exc
            form.rebind_after_conflict(version=exc.current_version)
        except ValidationError as exc:
            apply_service_error(form, exc, fields=_contact_error_targets(contacts))
        else:
            return redirect("candidatures:recapitulatif")
    return render(
        request,
        "candidatures/participer_form.html",
        {
            "manifestation": manifestation,
            "form": form,
            "contacts": contacts,
            "conflit": conflit,
            "page_title": "Participer",
        },
        status=409 if conflit else 200,
    )


def _contact_error_targets(contacts: dict[str, ContactForm]) -> dict:
    return {f"contact_{name}": form for name, form in contacts.items()}


def _departement_code_of(manifestation) -> str | None:
    if manifestation.commune_id:
        return manifestation.commune.departement_id
    if manifestation.departement_id:
        return manifestation.departement_id
    if manifestation.epci_id:
        first = manifestation.epci.departements.order_by("code").first()
        return first.code if first else None
    if manifestation.region_id:
        first = manifestation.region.departements.order_by("code").first()
        return first.code if first else None
    return None


def _stepper_context(manifestation, etape: EtapePorter) -> dict:
    steps = EtapePorter.ordered()
    index = steps.index(etape)
    return {
        "etape": etape,
        "etape_numero": index + 1,
        "etapes_total": len(steps),
        "etape_suivante": steps[index + 1] if index + 1 < len(steps) else None,
        "etape_precedente": steps[index - 1] if index > 0 else None,
        "etapes": [
            {
                "value": s.value,
                "label": s.label,
                "accessible": steps.index(s) <= steps.index(EtapePorter(manifestation.etape)),
            }
            for s in steps
        ],
    }


@ratelimit(key="candidatures-post", rate=POST_RATE)
def porter(request, etape):
    manifestation, response = _active_or_redirect(request)
    if response:
        return response
    if manifestation.intention != Intention.PORTER or not manifestation.is_brouillon:
        return redirect("candidatures:mon_formulaire")
    try:
        etape = EtapePorter(etape)
    except ValueError as exc:
        raise Http404("Étape inconnue.") from exc
    steps = EtapePorter.ordered()
    if steps.index(etape) > steps.index(EtapePorter(manifestation.etape)):
        return redirect("candidatures:porter", etape=manifestation.etape)
    if etape == EtapePorter.RECAPITULATIF:
        return redirect("candidatures:recapitulatif")
    handler = {
        EtapePorter.INFORMATIONS: _porter_informations,
        EtapePorter.PERIMETRE: _porter_perimetre,
        EtapePorter.CONTACTS: _porter_contacts,
        EtapePorter.STRUCTURES: _porter_structures,
    }[etape]
    context, saved = handler(request, manifestation)
    if saved:
        next_step = steps[steps.index(etape) + 1]
        if next_step == EtapePorter.RECAPITULATIF:
            return redirect("candidatures:recapitulatif")
        return redirect("candidatures:porter", etape=next_step)
    context |= {"manifestation": manifestation, "page_title": f"Porter une feuille de route — {etape.label}"}
    context |= _stepper_context(manifestation, etape)
    status = 409 if context.get("conflit") else 200
    return render(request, f"candidatures/porter_{etape.value}.html", context, status=status)


def _porter_informations(request, manifestation):
    initial = {"version": manifestation.version, "dispositifs_existants": manifestation.dispositifs_existants}
    if manifestation.collectivite is not None:
        initial["collectivite"] = collectivite_label(manifestation.collectivite)
    form = PorterInformationsForm(request.POST or None, initial=initial, persona=manifestation.persona)
    contacts = contact_forms(
        request.POST or None,
        intention=manifestation.intention,
        persona=manifestation.persona,
        initial=_initial_contacts(manifestation),
    )
    conflit = None
    if request.method == "POST" and all([form.is_valid(), *[c.is_valid() for c in contacts.values()]]):
        try:
            services.porter_informations_save(
                manifestation=manifestation,
                user=request.user,
                version=form.cleaned_data["version"],
                collectivite=form.cleaned_data["collectivite"],
                dispositifs_existants=form.cleaned_data["dispositifs_existants"],
                **_contacts_data(contacts),
            )
        except StaleVersion as exc:
            conflit = exc
            form.rebind_after_conflict(version=exc.current_version)
        except ValidationError as exc:
            apply_service_error(form, exc, fields=_contact_error_targets(contacts))
        else:
            return {}, True
    return {"form": form, "contacts": contacts, "conflit": conflit}, False


def _porter_perimetre(request, manifestation):
    epcis, communes = services.territoire_of(manifestation)
    territoire = [("epci", e) for e in epcis] + [("commune", c) for c in communes]
    rows = list(manifestation.perimetre.select_related("region", "departement", "epci", "commune"))
    inside = {f"{t}:{c.code}" for t, c in territoire}
    initial = {
        "version": manifestation.version,
        "membres": [r.collectivite_key for r in rows if r.collectivite_key in inside],
        "ajouts": "\n".join(
            collectivite_label(r.collectivite) for r in rows if r.collectivite_key not in inside
        ),
    }
    form = PerimetreForm(request.POST or None, initial=initial, territoire=territoire)
    conflit = None
    if request.method == "POST" and form.is_valid():
        try:
            services.porter_perimetre_save(
                manifestation=manifestation,
                user=request.user,
                version=form.cleaned_data["version"],
                collectivites=form.cleaned_data["collectivites"],
            )
        except StaleVersion as exc:
            conflit = exc
            form.rebind_after_conflict(version=exc.current_version)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            return {}, True
    hors_territoire = [r for r in rows if r.collectivite_key not in inside]
    return {"form": form, "hors_territoire": hors_territoire, "conflit": conflit}, False


def _porter_contacts(request, manifestation):
    rows = list(manifestation.perimetre.select_related("region", "departement", "epci", "commune", "contact"))
    form = PlusTardForm(
        request.POST or None,
        initial={"version": manifestation.version, "plus_tard": manifestation.contacts_perimetre_plus_tard},
    )
    plus_tard = request.method == "POST" and request.POST.get("plus_tard") == "on"
    row_forms = []
    for row in rows:
        contact = getattr(row, "contact", None)
        initial = (
            {f: getattr(contact, f) for f in ("nom", "prenom", "fonction", "email")} if contact else None
        )
        row_forms.append(
            (
                row,
                ContactForm(
                    request.POST or None, prefix=f"p{row.pk}", required=not plus_tard, initial=initial
                ),
            )
        )
    conflit = None
    if request.method == "POST" and all([form.is_valid(), *[f.is_valid() for _, f in row_forms]]):
        try:
            services.porter_contacts_save(
                manifestation=manifestation,
                user=request.user,
                version=form.cleaned_data["version"],
                contacts={row.pk: f.to_data() for row, f in row_forms},
                plus_tard=form.cleaned_data["plus_tard"],
            )
        except StaleVersion as exc:
            conflit = exc
            form.rebind_after_conflict(version=exc.current_version)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            return {}, True
    return {"form": form, "row_forms": row_forms, "conflit": conflit}, False


def _porter_structures(request, manifestation):
    initial = [
        {
            "nom_structure": s.nom,
            "prenom": s.contact.prenom,
            "nom": s.contact.nom,
            "fonction": s.contact.fonction,
            "email": s.contact.email,
        }
        for s in manifestation.autres_structures.select_related("contact")
    ]
    formset = AutreStructureFormSet(request.POST or None, initial=initial, prefix="structures")
    form = VersionOnlyForm(request.POST or None, initial={"version": manifestation.version})
    conflit = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        structures = [data for f in formset.forms if (data := f.to_data()) is not None]
        try:
            services.porter_structures_save(
                manifestation=manifestation,
                user=request.user,
                version=form.cleaned_data["version"],
                structures=structures,
            )
        except StaleVersion as exc:
            conflit = exc
            form.rebind_after_conflict(version=exc.current_version)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            return {}, True
    return {"form": form, "formset": formset, "conflit": conflit}, False


@require_safe
def recapitulatif(request):
    manifestation, response = _active_or_redirect(request)
    if response:
        return response
    if not manifestation.is_brouillon:
        return redirect("candidatures:mon_formulaire")
    context = {
        "manifestation": manifestation,
        "manque": services.missing_for_confirmation(manifestation),
        "page_title": "Récapitulatif",
    }
    if manifestation.intention == Intention.PORTER:
        context |= _stepper_context(manifestation, EtapePorter.RECAPITULATIF)
    return render(request, "candidatures/recapitulatif.html", context)


@require_POST
@ratelimit(key="candidatures-post", rate=POST_RATE)
def confirmer(request):
    """Idempotent: a second click (or a replayed request) finds the form confirmed and lands on it."""
    manifestation = selectors.active_manifestation_for(user=request.user)
    if manifestation is None:
        return redirect("candidatures:entree")
    try:
        services.manifestation_confirm(manifestation=manifestation, user=request.user)
    except ValidationError as exc:
        from django.contrib import messages

        messages.error(request, " ".join(exc.messages))
        return redirect("candidatures:recapitulatif")
    return redirect("candidatures:mon_formulaire")


@require_POST
def recommencer(request):
    manifestation = selectors.active_manifestation_for(user=request.user)
    if manifestation is not None and manifestation.is_brouillon:
        services.manifestation_restart(manifestation=manifestation, user=request.user)
    return redirect("candidatures:entree")


@require_POST
def annuler(request):
    manifestation = selectors.active_manifestation_for(user=request.user)
    if manifestation is not None:
        services.manifestation_cancel(manifestation=manifestation, user=request.user)
        from django.contrib import messages

        messages.success(request, "Votre formulaire est annulé. Vous pouvez en remplir un nouveau.")
    return redirect("candidatures:entree")


# --- Préfecture side ------------------------------------------------------------------------


CANDIDATS = "Candidats à la gouvernance"


def _contenu_liste(request, departement) -> str:
    queryset = selectors.candidats_for_departement(user=request.user, departement=departement)
    filterset = CandidatsFilter(request.GET or None, queryset=queryset)
    candidats = filterset.qs.prefetch_related(*selectors.MAIN_CONTACTS_PREFETCH)
    page = Paginator(candidats, CANDIDATS_PAR_PAGE).get_page(request.GET.get("page"))
    return render_to_string(
        "candidatures/includes/candidat_list_contenu.html",
        {
            "departement": departement,
            "filter": filterset,
            "page_obj": page,
            "compteurs": selectors.compteurs_for_departement(user=request.user, departement=departement),
        },
        request=request,  # the public form's address and the links that keep the query string
    )


@require_safe
def liste(request, code):
    departement = perms.get_departement_for_user_or_404(request.user, code)
    contenu = cached_content(
        request,
        f"candidatures:liste:{departement.code}",
        lambda: _contenu_liste(request, departement),
        depends_on=selectors.DEPENDS_ON,
        parameters={*CandidatsFilter.base_filters, "page"},
    )
    return render(
        request,
        "candidatures/candidat_list.html",
        {
            "contenu": contenu,
            "page_title": f"Candidats — {departement.nom}",
            "breadcrumb_data": breadcrumb(departement_link(departement), current=CANDIDATS),
        },
    )


@require_safe
def detail(request, code, pk):
    departement = perms.get_departement_for_user_or_404(request.user, code)
    manifestation = get_object_or_404(
        selectors.candidats_with_details(user=request.user, departement=departement), pk=pk
    )
    attach_etablissements([manifestation])  # what the State's register says about its SIRET
    return render(
        request,
        "candidatures/candidat_detail.html",
        {
            "departement": departement,
            "manifestation": manifestation,
            "types_contact": TypeContact,
            "page_title": manifestation.nom,
            "breadcrumb_data": breadcrumb(
                departement_link(departement),
                (CANDIDATS, reverse("candidatures:liste", args=[departement.code])),
                current=manifestation.nom,
            ),
        },
    )


@require_safe
def export(request, code, fmt):
    """The contacts of the candidates list, as filtered on the page (the link carries the filters)."""
    departement = perms.get_departement_for_user_or_404(request.user, code)
    if fmt not in EXPORT_FORMATS:
        raise Http404("Format inconnu.")
    queryset = selectors.candidats_for_departement(user=request.user, departement=departement)
    filterset = CandidatsFilter(request.GET or None, queryset=queryset)
    return export_response(
        ContactExportResource(),
        selectors.contacts_for_export(
            user=request.user, departement=departement, candidats=filterset.qs if filterset.is_bound else None
        ),
        fmt=fmt,
        stem="contacts-candidats",
        departement=departement,
        filterset=filterset,
    )


@require_safe
def export_departements(request, fmt):
    """The contacts of every département the viewer reads, in one file with a « Département »
    column: a préfecture de région's région, the whole country for ANCT."""
    user = request.user
    perms.or_404(perms.can_read_several_departements(user))
    if fmt not in EXPORT_FORMATS:
        raise Http404("Format inconnu.")
    if perms.is_prefecture_region(user) and not perms.is_national(user):
        stem = f"contacts-candidats-region-{user.region_id}-{slugify(user.region.nom)}"
    else:
        stem = "contacts-candidats-tous-departements"
    return export_response(
        ContactExportDepartementsResource(),
        selectors.contacts_for_export_departements(user=user),
        fmt=fmt,
        stem=stem,
    )
