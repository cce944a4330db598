from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Besoin, Besoins


class BesoinInline(admin.TabularInline):
    model = Besoin
    extra = 0
    fields = (
        "categorie",
        "item",
        "ressource_humaine",
        "etp",
        "prestation",
        "personnes_a_former",
        "precision",
    )


@admin.register(Besoins)
class BesoinsAdmin(SimpleHistoryAdmin):
    list_display = ("gouvernance", "chef_de_projet", "priorisee_le", "updated_at", "modifie_par")
    list_select_related = ("gouvernance__departement", "modifie_par")
    search_fields = ("gouvernance__departement__nom", "gouvernance__departement__code")
    readonly_fields = ("version", "modifie_par", "created_at", "updated_at")
    inlines = [BesoinInline]
