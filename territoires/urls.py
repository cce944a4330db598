from django.urls import path

from . import views

app_name = "territoires"

urlpatterns = [
    path("territoires/recherche/", views.recherche, name="recherche"),
]
