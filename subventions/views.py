"""Thin views of the subventions: the préfecture's demandes (/departements/<code>/subventions/)
and ANCT's instruction (/national/subventions/). Access through comptes.perms: outsiders 404,
read-only roles 403 on writes; the rules are in services.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptes import perms
from core.breadcrumbs import breadcrumb, departement_link
from core.exports import EXPORT_FORMATS, export_response
from core.files import private_file_response
from core.versioning import StaleVersion, VersionOnlyForm
from feuilles_de_route.enums import EtatJob
from gouvernances.models import Membre

from . import resources, selectors, services
from .filters import DemandesFilter
from .forms import DemandeForm, FormationForm, InstructionForm, NoteForm, initial_for
from .models import ConventionJob

SUBVENTIONS = "Demandes de subvention"
NATIONAL = "Demandes de subvention (national)"
PAR_PAGE = 50


# --- Helpers ----------------------------------------------------------------------------------------


def _departement(request, code, *, write=False):
    departement = perms.get_departement_for_user_or_404(request.user, code)
    if write:
        perms.or_403(perms.can_write_subventions(request.user, departement), perms.READ_ONLY_SUBVENTIONS)
    return departement


def _page_or_404(request, code, *, write=False):
    departement = _departement(request, code, write=write)
    page = selectors.subventions_page(user=request.user, departement=departement)
    perms.or_404(page.gouvernance is not None, "Ce département n'a pas encore de gouvernance.")
    return page


def _breadcrumb(departement, current: str | None = None) -> dict:
    top = departement_link(departement)
    if current is None:
        return breadcrumb(top, current=SUBVENTIONS)
    liste = reverse("subventions:page", kwargs={"code": departement.code})
    return breadcrumb(top, (SUBVENTIONS, liste), current=current)


def _demande_or_404(request, departement, pk):
    demande = selectors.demande_for(user=request.user, departement=departement, pk=pk)
    perms.or_404(demande is not None, "Demande de subvention introuvable.")
    return demande


def _private_file(fieldfile, filename: str, content_type: str | None = None):
    return private_file_response(fieldfile, filename=filename, content_type=content_type)


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- The département's page ---------------------------------------------------------------------


@require_GET
def page(request, code):
    departement = _departement(request, code)
    data = selectors.subventions_page(user=request.user, departement=departement)
    return render(
        request,
        "subventions/subventions.html",
        {
            "page": data,
            "page_title": f"{SUBVENTIONS} — {departement.nom}",
            "breadcrumb_data": _breadcrumb(departement),
        },
    )


@require_http_methods(["GET", "POST"])
def note(request, code):
    data = _page_or_404(request, code, write=True)
    conflit = None
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                services.note_save(
                    gouvernance=data.gouvernance,
                    version=form.cleaned_data["version"],
                    texte=form.cleaned_data["texte"],
                    user=request.user,
                )
            except StaleVersion as exc:
                conflit = exc
                form.rebind_after_conflict(version=exc.current_version)
            except ValidationError as exc:
                form.add_error("texte", exc.message_dict.get("texte", exc.messages))
            else:
                messages.success(request, "La note de contexte des subventions est enregistrée.")
                return redirect("subventions:page", code=code)
    else:
        form = NoteForm(initial={"version": data.note_version, "texte": data.note.texte if data.note else ""})
    return render(
        request,
        "subventions/note_form.html",
        {
            "page": data,
            "form": form,
            "conflit": conflit,
            "page_title": f"Note de contexte des subventions — {data.departement.nom}",
            "breadcrumb_data": _breadcrumb(data.departement, "Note de contexte"),
        },
        status=409 if conflit else 400 if form.is_bound and form.errors else 200,
    )


def _demande_form_page(request, data, *, demande=None):
    """Create (demande=None) or edit a demande of the ingénierie fund."""
    choix = selectors.form_choices(gouvernance=data.gouvernance)
    membres = selectors.membres_choices(gouvernance=data.gouvernance)
    fiche = demande.fiche_action if demande is not None else None
    conflit = None
    if request.method == "POST":
        form = DemandeForm(request.POST, request.FILES, choix=choix, membres=membres, fiche_actuelle=fiche)
        if form.is_valid():
            try:
                saved = services.demande_save(
                    gouvernance=data.gouvernance,
                    demande=demande,
                    version=form.cleaned_data["version"],
                    data=form.to_input(),
                    budget_fichier=form.cleaned_data.get("budget_fichier"),
                    user=request.user,
                )
            except StaleVersion as exc:
                conflit = exc
                form.rebind_after_conflict(version=exc.current_version)
            except ValidationError as exc:
                form.apply_service_error(exc)
            else:
                messages.success(
                    request,
                    "La demande est enregistrée en brouillon. Validez-la pour l'envoyer à l'ANCT.",
                )
                return redirect("subventions:demande", code=data.departement.code, pk=saved.pk)
    else:
        form = DemandeForm(
            initial=initial_for(demande) if demande else {"version": 0},
            choix=choix,
            membres=membres,
            fiche_actuelle=fiche,
        )
    titre = f"Modifier la demande « {demande.titre} »" if demande else "Nouvelle demande de subvention"
    return render(
        request,
        "subventions/demande_form.html",
        {
            "page": data,
            "demande": demande,
            "form": form,
            "choix": choix,
            "conflit": conflit,
            "titre": titre,
            "page_title": titre,
            "breadcrumb_data": _breadcrumb(data.departement, titre),
        },
        status=409 if conflit else 400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def demande_nouvelle(request, code):
    data = _page_or_404(request, code, write=True)
    return _demande_form_page(request, data)


@require_http_methods(["GET", "POST"])
def demande_modifier(request, code, pk):
    data = _page_or_404(request, code, write=True)
    demande = _demande_or_404(request, data.departement, pk)
    if not demande.modifiable:
        messages.info(request, services.demandes.FIGEE)
        return redirect("subventions:demande", code=code, pk=pk)
    if demande.est_formation:
        return redirect("subventions:formation", code=code)
    return _demande_form_page(request, data, demande=demande)


@require_http_methods(["GET", "POST"])
def formation(request, code):
    """The formation fund: create the demande, or edit it while it is in brouillon."""
    data = _page_or_404(request, code, write=True)
    demande = data.formation if data.formation and data.formation.modifiable else None
    if demande is None and data.formation is not None and data.formation.statut != "rejetee":
        return redirect("subventions:demande", code=code, pk=data.formation.pk)
    membres = selectors.membres_choices(gouvernance=data.gouvernance)
    conflit = None
    if request.method == "POST":
        form = FormationForm(request.POST, membres=membres)
        if form.is_valid():
            try:
                saved = services.formation_save(
                    gouvernance=data.gouvernance,
                    demande=demande,
                    version=form.cleaned_data["version"],
                    membre_id=int(form.cleaned_data["membre"]),
                    user=request.user,
                )
            except StaleVersion as exc:
                conflit = exc
                form.rebind_after_conflict(version=exc.current_version)
            except ValidationError as exc:
                form.apply_service_error(exc)
            else:
                messages.success(request, "La demande du fonds de formation est enregistrée en brouillon.")
                return redirect("subventions:demande", code=code, pk=saved.pk)
    else:
        beneficiaire = demande.beneficiaires.all()[0] if demande and demande.beneficiaires.all() else None
        form = FormationForm(
            initial={
                "version": demande.version if demande else 0,
                "membre": str(beneficiaire.membre_id) if beneficiaire else "",
            },
            membres=membres,
        )
    return render(
        request,
        "subventions/formation_form.html",
        {
            "page": data,
            "demande": demande,
            "form": form,
            "conflit": conflit,
            "page_title": f"Fonds de formation — {data.departement.nom}",
            "breadcrumb_data": _breadcrumb(data.departement, "Fonds de formation"),
        },
        status=409 if conflit else 400 if form.is_bound else 200,
    )


def _detail_context(request, demande, *, national: bool, instruction_form=None) -> dict:
    departement = demande.gouvernance.departement
    titre = f"Demande « {demande.titre} »"
    if national:
        crumb = breadcrumb((NATIONAL, reverse("subventions:national")), current=titre)
    else:
        crumb = _breadcrumb(departement, titre)
    can_write = perms.can_write_subventions(request.user, departement) and demande.modifiable
    can_instruct = perms.can_instruct_subventions(request.user) and demande.statut == "validee"
    return {
        "demande": demande,
        "departement": departement,
        "historique": selectors.historique(demande),
        "can_write": can_write,
        "can_instruct": can_instruct,
        "version_form": VersionOnlyForm(initial={"version": demande.version}),
        "instruction_form": instruction_form or (InstructionForm() if can_instruct else None),
        "national": national,
        "page_title": titre,
        "breadcrumb_data": crumb,
    }


@require_GET
def demande(request, code, pk):
    departement = _departement(request, code)
    found = _demande_or_404(request, departement, pk)
    return render(request, "subventions/demande_detail.html", _detail_context(request, found, national=False))


@require_POST
def demande_valider(request, code, pk):
    departement = _departement(request, code, write=True)
    found = _demande_or_404(request, departement, pk)
    form = VersionOnlyForm(request.POST)
    if not form.is_valid():
        for message in form.errors["version"]:
            messages.error(request, message)
        return redirect("subventions:demande", code=code, pk=pk)
    try:
        services.demande_validate(demande=found, version=form.cleaned_data["version"], user=request.user)
    except StaleVersion as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, "La demande est validée et envoyée à l'ANCT. Elle n'est plus modifiable.")
    return redirect("subventions:demande", code=code, pk=pk)


@require_POST
def demande_supprimer(request, code, pk):
    departement = _departement(request, code, write=True)
    found = _demande_or_404(request, departement, pk)
    try:
        services.demande_delete(demande=found, user=request.user)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return redirect("subventions:demande", code=code, pk=pk)
    messages.success(request, "La demande est supprimée.")
    return redirect("subventions:page", code=code)


@require_GET
def demande_budget(request, code, pk):
    departement = _departement(request, code)
    found = _demande_or_404(request, departement, pk)
    extension = found.budget_fichier.name.rsplit(".", 1)[-1] if found.budget_fichier else "pdf"
    return _private_file(found.budget_fichier, f"budget-previsionnel-demande-{found.pk}.{extension}")


# --- Conventions ------------------------------------------------------------------------------------


def _convention_departement(request, code):
    departement = perms.get_departement_for_user_or_404(request.user, code)
    perms.or_403(perms.can_get_convention(request.user, departement), perms.CONVENTION_PREFECTURE_ANCT)
    return departement


def _job_or_404(departement, job_pk) -> ConventionJob:
    job = (
        ConventionJob.objects.select_related("membre")
        .filter(pk=job_pk, gouvernance__departement=departement)
        .first()
    )
    perms.or_404(job is not None, "Convention introuvable.")
    return job


@require_POST
def convention_demander(request, code, membre_pk):
    departement = _convention_departement(request, code)
    membre = (
        Membre.objects.filter(pk=membre_pk, gouvernance__departement=departement)
        .select_related("gouvernance")
        .first()
    )
    perms.or_404(membre is not None, "Membre introuvable.")
    try:
        job = services.convention_request(gouvernance=membre.gouvernance, membre=membre, user=request.user)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return redirect(reverse("subventions:page", kwargs={"code": code}) + "#conventions")
    job.refresh_from_db()
    if request.htmx:
        return render(
            request, "subventions/includes/convention_job.html", {"job": job, "departement": departement}
        )
    if job.file_indisponible:
        messages.warning(
            request,
            "Le service de génération est momentanément indisponible : la convention sera produite dès son retour.",
        )
    return redirect(reverse("subventions:page", kwargs={"code": code}) + "#conventions")


@require_GET
def convention_etat(request, code, job_pk):
    departement = _convention_departement(request, code)
    job = _job_or_404(departement, job_pk)
    if request.htmx:
        return render(
            request, "subventions/includes/convention_job.html", {"job": job, "departement": departement}
        )
    # Opened as a page (without JavaScript, or the address shared): the same state in the site's
    # layout, where it keeps refreshing itself while the job runs.
    titre = f"Convention de {job.membre.nom}"
    return render(
        request,
        "subventions/convention_etat.html",
        {
            "job": job,
            "departement": departement,
            "titre": titre,
            "breadcrumb_data": _breadcrumb(departement, titre),
        },
    )


FORMATS_CONVENTION = {
    "docx": ("fichier_docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("fichier_pdf", "application/pdf"),
}


@require_GET
def convention_telecharger(request, code, job_pk, fmt):
    departement = _convention_departement(request, code)
    if fmt not in FORMATS_CONVENTION:
        raise Http404("Format inconnu.")
    job = _job_or_404(departement, job_pk)
    if job.etat != EtatJob.TERMINE:
        raise Http404("La convention n'est pas encore prête.")
    field, content_type = FORMATS_CONVENTION[fmt]
    filename = job.nom_fichier.rsplit(".", 1)[0] + f".{fmt}"
    return _private_file(getattr(job, field), filename, content_type)


# --- National ---------------------------------------------------------------------------------------


@require_GET
def national(request):
    perms.require_national(request.user)
    filtre = DemandesFilter(request.GET or None, queryset=selectors.demandes_national(user=request.user))
    page_obj = Paginator(filtre.qs, PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "subventions/national/liste.html",
        {
            "filtre": filtre,
            "page_obj": page_obj,
            "consolidation": selectors.consolidation(user=request.user),
            "page_title": NATIONAL,
            "breadcrumb_data": breadcrumb(
                ("Consolidation nationale", reverse("national:tableau_de_bord")), current=NATIONAL
            ),
        },
    )


@require_GET
def national_consolidation(request):
    perms.require_national(request.user)
    titre = "Consolidation des subventions"
    return render(
        request,
        "subventions/national/consolidation.html",
        {
            "consolidation": selectors.consolidation(user=request.user),
            "page_title": titre,
            "breadcrumb_data": breadcrumb((NATIONAL, reverse("subventions:national")), current=titre),
        },
    )


EXPORTS = {
    "gouvernances": (
        resources.GouvernanceSubventionsResource,
        selectors.gouvernances_export,
        "subventions-gouvernances",
    ),
    "demandes": (resources.DemandeResource, selectors.demandes_national, "subventions-demandes"),
    "beneficiaires": (
        resources.BeneficiaireResource,
        selectors.beneficiaires_export,
        "subventions-beneficiaires",
    ),
}


@require_GET
def national_export(request, vue, fmt):
    perms.require_national(request.user)
    if vue not in EXPORTS or fmt not in EXPORT_FORMATS:
        raise Http404("Export inconnu.")
    resource, rows, stem = EXPORTS[vue]
    if vue == "demandes":
        rows_of = DemandesFilter(request.GET or None, queryset=rows(user=request.user)).qs
    else:
        rows_of = rows(user=request.user)
    return export_response(resource(), rows_of, fmt=fmt, stem=stem)


def _national_demande_or_404(request, pk, *, write=False):
    perms.require_national(request.user, write=write)
    found = selectors.demandes_national(user=request.user).filter(pk=pk).first()
    perms.or_404(found is not None, "Demande de subvention introuvable.")
    return found


@require_GET
def national_demande(request, pk):
    found = _national_demande_or_404(request, pk)
    return render(request, "subventions/demande_detail.html", _detail_context(request, found, national=True))


@require_POST
def national_instruire(request, pk):
    found = _national_demande_or_404(request, pk, write=True)
    form = InstructionForm(request.POST)
    if form.is_valid():
        try:
            services.demande_instruct(
                demande=found,
                decision=form.cleaned_data["decision"],
                commentaire=form.cleaned_data["commentaire"],
                user=request.user,
            )
        except ValidationError as exc:
            form.apply_service_error(exc)
        else:
            annonces = {
                "acceptation": "La demande est acceptée.",
                "modification": "La modification est demandée : la demande revient en brouillon et la préfecture en est informée par e-mail.",
                "rejet": "La demande est rejetée.",
            }
            messages.success(request, annonces[form.cleaned_data["decision"]])
            return redirect("subventions:national_demande", pk=pk)
    return render(
        request,
        "subventions/demande_detail.html",
        _detail_context(request, found, national=True, instruction_form=form),
        status=400,
    )
