from django.urls import path

from . import views

app_name = "comptes"

urlpatterns = [
    path("mon-espace/", views.home, name="home"),
]
