from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FeuilleDeRoute, PdfJob


@admin.register(FeuilleDeRoute)
class FeuilleDeRouteAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "gouvernance", "perimetre", "contrat_preexistant"]
    list_filter = ["perimetre", "contrat_preexistant"]
    search_fields = ["nom", "gouvernance__departement__nom"]
    autocomplete_fields = ["epcis"]
    raw_id_fields = ["porteur", "gouvernance"]


@admin.register(PdfJob)
class PdfJobAdmin(admin.ModelAdmin):
    """Read-only: what happened to each PDF rendering, with the technical detail the page never
    shows (the exception, for the team)."""

    list_display = ["id", "document", "etat", "tentatives", "created_at", "debut", "fin"]
    list_filter = ["etat"]
    raw_id_fields = ["document", "demande_par"]
    readonly_fields = [
        "document",
        "demande_par",
        "etat",
        "raison",
        "detail_technique",
        "file_indisponible",
        "tentatives",
        "tache",
        "fichier",
        "pages",
        "debut",
        "fin",
    ]

    def has_add_permission(self, request):
        return False
