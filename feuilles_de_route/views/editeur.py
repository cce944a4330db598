"""The feuille de route editor's main page and the list of the feuilles de route one may open."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from comptes import perms

from .. import selectors, services
from ..forms import (
    ApprobationForm,
    CopieSigneeForm,
    InvitationForm,
)
from .common import (
    READ,
    feuille_or_404,
    page_breadcrumb,
    page_context,
)

# The national model recommends three to five axes prioritaires (a warning, never a refusal).
AXES_MIN, AXES_MAX = 3, 5


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
    feuille = feuille_or_404(request, pk, need=READ)
    document = selectors.current_document(feuille)
    if document is None and perms.can_write_feuille(request.user, feuille):
        # The first visit of a writer opens version 1 (section II pre-filled from the diagnostic).
        document = services.document_start(feuille_de_route=feuille, user=request.user)
    if document is None:
        return render(
            request,
            "feuilles_de_route/document_vide.html",
            {"feuille": feuille, "breadcrumb_data": page_breadcrumb(feuille)},
        )
    axes = selectors.axes_of(document)
    return render(
        request,
        "feuilles_de_route/document_detail.html",
        page_context(
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
