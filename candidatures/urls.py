from django.urls import path

from . import views

app_name = "candidatures"

urlpatterns = [
    path("gouvernance/", views.entree, name="entree"),
    path("gouvernance/formulaire/", views.mon_formulaire, name="mon_formulaire"),
    path("gouvernance/formulaire/participer/", views.participer, name="participer"),
    path("gouvernance/formulaire/porter/<slug:etape>/", views.porter, name="porter"),
    path("gouvernance/formulaire/recapitulatif/", views.recapitulatif, name="recapitulatif"),
    path("gouvernance/formulaire/confirmer/", views.confirmer, name="confirmer"),
    path("gouvernance/formulaire/recommencer/", views.recommencer, name="recommencer"),
    path("gouvernance/formulaire/annuler/", views.annuler, name="annuler"),
    path("departements/contacts/export.<str:fmt>", views.export_departements, name="export_departements"),
    path("departements/<str:code>/candidats/", views.liste, name="liste"),
    path("departements/<str:code>/candidats/<int:pk>/", views.detail, name="detail"),
    path("departements/<str:code>/candidats/export.<str:fmt>", views.export, name="export"),
]
