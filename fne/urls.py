from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Espace France Numérique Ensemble — administration"
admin.site.site_title = "Administration FNE"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", include("core.urls")),
    path("", include("espace.urls")),
    path("", include("territoires.urls")),
    path("", include("comptes.urls")),
    path("", include("candidatures.urls")),
    path("", include("gouvernances.urls")),
    path("", include("feuilles_de_route.urls")),
    path("", include("besoins.urls")),
    path("", include("subventions.urls")),
    path("", include("diagnostic.urls")),
    path("", include("national.urls")),
    path("", include("donnees_ouvertes.urls")),
    path("api/v1/", include("donnees_ouvertes.api.urls")),
    # allauth marks its own views login_not_required (login, signup, reset, ProConnect callback).
    path("comptes/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

# French DSFR pages for errors (core.views); the 500 one renders without touching the database.
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
