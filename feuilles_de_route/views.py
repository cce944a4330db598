"""The feuille de route editor: thin views over perms (access), selectors (reads), services (writes)."""

from copy import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptes import perms
from core.breadcrumbs import breadcrumb, departement_link
from core.files import private_file_response
from core.ratelimit import client_key, is_limited, too_many_requests
from core.versioning import StaleVersion

from . import prefill, selectors, services
from .enums import SectionDocument, StatutDocument
from .forms import (
    ApprobationForm,
    AxeForm,
    CopieSigneeForm,
    DiagnosticMiseAJourForm,
    FicheActionForm,
    FinancementsForm,
    IndicateursForm,
    InvitationForm,
    SignataireForm,
    section_form_class,
)
from .models import Axe, CopieSignee, FicheAction, PdfJob, Signataire

READ, WRITE, MANAGE, PDF = "read", "write", "manage", "pdf"
_ALLOWED = {
    READ: perms.can_read_feuille,
    WRITE: perms.can_write_feuille,
    MANAGE: perms.can_manage_feuille,
    PDF: perms.can_request_feuille_pdf,
}
_REFUSALS = {WRITE: perms.READ_ONLY_FEUILLE, MANAGE: perms.MANAGE_FEUILLE_ONLY, PDF: perms.PDF_READ_ONLY}
# Per person: a PDF costs a worker up to FNE_PDF_TIME_LIMIT; nobody needs more than this.
PDF_RATE = "10/h"


def _feuille_or_404(request, pk: int, *, need: str = READ):
    """404 for whoever may not read it, 403 for a reader asking to write or manage."""
    feuille = selectors.feuille_by_pk(pk)
    perms.or_404(
        feuille is not None and perms.can_read_feuille(request.user, feuille), "Feuille de route introuvable."
    )
    if need != READ:
        perms.or_403(_ALLOWED[need](request.user, feuille), _REFUSALS[need])
    return feuille


AXES_MIN, AXES_MAX = 3, 5


def _editor_url(feuille) -> str:
    return reverse("feuilles_de_route:editeur", kwargs={"pk": feuille.pk})


def _document_or_404(feuille):
    document = selectors.current_document(feuille)
    if document is None:
        raise Http404("La rédaction de cette feuille de route n'a pas commencé.")
    return document


def _writable_document(request, pk: int):
    feuille = _feuille_or_404(request, pk, need=WRITE)
    document = _document_or_404(feuille)
    if document.est_fige:
        raise PermissionDenied("Cette version est approuvée : ouvrez une nouvelle version pour la modifier.")
    return feuille, document


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _breadcrumb(feuille, current: str = "") -> dict:
    """The département, then the feuille de route, then the page of the editor (`current`) if any."""
    departement = departement_link(feuille.gouvernance.departement)
    if not current:
        return breadcrumb(departement, current=feuille.nom)
    return breadcrumb(departement, (feuille.nom, _editor_url(feuille)), current=current)


def _context(request, feuille, document, *, courant: str = "", **extra):
    """`courant`: the label of the page in the breadcrumb, below the feuille de route."""
    return {
        "feuille": feuille,
        "document": document,
        "departement": feuille.gouvernance.departement,
        "breadcrumb_data": _breadcrumb(feuille, courant),
        "sections": SectionDocument,
        "peut_ecrire": perms.can_write_feuille(request.user, feuille)
        and document is not None
        and not document.est_fige,
        "peut_gerer": perms.can_manage_feuille(request.user, feuille),
        "peut_generer": perms.can_request_feuille_pdf(request.user, feuille),
        **extra,
    }


@require_GET
def feuille_list(request):
    feuilles = selectors.feuilles_for(user=request.user)
    return render(
        request,
        "feuilles_de_route/feuille_list.html",
        {"page_title": "Mes feuilles de route", "feuilles": feuilles},
    )


