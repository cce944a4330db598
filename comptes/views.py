from django.shortcuts import redirect, render
from django.urls import reverse

from . import perms


def home(request):
    """Where a user lands after login: the space their role opens."""
    user = request.user
    if perms.is_prefecture(user):
        return redirect(reverse("territoires:departement_home", kwargs={"code": user.departement_id}))
    if perms.is_national(user) or perms.is_prefecture_region(user):
        return redirect("territoires:departement_list")
    return render(request, "comptes/home.html")
