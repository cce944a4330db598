from django.shortcuts import render

from comptes import perms

from . import selectors


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
