from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from . import search
from .enums import TypeCollectivite


@login_not_required
@require_GET
def recherche(request):
    """Collectivités for the forms' autocomplete: `?q=nevers&departement=58&types=commune,epci`.

    `types=epci` covers the EPCI and the établissements publics territoriaux of the Grand Paris;
    `type_label` tells them apart (« EPCI », « Établissement public territorial »)."""
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
    # `label` is what the field shows once a suggestion is picked; `detail` tells namesakes apart.
    return JsonResponse(
        [
            {
                "key": r.key,
                "label": r.label,
                "detail": r.detail,
                "type": r.type,
                "type_label": r.type_label,
                "code": r.code,
                "nom": r.nom,
            }
            for r in results
        ],
        safe=False,
    )
