from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RappelEnvoye, SuiviDepartement


@admin.register(SuiviDepartement)
class SuiviDepartementAdmin(SimpleHistoryAdmin):
    list_display = ("departement", "probleme", "updated_at", "modifie_par")
    search_fields = ("departement__nom", "departement__code")
    raw_id_fields = ("departement", "modifie_par")


@admin.register(RappelEnvoye)
class RappelEnvoyeAdmin(admin.ModelAdmin):
    list_display = ("departement", "echeance", "envoye_le", "destinataires")
    list_filter = ("echeance",)
    readonly_fields = ("departement", "echeance", "envoye_le", "destinataires")
