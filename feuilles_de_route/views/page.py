"""The feuille de route editor's main page and the list of the feuilles de route one may open."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from comptes import perms
from comptes.signals import COMPTES
from core.cache import cached_content
from territoires.signals import REFERENTIEL

from .. import selectors, services
from ..forms import ApprobationForm, CopieSigneeForm, InvitationForm
from ..signals import FEUILLES
from .common import READ, allowed_or_404, page_breadcrumb, page_context

# What the editor's cached parts show: the feuille's own rows, its gouvernance's comités and
# porteur membre, the names of the territories (the département, the porteur collectivité), the
# names and addresses of the co-rédacteurs and of who deposited a signed copy.
# The gouvernances' generation is named here, not imported (the feuilles de route never import
# the gouvernances): it is gouvernances.signals.GOUVERNANCES, and a test checks they agree.
GOUVERNANCES = "gouvernances"
DEPENDS_ON = (FEUILLES, GOUVERNANCES, REFERENTIEL, COMPTES)

# The page's cached parts (the side menu, the document, its annexes below the PDF's live state)
# are rendered together and make one cache entry, cut at this mark: a NUL character never comes
# out of a template from data (core/cache.py's marks rely on it too).
_PART = "\x00part\x00"

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
    feuille, versions = selectors.feuille_with_versions(pk)
    allowed_or_404(request, feuille, need=READ)
    document = versions[0] if versions else None
    if document is None and perms.can_write_feuille(request.user, feuille):
        # The first visit of a writer opens version 1 (section II pre-filled from the diagnostic).
        document = services.document_start(feuille_de_route=feuille, user=request.user)
        versions = [document]
    if document is None:
        return render(
            request,
            "feuilles_de_route/document_vide.html",
            {"feuille": feuille, "breadcrumb_data": page_breadcrumb(feuille)},
        )
    context = page_context(request, feuille, document, versions=versions)

    def render_parts() -> str:
        axes = selectors.axes_of(document)
        return render_to_string(
            "feuilles_de_route/includes/document_parties.html",
            {
                **context,
                "coupure": _PART,
                "axes": axes,
                "axes_hors_recommandation": not AXES_MIN <= len(axes) <= AXES_MAX,
                "comites": list(feuille.gouvernance.comites.all()),
                "indicateurs": selectors.indicateur_rows(document),
                "cofinancements": selectors.cofinancements_of(document),
                "signataires": selectors.signataires_of(document),
                "moyens": selectors.moyens_of(document),
                "copies": selectors.copies_signees_for(feuille),
                "coredacteurs": selectors.coredacteurs_of(feuille) if context["peut_gerer"] else [],
                "approbation_form": ApprobationForm(),
                "invitation_form": InvitationForm(),
                "copie_form": CopieSigneeForm(),
            },
            request=request,
        )

    # The page differs between readers only by what they may do with this version (the edit
    # links, the forms); the rest is the feuille's data, cached until they change. The PDF's
    # state, between the document and its annexes, is read on every request (polled live).
    droits = "".join(
        "1" if context[droit] else "0" for droit in ("peut_ecrire", "peut_gerer", "peut_generer")
    )
    key = f"feuilles_de_route:editeur:{feuille.pk}:{document.pk}:{document.numero}:{document.statut}:{droits}"
    parts = cached_content(request, key, render_parts, depends_on=DEPENDS_ON, parameters=())
    menu, contenu, annexes = (mark_safe(part) for part in parts.split(_PART))  # escaped by their templates
    return render(
        request,
        "feuilles_de_route/document_detail.html",
        {
            **context,
            "menu": menu,
            "contenu": contenu,
            "job": selectors.latest_pdf_job(document),
            "annexes": annexes,
        },
    )
