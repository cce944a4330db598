from django.urls import path

from . import views

app_name = "subventions"

D = "departements/<str:code>/subventions/"

urlpatterns = [
    path(D, views.page, name="page"),
    path(f"{D}note/", views.note, name="note"),
    path(f"{D}formation/", views.formation, name="formation"),
    path(f"{D}demandes/nouvelle/", views.demande_nouvelle, name="demande_nouvelle"),
    path(f"{D}demandes/<int:pk>/", views.demande, name="demande"),
    path(f"{D}demandes/<int:pk>/modifier/", views.demande_modifier, name="demande_modifier"),
    path(f"{D}demandes/<int:pk>/valider/", views.demande_valider, name="demande_valider"),
    path(f"{D}demandes/<int:pk>/supprimer/", views.demande_supprimer, name="demande_supprimer"),
    path(f"{D}demandes/<int:pk>/budget/", views.demande_budget, name="demande_budget"),
    path(f"{D}conventions/<int:membre_pk>/", views.convention_demander, name="convention_demander"),
    path(f"{D}conventions/generations/<int:job_pk>/", views.convention_etat, name="convention_etat"),
    path(
        f"{D}conventions/generations/<int:job_pk>/convention.<slug:fmt>",
        views.convention_telecharger,
        name="convention_telecharger",
    ),
    path("national/subventions/", views.national, name="national"),
    path("national/subventions/consolidation/", views.national_consolidation, name="national_consolidation"),
    path("national/subventions/export/<slug:vue>.<slug:fmt>", views.national_export, name="national_export"),
    path("national/subventions/demandes/<int:pk>/", views.national_demande, name="national_demande"),
    path(
        "national/subventions/demandes/<int:pk>/instruire/",
        views.national_instruire,
        name="national_instruire",
    ),
]
