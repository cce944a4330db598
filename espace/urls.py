from django.urls import path

from . import views

app_name = "espace"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("mon-espace/", views.mon_espace, name="mon_espace"),
    path("departements/", views.departement_list, name="departements"),
    path("departements/<str:code>/", views.departement_home, name="departement"),
]
