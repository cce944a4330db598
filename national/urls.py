from django.urls import path

from . import views

app_name = "national"

urlpatterns = [
    path("national/", views.tableau_de_bord, name="tableau_de_bord"),
    path("national/indicateurs/", views.indicateurs, name="indicateurs"),
    path("national/indicateurs/<slug:vue>.<slug:fmt>", views.indicateurs_export, name="indicateurs_export"),
    path("national/tableaux/<slug:table>/", views.table, name="table"),
    path("national/tableaux/<slug:table>/export.<slug:fmt>", views.export, name="export"),
    path("national/departements/<str:code>/", views.departement, name="departement"),
    path("national/departements/<str:code>/suivi/", views.suivi, name="suivi"),
    path("national/departements/<str:code>/rouvrir/", views.rouvrir, name="rouvrir"),
]
