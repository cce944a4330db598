from django.urls import path

from . import views

app_name = "besoins"

urlpatterns = [
    path("departements/<str:code>/besoins/", views.synthese, name="synthese"),
    path("departements/<str:code>/besoins/selection/", views.selection, name="selection"),
    path("departements/<str:code>/besoins/totaux/", views.totaux, name="totaux"),
    path("departements/<str:code>/besoins/priorisation/", views.priorisation, name="priorisation"),
    path("national/besoins/", views.national, name="national"),
    path("national/besoins/export/<slug:vue>.<slug:fmt>", views.national_export, name="national_export"),
    path("national/besoins/<slug:item>/", views.national_item, name="national_item"),
]
