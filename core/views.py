from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

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
