from django.urls import path

from . import views

app_name = "donnees_ouvertes"

urlpatterns = [
    path("donnees-ouvertes/", views.liste, name="liste"),
    # Before the files' pattern, which would read it as the « datapackage » data set in JSON.
    path("donnees-ouvertes/datapackage.json", views.datapackage, name="datapackage"),
    path("donnees-ouvertes/<slug:jeu>/schema.json", views.schema, name="schema"),
    path("donnees-ouvertes/<slug:jeu>.<str:fmt>", views.fichier, name="fichier"),
    # The public index; « /gouvernance/ » (singular) stays the public interest form.
    path("gouvernances/", views.gouvernances, name="gouvernances"),
]
