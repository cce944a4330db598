from django.contrib import admin

from .models import (
    AidantsConnectStructure,
    ConseillersNumeriquesActivite,
    ImportRun,
    IndiceFragilite,
    LieuMediation,
)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "source",
        "fichier",
        "date_donnees",
        "lus",
        "crees",
        "mis_a_jour",
        "rejetes",
    ]
    list_filter = ["source"]
    readonly_fields = [f.name for f in ImportRun._meta.fields] + ["rejets", "avertissements"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LieuMediation)
class LieuMediationAdmin(admin.ModelAdmin):
    list_display = [
        "nom",
        "commune",
        "typologie",
        "france_services",
        "conseillers_numeriques",
        "aidants_connect",
    ]
    list_filter = [
        "typologie",
        "france_services",
        "conseillers_numeriques",
        "aidants_connect",
        "en_zrr",
        "en_qpv",
    ]
    search_fields = ["nom", "identifiant", "commune__nom"]
    raw_id_fields = ["commune"]


@admin.register(IndiceFragilite)
class IndiceFragiliteAdmin(admin.ModelAdmin):
    list_display = ["code_source", "commune", "epci", "score"]
    search_fields = ["code_source", "commune__nom", "epci__nom"]
    raw_id_fields = ["commune", "epci"]


@admin.register(AidantsConnectStructure)
class AidantsConnectStructureAdmin(admin.ModelAdmin):
    list_display = ["nom", "commune", "actif", "nb_aidants", "nb_usagers"]
    list_filter = ["actif", "france_services"]
    search_fields = ["nom", "siret", "commune__nom"]
    raw_id_fields = ["commune"]


@admin.register(ConseillersNumeriquesActivite)
class ConseillersNumeriquesActiviteAdmin(admin.ModelAdmin):
    list_display = ["departement", "usagers", "accompagnements"]
