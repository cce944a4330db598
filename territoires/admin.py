from django.contrib import admin

from .models import AncienCodeCommune, Commune, Departement, Epci, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "zone"]
    search_fields = ["code", "nom"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "region", "population"]
    list_filter = ["region"]
    search_fields = ["code", "nom"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "type", "population"]
    list_filter = ["type"]
    search_fields = ["code", "nom"]
    filter_horizontal = ["departements"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "departement", "epci", "population", "codes_postaux"]
    list_filter = ["departement__region"]
    search_fields = ["code", "nom", "codes_postaux", "siren"]
    raw_id_fields = ["epci"]


@admin.register(AncienCodeCommune)
class AncienCodeCommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "commune"]
    search_fields = ["code", "nom"]
    raw_id_fields = ["commune"]
