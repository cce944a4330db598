from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FeuilleDeRoute


@admin.register(FeuilleDeRoute)
class FeuilleDeRouteAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "gouvernance", "perimetre", "contrat_preexistant"]
    list_filter = ["perimetre", "contrat_preexistant"]
    search_fields = ["nom", "gouvernance__departement__nom"]
    autocomplete_fields = ["epcis"]
    raw_id_fields = ["porteur", "gouvernance"]
