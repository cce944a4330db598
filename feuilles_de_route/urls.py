from django.urls import path

from . import views

app_name = "feuilles_de_route"

urlpatterns = [
    path("feuilles-de-route/", views.feuille_list, name="liste"),
    path("feuilles-de-route/<int:pk>/", views.editeur, name="editeur"),
    path("feuilles-de-route/<int:pk>/section/<slug:section>/", views.section_edit, name="section"),
    path(
        "feuilles-de-route/<int:pk>/diagnostic/mettre-a-jour/",
        views.diagnostic_mise_a_jour,
        name="diagnostic_mise_a_jour",
    ),
    path("feuilles-de-route/<int:pk>/axes/ajouter/", views.axe_edit, name="axe_ajouter"),
    path("feuilles-de-route/<int:pk>/axes/<int:axe_pk>/", views.axe_edit, name="axe"),
    path(
        "feuilles-de-route/<int:pk>/axes/<int:axe_pk>/supprimer/", views.axe_supprimer, name="axe_supprimer"
    ),
    path(
        "feuilles-de-route/<int:pk>/axes/<int:axe_pk>/fiches/ajouter/", views.fiche_edit, name="fiche_ajouter"
    ),
    path(
        "feuilles-de-route/<int:pk>/axes/<int:axe_pk>/fiches/<int:fiche_pk>/", views.fiche_edit, name="fiche"
    ),
    path(
        "feuilles-de-route/<int:pk>/axes/<int:axe_pk>/fiches/<int:fiche_pk>/supprimer/",
        views.fiche_supprimer,
        name="fiche_supprimer",
    ),
    path("feuilles-de-route/<int:pk>/signataires/", views.signataires, name="signataires"),
    path(
        "feuilles-de-route/<int:pk>/signataires/<int:signataire_pk>/supprimer/",
        views.signataire_supprimer,
        name="signataire_supprimer",
    ),
    path("feuilles-de-route/<int:pk>/soumettre/", views.soumettre, name="soumettre"),
    path("feuilles-de-route/<int:pk>/statut/", views.statut, name="statut"),
    path("feuilles-de-route/<int:pk>/historique/", views.historique, name="historique"),
    path("feuilles-de-route/<int:pk>/inviter/", views.inviter, name="inviter"),
    path("feuilles-de-route/<int:pk>/pdf/", views.pdf_demander, name="pdf"),
    path("feuilles-de-route/<int:pk>/pdf/<int:job_pk>/", views.pdf_etat, name="pdf_etat"),
    path(
        "feuilles-de-route/<int:pk>/pdf/<int:job_pk>/telecharger/",
        views.pdf_telecharger,
        name="pdf_telecharger",
    ),
    path("feuilles-de-route/<int:pk>/copies-signees/", views.copie_deposer, name="copie_deposer"),
    path(
        "feuilles-de-route/<int:pk>/copies-signees/<int:copie_pk>/",
        views.copie_telecharger,
        name="copie_telecharger",
    ),
]
