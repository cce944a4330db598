from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from comptes import perms

from . import search, selectors
from .enums import TypeCollectivite


def departement_list(request):
    """The départements a user may open: all of them for ANCT, those of its région for a SGAR."""
    departements = selectors.departements_with_figures(perms.departements_readable_by(request.user))
    return render(request, "territoires/departement_list.html", {"departements": departements})


def departement_home(request, code):
    departement = perms.get_departement_for_user_or_404(request.user, code)
    return render(
        request,
        "territoires/departement_home.html",
        {
            "departement": departement,
            "figures": selectors.departement_figures(departement),
            "can_write": perms.can_write_departement(request.user, departement),
            "switchable": perms.departements_readable_by(request.user).count() > 1,
        },
    )


@login_not_required
@require_GET
def recherche(request):
    """Collectivités for the forms' autocomplete: `?q=nevers&departement=58&types=commune,epci`."""
    query = request.GET.get("q", "").strip()
    if len(query) < 2:
        return JsonResponse([], safe=False)
    types = None
    if request.GET.get("types"):
        asked = request.GET["types"].split(",")
        types = [TypeCollectivite(value) for value in asked if value in TypeCollectivite.values]
    results = search.search_collectivites(
        query, departement=request.GET.get("departement") or None, types=types, limit=20
    )
    return JsonResponse(
        [{"key": r.key, "label": r.label, "type": r.type, "code": r.code, "nom": r.nom} for r in results],
        safe=False,
    )
