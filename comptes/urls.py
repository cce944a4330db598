from django.urls import path

from . import views

app_name = "comptes"

urlpatterns = [
    path("mon-espace/demande-de-role/", views.demande_role, name="demande_role"),
    path("administration/demandes-de-role/", views.demandes, name="demandes"),
    path("administration/demandes-de-role/<int:pk>/decision/", views.decider, name="decider"),
]
