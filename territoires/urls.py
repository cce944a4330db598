from django.urls import path

from . import views

app_name = "territoires"

urlpatterns = [
    path("departements/", views.departement_list, name="departement_list"),
    path("departements/<str:code>/", views.departement_home, name="departement_home"),
    path("territoires/recherche/", views.recherche, name="recherche"),
]