@require_GET
def editeur(request, pk: int):
    feuille = _feuille_or_404(request, pk, need=READ)
    document = selectors.current_document(feuille)
    if document is None and perms.can_write_feuille(request.user, feuille):
        # The first visit of a writer opens version 1 (section II pre-filled from the diagnostic).
        document = services.document_start(feuille_de_route=feuille, user=request.user)
    if document is None:
        return render(
            request,
            "feuilles_de_route/document_vide.html",
            {"feuille": feuille, "breadcrumb_data": _breadcrumb(feuille)},
        )
    axes = selectors.axes_of(document)
    return render(
        request,
        "feuilles_de_route/document_detail.html",
        _context(
            request,
            feuille,
            document,
            axes=axes,
            axes_hors_recommandation=not AXES_MIN <= len(axes) <= AXES_MAX,
            comites=list(feuille.gouvernance.comites.all()),
            indicateurs=selectors.indicateur_rows(document),
            cofinancements=selectors.cofinancements_of(document),
            signataires=selectors.signataires_of(document),
            job=selectors.latest_pdf_job(document),
            versions=selectors.document_versions(feuille),
            copies=selectors.copies_signees_for(feuille),
            coredacteurs=selectors.coredacteurs_of(feuille),
            invitation_form=InvitationForm(),
            approbation_form=ApprobationForm(),
            copie_form=CopieSigneeForm(),
            moyens=selectors.moyens_of(document),
        ),
    )


def section_edit(request, pk: int, section: str):
    try:
        section = SectionDocument(section)
    except ValueError:
        raise Http404("Section inconnue.") from None
    if section == SectionDocument.PRIORITES:
        return redirect(_editor_url_for(pk) + "#priorites")
    if section == SectionDocument.SIGNATAIRES:
        return redirect("feuilles_de_route:signataires", pk=pk)
    feuille, document = _writable_document(request, pk)
    version = selectors.section_versions(document).get(section, 0)
    conflit = None
    form = _section_form(section, document, version, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _save_section(section, document, form, request.user)
        except StaleVersion as exc:
            conflit = exc
            form.rebind_after_conflict(version=exc.current_version)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"« {section.label} » est enregistrée.")
            return redirect(_editor_url(feuille) + f"#{section.value}")
    return render(
        request,
        "feuilles_de_route/section_form.html",
        _context(
            request,
            feuille,
            document,
            courant=section.label,
            section=section,
            form=form,
            conflit=conflit,
            comites=list(feuille.gouvernance.comites.all()) if section == SectionDocument.AMBITION else [],
        ),
        status=409 if conflit else 200,
    )


def diagnostic_mise_a_jour(request, pk: int):
    """Section II rewritten from today's diagnostic figures: the page shows, part by part, what
    the refresh changes; the writer picks the parts and confirms (a colleague's save since the
    page opened is refused, as on every edit page)."""
    feuille, document = _writable_document(request, pk)
    version = selectors.section_versions(document).get(SectionDocument.DIAGNOSTIC, 0)
    perimetre = prefill.perimetre_of(feuille)
    parties = prefill.comparaison(document, prefill.synthese_textes(perimetre))
    data = request.POST if request.method == "POST" else None
    form = DiagnosticMiseAJourForm(data, initial={"version": version}, parties=parties)
    conflit = None
    if request.method == "POST" and form.is_valid():
        try:
            services.document_diagnostic_refresh(
                document=document,
                version=form.cleaned_data["version"],
                champs=form.cleaned_data["champs"],
                user=request.user,
            )
        except StaleVersion as exc:
            conflit = exc
            form.rebind_after_conflict(version=exc.current_version)
            document.refresh_from_db()
            parties = prefill.comparaison(document, prefill.synthese_textes(perimetre))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, "La synthèse du diagnostic est mise à jour à partir des données actuelles."
            )
            return redirect(_editor_url(feuille) + "#diagnostic")
    return render(
        request,
        "feuilles_de_route/diagnostic_mise_a_jour.html",
        _context(
            request,
            feuille,
            document,
            courant="Mettre à jour depuis le diagnostic",
            page_title=f"Mettre à jour la synthèse du diagnostic — {feuille.nom}",
            perimetre=perimetre,
            parties=parties,
            aucun_changement=not any(p.change for p in parties),
            form=form,
            conflit=conflit,
        ),
        status=409 if conflit else 200,
    )


def _editor_url_for(pk: int) -> str:
    return reverse("feuilles_de_route:editeur", kwargs={"pk": pk})


