from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from gouvernances.selectors import calendrier

from .content import AXES, OBJECTIFS_2027


@login_not_required
def home(request):
    return render(
        request,
        "core/home.html",
        {"axes": AXES, "objectifs": OBJECTIFS_2027, "calendrier": calendrier()},
    )


@login_not_required
def accessibilite(request):
    return render(request, "core/accessibilite.html")


@login_not_required
def mentions_legales(request):
    return render(request, "core/mentions_legales.html")


@login_not_required
@require_safe
@never_cache
def sante(request):
    """Liveness probe for the load balancer and monitoring: answers « ok » when a worker can serve
    a request. Public, no template, no database nor cache query (so it also stands as the
    baseline of bench/load.sh)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
