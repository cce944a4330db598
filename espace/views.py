"""The site's own pages. Each page's data is assembled here from the domain apps' selectors, so
that what a page queries is visible in its view (templates and template tags never query)."""

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from besoins.selectors import besoins_page
from besoins.signals import BESOINS
from candidatures.selectors import compteurs_for_departement, manifestations_of
from candidatures.signals import CANDIDATURES
from comptes import perms
from comptes.selectors import demandes_en_attente
from core.cache import cached_content, cached_page
from feuilles_de_route.selectors import feuilles_for
from gouvernances.selectors import appartenances, calendrier, edition_key
from gouvernances.signals import GOUVERNANCES
from subventions.selectors import subventions_card
from subventions.signals import SUBVENTIONS
from territoires.selectors import departement_figures, departements_with_figures
from territoires.signals import REFERENTIEL

from .content import AXES, OBJECTIFS_2027

# Pending role requests shown on an administrator's landing page (the list page has them all).
DEMANDES_AFFICHEES = 5

# What the espace départemental shows: the referential's figures, the candidates' counters, the
# gouvernance and the campaign's calendar (the besoins card's window), the besoins, the subventions.
DEPARTEMENT_HOME_DEPENDS_ON = (REFERENTIEL, CANDIDATURES, GOUVERNANCES, BESOINS, SUBVENTIONS)


@login_not_required
@require_GET
@cached_page(depends_on=(GOUVERNANCES,))  # the calendar
def home(request):
    return render(
        request,
        "espace/home.html",
        {"page_title": "Accueil", "axes": AXES, "objectifs": OBJECTIFS_2027, "calendrier": calendrier()},
    )


@login_not_required
@require_GET
@cached_page(depends_on=())
def accessibilite(request):
    return render(request, "espace/accessibilite.html", {"page_title": "Déclaration d'accessibilité"})


@login_not_required
@require_GET
@cached_page(depends_on=())
def mentions_legales(request):
    return render(
        request, "espace/mentions_legales.html", {"page_title": "Mentions légales et données personnelles"}
    )


@require_GET
def mon_espace(request):
    """Where a user lands after login: the space their role opens."""
    user = request.user
    if perms.is_prefecture(user):
        return redirect("espace:departement", code=user.departement_id)
    if perms.is_national(user) or perms.is_prefecture_region(user):
        return redirect("espace:departements")
    return render(
        request,
        "espace/mon_espace.html",
        {
            "page_title": "Mon espace",
            "manifestations": manifestations_of(user=user),
            "feuilles": list(feuilles_for(user=user)),
            "appartenances": appartenances(user=user),
        },
    )


@require_GET
def departement_list(request):
    """The départements a user may open: all of them for ANCT, those of its région for a SGAR.
    It is where administrators land: the role requests waiting for them come first."""
    user = request.user
    departements = departements_with_figures(perms.departements_readable_by(user))
    context = {
        "page_title": "Départements",
        "departements": departements,
        "demandes_en_attente": None,
        "export_contacts": "",
    }
    if perms.can_decide_role_requests(user):
        pending = demandes_en_attente(user=user)
        context["demandes_en_attente"] = list(pending[:DEMANDES_AFFICHEES])
        context["demandes_en_attente_total"] = pending.count()
    if perms.can_read_several_departements(user):
        context["export_contacts"] = (
            "de tous les départements"
            if perms.is_national(user)
            else f"des départements de la région {user.region.nom}"
        )
    return render(request, "espace/departement_list.html", context)


@require_GET
def departement_home(request, code):
    """The espace départemental: the territory's figures and a card per part of the campaign."""
    user = request.user
    departement = perms.get_departement_for_user_or_404(user, code)
    switchable = perms.reads_several_departements(user)

    def render_contenu() -> str:
        return render_to_string(
            "espace/includes/departement_home_contenu.html",
            {
                "departement": departement,
                "figures": departement_figures(departement),
                "can_write": perms.can_write_departement(user, departement),
                "switchable": switchable,
                "compteurs": compteurs_for_departement(user=user, departement=departement),
                "besoins_etat": besoins_page(user=user, departement=departement),
                "subventions_etat": subventions_card(user=user, departement=departement),
            },
            request=request,
        )

    # Besides the data, the content varies with the viewer's rights (the read-only banner and the
    # besoins card's write window, the switch between départements, the subventions card) and
    # with the campaign's deadline and today's date (the window's state): all in `edition_key`
    # but the last two.
    viewer = (edition_key(user, departement), switchable, perms.can_read_subventions(user, departement))
    contenu = cached_content(
        request,
        f"espace:departement:{departement.code}:{hashlib.sha256(repr(viewer).encode()).hexdigest()[:16]}",
        render_contenu,
        depends_on=DEPARTEMENT_HOME_DEPENDS_ON,
        parameters=(),
    )
    return render(
        request,
        "espace/departement_home.html",
        {"page_title": f"{departement.nom} ({departement.code})", "contenu": contenu},
    )
