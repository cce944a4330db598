"""The API's URLs (`/api/v1/`, namespace « api »): django-ninja's operations and OpenAPI
description, the French documentation page, and a problem detail for any other address.

Every view is public (LoginRequiredMiddleware lets them through) and answers a method it does not
serve with a problem detail too, not django-ninja's plain-text 405."""

import functools

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, path, re_path
from django.views.decorators.http import require_safe

from .. import views
from . import api
from .problemes import PROBLEM_CONTENT_TYPE, probleme

app_name = "api"


def _public(view):
    # Read-only through and through: django-ninja answers a POST to the OpenAPI description as
    # to a GET, so every address refuses what is not GET or HEAD before the view runs.
    safe = require_safe(view)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = safe(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_CONTENT_TYPE:
            allowed = response.get("Allow", "GET")
            refused = probleme(
                request,
                status=405,
                detail=f"L'API est en lecture seule : cette adresse ne répond qu'à {' et '.join(allowed.split(', '))}.",
            )
            refused["Allow"] = allowed
            return refused
        return response

    return login_not_required(wrapped)


urlpatterns = [
    *(
        URLPattern(pattern.pattern, _public(pattern.callback), pattern.default_args, pattern.name)
        for pattern in api.urls[0]
        # django-ninja's root (a 404 naming its own docs) gives way to the API's index.
        if pattern.name != "api-root"
    ),
    # Named as django-ninja names its root: it finds the API's prefix by it.
    path("", _public(views.api_accueil), name="api-root"),
    path("documentation/", views.api_documentation, name="documentation"),
    re_path(r"^(?P<reste>.+)$", views.api_introuvable, name="introuvable"),
]