def _section_form(section, document, version, *, data=None):
    """The section's form, read at `version`."""
    initial = {"version": version}
    if section == SectionDocument.INDICATEURS:
        return IndicateursForm(data, initial=initial, cibles=selectors.indicateurs_of(document))
    if section == SectionDocument.FINANCEMENTS:
        return FinancementsForm(
            data,
            initial=initial,
            cofinancements=selectors.cofinancements_of(document),
            mutualisation=document.mutualisation,
        )
    return section_form_class(section)(data, initial=initial, instance=copy(document))


def _save_section(section, document, form, user):
    version = form.cleaned_data["version"]
    if section == SectionDocument.INDICATEURS:
        services.document_indicateurs_save(
            document=document, version=version, cibles=form.cibles(), user=user
        )
    elif section == SectionDocument.FINANCEMENTS:
        services.document_financements_save(
            document=document,
            version=version,
            cofinancements=form.cofinancements(),
            mutualisation=form.cleaned_data["mutualisation"],
            user=user,
        )
    else:
        data = {name: form.cleaned_data[name] for name in services.SECTION_FIELDS[section]}
        services.document_section_save(
            document=document, section=section, version=version, data=data, user=user
        )


def axe_edit(request, pk: int, axe_pk: int | None = None):
    feuille, document = _writable_document(request, pk)
    axe = get_object_or_404(Axe, pk=axe_pk, document=document) if axe_pk else None
    conflit = None
    initial = {"version": axe.version if axe else 0}
    if request.method == "POST":
        form = AxeForm(request.POST, initial=initial, instance=copy(axe) if axe else None)
        if form.is_valid():
            try:
                saved = services.axe_save(
                    document=document,
                    axe=axe,
                    version=form.cleaned_data["version"],
                    nom=form.cleaned_data["nom"],
                    description=form.cleaned_data["description"],
                    user=request.user,
                )
            except StaleVersion as exc:
                conflit = exc
                form.rebind_after_conflict(version=exc.current_version)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"L'axe « {saved.nom} » est enregistré.")
                return redirect(_editor_url(feuille) + f"#axe-{saved.pk}")
    else:
        form = AxeForm(initial=initial, instance=axe)
    return render(
        request,
        "feuilles_de_route/axe_form.html",
        _context(request, feuille, document, courant="Axe prioritaire", axe=axe, form=form, conflit=conflit),
        status=409 if conflit else 200,
    )


@require_POST
def axe_supprimer(request, pk: int, axe_pk: int):
    feuille, document = _writable_document(request, pk)
    axe = get_object_or_404(Axe, pk=axe_pk, document=document)
    try:
        services.axe_delete(axe=axe, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_editor_url(feuille) + f"#axe-{axe_pk}")
    messages.success(request, f"L'axe « {axe.nom} » et ses fiches action sont supprimés.")
    return redirect(_editor_url(feuille) + "#priorites")


def fiche_edit(request, pk: int, axe_pk: int, fiche_pk: int | None = None):
    feuille, document = _writable_document(request, pk)
    axe = get_object_or_404(Axe, pk=axe_pk, document=document)
    fiche = get_object_or_404(FicheAction, pk=fiche_pk, axe=axe) if fiche_pk else None
    conflit = None
    initial = {"version": fiche.version if fiche else 0}
    if request.method == "POST":
        form = FicheActionForm(request.POST, initial=initial, instance=copy(fiche) if fiche else None)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in services.FICHE_FIELDS}
            try:
                saved = services.fiche_save(
                    axe=axe, fiche=fiche, version=form.cleaned_data["version"], data=data, user=request.user
                )
            except StaleVersion as exc:
                conflit = exc
                form.rebind_after_conflict(version=exc.current_version)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"La fiche action « {saved.nom} » est enregistrée.")
                return redirect(_editor_url(feuille) + f"#fiche-{saved.pk}")
    else:
        form = FicheActionForm(initial=initial, instance=fiche)
    return render(
        request,
        "feuilles_de_route/fiche_form.html",
        _context(
            request,
            feuille,
            document,
            courant="Fiche action",
            axe=axe,
            fiche=fiche,
            form=form,
            conflit=conflit,
        ),
        status=409 if conflit else 200,
    )


