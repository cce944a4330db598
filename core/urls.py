from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("sante/", views.sante, name="sante"),
    path("sante/pret/", views.sante_pret, name="sante_pret"),
]
