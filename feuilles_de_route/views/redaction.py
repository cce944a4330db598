"""Writing the document: its sections, axes, fiches action, signataires, status and co-rédacteurs."""

from copy import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.versioning import StaleVersion

from .. import prefill, selectors, services
from ..enums import SectionDocument, StatutDocument
from ..forms import (
    ApprobationForm,
    AxeForm,
    DiagnosticMiseAJourForm,
    FicheActionForm,
    FinancementsForm,
    IndicateursForm,
    InvitationForm,
    SignataireForm,
    section_form_class,
)
from ..models import Axe, FicheAction, Signataire
from .common import (
    MANAGE,
    READ,
    add_errors,
    document_or_404,
    editor_url,
    editor_url_for,
    feuille_or_404,
    page_breadcrumb,
    page_context,
    writable_document,
)


def section_edit(request, pk: int, section: str):
    try:
        section = SectionDocument(section)
    except ValueError:
        raise Http404("Section inconnue.") from None
    if section == SectionDocument.PRIORITES:
        return redirect(editor_url_for(pk) + "#priorites")
    if section == SectionDocument.SIGNATAIRES:
        return redirect("feuilles_de_route:signataires", pk=pk)
    feuille, document = writable_document(request, pk)
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
            add_errors(form, exc)
        else:
            messages.success(request, f"« {section.label} » est enregistrée.")
            return redirect(editor_url(feuille) + f"#{section.value}")
    return render(
        request,
        "feuilles_de_route/section_form.html",
        page_context(
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
    feuille, document = writable_document(request, pk)
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
            add_errors(form, exc)
        else:
            messages.success(
                request, "La synthèse du diagnostic est mise à jour à partir des données actuelles."
            )
            return redirect(editor_url(feuille) + "#diagnostic")
    return render(
        request,
        "feuilles_de_route/diagnostic_mise_a_jour.html",
        page_context(
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
    feuille, document = writable_document(request, pk)
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
                add_errors(form, exc)
            else:
                messages.success(request, f"L'axe « {saved.nom} » est enregistré.")
                return redirect(editor_url(feuille) + f"#axe-{saved.pk}")
    else:
        form = AxeForm(initial=initial, instance=axe)
    return render(
        request,
        "feuilles_de_route/axe_form.html",
        page_context(
            request, feuille, document, courant="Axe prioritaire", axe=axe, form=form, conflit=conflit
        ),
        status=409 if conflit else 200,
    )


@require_POST
def axe_supprimer(request, pk: int, axe_pk: int):
    feuille, document = writable_document(request, pk)
    axe = get_object_or_404(Axe, pk=axe_pk, document=document)
    try:
        services.axe_delete(axe=axe, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(editor_url(feuille) + f"#axe-{axe_pk}")
    messages.success(request, f"L'axe « {axe.nom} » et ses fiches action sont supprimés.")
    return redirect(editor_url(feuille) + "#priorites")


def fiche_edit(request, pk: int, axe_pk: int, fiche_pk: int | None = None):
    feuille, document = writable_document(request, pk)
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
                add_errors(form, exc)
            else:
                messages.success(request, f"La fiche action « {saved.nom} » est enregistrée.")
                return redirect(editor_url(feuille) + f"#fiche-{saved.pk}")
    else:
        form = FicheActionForm(initial=initial, instance=fiche)
    return render(
        request,
        "feuilles_de_route/fiche_form.html",
        page_context(
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
    feuille, document = writable_document(request, pk)
    fiche = get_object_or_404(FicheAction, pk=fiche_pk, axe__pk=axe_pk, axe__document=document)
    try:
        services.fiche_delete(fiche=fiche, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(editor_url(feuille) + f"#axe-{axe_pk}")
    messages.success(request, f"La fiche action « {fiche.nom} » est supprimée.")
    return redirect(editor_url(feuille) + f"#axe-{axe_pk}")


def signataires(request, pk: int):
    if request.method == "POST":
        feuille, document = writable_document(request, pk)
        form = SignataireForm(request.POST)
        if form.is_valid():
            services.signataire_add(document=document, user=request.user, **form.cleaned_data)
            messages.success(request, f"« {form.cleaned_data['organisation']} » est ajouté aux signataires.")
            return redirect("feuilles_de_route:signataires", pk=feuille.pk)
    else:
        feuille = feuille_or_404(request, pk, need=READ)
        document = document_or_404(feuille)
        form = SignataireForm()
    return render(
        request,
        "feuilles_de_route/signataires.html",
        page_context(
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
    feuille, document = writable_document(request, pk)
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
    feuille = feuille_or_404(request, pk, need=MANAGE)
    document = document_or_404(feuille)
    if request.method == "POST":
        try:
            services.document_submit(document=document, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("feuilles_de_route:soumettre", pk=feuille.pk)
        messages.success(request, "La feuille de route est soumise à la gouvernance.")
        return redirect(editor_url(feuille) + "#statut")
    if document.statut != StatutDocument.REDACTION:
        messages.error(request, "Seule une version en rédaction peut être soumise à la gouvernance.")
        return redirect(editor_url(feuille) + "#statut")
    return render(
        request,
        "feuilles_de_route/document_soumettre.html",
        page_context(
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
    feuille = feuille_or_404(request, pk, need=MANAGE)
    document = document_or_404(feuille)
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
    return redirect(editor_url(feuille) + "#statut")


@require_POST
def inviter(request, pk: int):
    feuille = feuille_or_404(request, pk, need=MANAGE)
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
    return redirect(editor_url(feuille) + "#coredacteurs")


@require_GET
def historique(request, pk: int):
    """Every save of the document, with what it changed: for whoever may read the feuille de route."""
    feuille = feuille_or_404(request, pk, need=READ)
    return render(
        request,
        "feuilles_de_route/historique.html",
        {
            "feuille": feuille,
            "page_title": f"Historique — {feuille.nom}",
            "breadcrumb_data": page_breadcrumb(feuille, "Historique"),
            "evenements": selectors.historique_document(feuille_de_route=feuille),
        },
    )