@require_POST
def fiche_supprimer(request, pk: int, axe_pk: int, fiche_pk: int):
    feuille, document = _writable_document(request, pk)
    fiche = get_object_or_404(FicheAction, pk=fiche_pk, axe__pk=axe_pk, axe__document=document)
    try:
        services.fiche_delete(fiche=fiche, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_editor_url(feuille) + f"#axe-{axe_pk}")
    messages.success(request, f"La fiche action « {fiche.nom} » est supprimée.")
    return redirect(_editor_url(feuille) + f"#axe-{axe_pk}")


def signataires(request, pk: int):
    if request.method == "POST":
        feuille, document = _writable_document(request, pk)
        form = SignataireForm(request.POST)
        if form.is_valid():
            services.signataire_add(document=document, user=request.user, **form.cleaned_data)
            messages.success(request, f"« {form.cleaned_data['organisation']} » est ajouté aux signataires.")
            return redirect("feuilles_de_route:signataires", pk=feuille.pk)
    else:
        feuille = _feuille_or_404(request, pk, need=READ)
        document = _document_or_404(feuille)
        form = SignataireForm()
    return render(
        request,
        "feuilles_de_route/signataires.html",
        _context(
            request,
            feuille,
            document,
            courant="Signataires",
            form=form,
            signataires=selectors.signataires_of(document),
        ),
    )


@require_POST
def signataire_supprimer(request, pk: int, signataire_pk: int):
    feuille, document = _writable_document(request, pk)
    signataire = get_object_or_404(Signataire, pk=signataire_pk, document=document)
    try:
        services.signataire_delete(signataire=signataire, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"« {signataire.organisation} » est retiré des signataires.")
    return redirect("feuilles_de_route:signataires", pk=feuille.pk)


