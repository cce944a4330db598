from django.urls import path

from . import views

app_name = "gouvernances"

urlpatterns = [
    path("departements/<str:code>/gouvernance/", views.gouvernance_detail, name="detail"),
    path("departements/<str:code>/gouvernance/remonter/", views.gouvernance_submit, name="submit"),
    path("departements/<str:code>/gouvernance/historique/", views.historique, name="historique"),
    path("departements/<str:code>/gouvernance/impression/", views.impression, name="impression"),
    path("departements/<str:code>/gouvernance/publique/", views.publique, name="publique"),
    path("departements/<str:code>/gouvernance/<slug:section>/", views.section_edit, name="section"),
]
