from django.urls import path

from . import views

app_name = "diagnostic"

urlpatterns = [
    path("departements/<str:code>/donnees/", views.departement_donnees, name="departement"),
    path(
        "departements/<str:code>/donnees/communes.<str:fmt>",
        views.departement_communes_export,
        name="departement_export",
    ),
    path("departements/<str:code>/donnees/communes/<str:insee>/", views.commune, name="commune"),
    path("national/donnees/", views.national_donnees, name="national"),
    path("donnees/sources/", views.sources, name="sources"),
]
