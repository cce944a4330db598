from django.contrib import admin

from .models import Etablissement


@admin.register(Etablissement)
class EtablissementAdmin(admin.ModelAdmin):
    list_display = ["siret", "statut", "nom", "code_naf", "verifie_le", "tentatives"]
    list_filter = ["statut"]
    search_fields = ["siret", "nom"]
    readonly_fields = ["created_at", "updated_at"]
