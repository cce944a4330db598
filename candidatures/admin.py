from django.contrib import admin

from .models import AutreStructure, Contact, ManifestationInteret, PerimetreCollectivite


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["type", "prenom", "nom", "fonction", "email"]


class PerimetreInline(admin.TabularInline):
    model = PerimetreCollectivite
    extra = 0
    autocomplete_fields = ["region", "departement", "epci", "commune"]


class AutreStructureInline(admin.TabularInline):
    model = AutreStructure
    extra = 0


@admin.register(ManifestationInteret)
class ManifestationInteretAdmin(admin.ModelAdmin):
    list_display = ["__str__", "persona", "intention", "statut", "confirmee_le", "user"]
    list_filter = ["statut", "intention", "persona"]
    search_fields = ["structure_nom", "structure_siret", "commune__nom", "epci__nom", "user__email"]
    autocomplete_fields = ["user", "region", "departement", "epci", "commune", "structure_departement"]
    readonly_fields = ["version", "confirmee_le", "annulee_le", "accuse_envoye_le", "prefecture_notifiee_le"]
    inlines = [ContactInline, PerimetreInline, AutreStructureInline]