@require_http_methods(["GET", "POST"])
def soumettre(request, pk: int):
    """Submitting a version to the gouvernance: GET shows what will be submitted (its sections,
    axes, fiches action and signataires) and what still blocks it, and asks for confirmation;
    POST submits it."""
    feuille = _feuille_or_404(request, pk, need=MANAGE)
    document = _document_or_404(feuille)
    if request.method == "POST":
        try:
            services.document_submit(document=document, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("feuilles_de_route:soumettre", pk=feuille.pk)
        messages.success(request, "La feuille de route est soumise à la gouvernance.")
        return redirect(_editor_url(feuille) + "#statut")
    if document.statut != StatutDocument.REDACTION:
        messages.error(request, "Seule une version en rédaction peut être soumise à la gouvernance.")
        return redirect(_editor_url(feuille) + "#statut")
    return render(
        request,
        "feuilles_de_route/document_soumettre.html",
        _context(
            request,
            feuille,
            document,
            courant="Soumettre à la gouvernance",
            axes=selectors.axes_of(document),
            signataires=selectors.signataires_of(document),
            problemes=services.document_submit_problems(document=document),
            page_title=f"Soumettre à la gouvernance — {feuille.nom}",
        ),
    )


@require_POST
def statut(request, pk: int):
    feuille = _feuille_or_404(request, pk, need=MANAGE)
    document = _document_or_404(feuille)
    action = request.POST.get("action")
    try:
        if action == "redaction":
            services.document_back_to_redaction(document=document, user=request.user)
            messages.success(request, "La feuille de route est de nouveau en rédaction.")
        elif action == "approuver":
            form = ApprobationForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["approuvee_le"])
            services.document_approve(
                document=document, approuvee_le=form.cleaned_data["approuvee_le"], user=request.user
            )
            messages.success(request, "La version est approuvée : elle est désormais figée.")
        elif action == "nouvelle-version":
            services.document_new_version(document=document, user=request.user)
            messages.success(request, "Une nouvelle version, copie de la version approuvée, est ouverte.")
        else:
            raise Http404("Action inconnue.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_editor_url(feuille) + "#statut")


@require_POST
def inviter(request, pk: int):
    feuille = _feuille_or_404(request, pk, need=MANAGE)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.coredacteur_invite(
                feuille_de_route=feuille, email=form.cleaned_data["email"], user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Une invitation est envoyée à {form.cleaned_data['email']}.")
    else:
        messages.error(request, " ".join(form.errors["email"]))
    return redirect(_editor_url(feuille) + "#coredacteurs")


@require_GET
def historique(request, pk: int):
    """Every save of the document, with what it changed: for whoever may read the feuille de route."""
    feuille = _feuille_or_404(request, pk, need=READ)
    return render(
        request,
        "feuilles_de_route/historique.html",
        {
            "feuille": feuille,
            "page_title": f"Historique — {feuille.nom}",
            "breadcrumb_data": _breadcrumb(feuille, "Historique"),
            "evenements": selectors.historique_document(feuille_de_route=feuille),
        },
    )


# PDF: those who write the feuille de route ask for it; whoever reads it downloads it.


PDF_ETAT_TITLE = "PDF de la feuille de route"


def _pdf_fragment(request, feuille, job, *, status: int = 200, limite: bool = False):
    return render(
        request,
        "feuilles_de_route/includes/pdf_job.html",
        {
            "feuille": feuille,
            "job": job,
            "peut_generer": perms.can_request_feuille_pdf(request.user, feuille),
            "limite": limite,
        },
        status=status,
    )


@require_POST
def pdf_demander(request, pk: int):
    """Returns the job of this version that waits or runs, if any, instead of queueing another."""
    feuille = _feuille_or_404(request, pk, need=PDF)
    document = _document_or_404(feuille)
    if is_limited(key="pdf", rate=PDF_RATE, who=client_key(request)):
        if request.htmx:
            # htmx swaps 2xx answers only: the fragment says why nothing new started.
            return _pdf_fragment(request, feuille, selectors.latest_pdf_job(document), limite=True)
        return too_many_requests(request, PDF_RATE)
    job = services.pdf_request(document=document, user=request.user)
    job.refresh_from_db()
    if request.htmx:
        return _pdf_fragment(request, feuille, job)
    if job.file_indisponible:
        messages.warning(
            request,
            "Le service de génération est momentanément indisponible : le PDF sera produit dès son retour.",
        )
    return redirect(_editor_url(feuille) + "#pdf")


@require_GET
def pdf_etat(request, pk: int, job_pk: int):
    feuille = _feuille_or_404(request, pk, need=READ)
    job = get_object_or_404(PdfJob, pk=job_pk, document__feuille_de_route=feuille)
    if request.htmx:
        return _pdf_fragment(request, feuille, job)
    # Opened as a page (the address shared, or followed without JavaScript): the same state in
    # the site's layout, where it keeps refreshing itself while the job runs.
    return render(
        request,
        "feuilles_de_route/pdf_etat.html",
        {
            "feuille": feuille,
            "job": job,
            "peut_generer": perms.can_request_feuille_pdf(request.user, feuille),
            "limite": False,
            "breadcrumb_data": _breadcrumb(feuille, PDF_ETAT_TITLE),
        },
    )


def _private_file(fieldfile, filename: str):
    return private_file_response(fieldfile, filename=filename, content_type="application/pdf")


@require_GET
def pdf_telecharger(request, pk: int, job_pk: int):
    feuille = _feuille_or_404(request, pk, need=READ)
    job = get_object_or_404(PdfJob, pk=job_pk, document__feuille_de_route=feuille, etat="termine")
    return _private_file(job.fichier, f"feuille-de-route-{feuille.pk}-v{job.document.numero}.pdf")


@require_POST
def copie_deposer(request, pk: int):
    feuille = _feuille_or_404(request, pk, need=MANAGE)
    document = _document_or_404(feuille)
    form = CopieSigneeForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.copie_signee_upload(
                document=document, fichier=form.cleaned_data["fichier"], user=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "La copie signée est déposée.")
            return redirect(_editor_url(feuille) + "#copies")
    return render(
        request,
        "feuilles_de_route/copie_form.html",
        _context(request, feuille, document, courant="Copie signée", form=form),
        status=400,
    )


@require_GET
def copie_telecharger(request, pk: int, copie_pk: int):
    feuille = _feuille_or_404(request, pk, need=READ)
    copie = get_object_or_404(CopieSignee, pk=copie_pk, document__feuille_de_route=feuille)
    return _private_file(copie.fichier, f"feuille-de-route-{feuille.pk}-v{copie.document.numero}-signee.pdf")
