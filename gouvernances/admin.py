from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from core.formats import compte, french_date

from .models import Comite, Coordination, Echeance, Gouvernance, Membre, SectionState


@admin.register(Echeance)
class EcheanceAdmin(SimpleHistoryAdmin):
    list_display = [
        "libelle",
        "date_limite",
        "date_affichee",
        "statut",
        "besoins_attendus",
        "feuilles_attendues",
        "code",
    ]
    ordering = ["date_limite"]


class MembreInline(admin.TabularInline):
    model = Membre
    extra = 0
    fields = ["type_collectivite", "structure_nom", "structure_siret", "est_coporteur", "referent_email"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False


class ComiteInline(admin.TabularInline):
    model = Comite
    extra = 0


class CoordinationInline(admin.TabularInline):
    model = Coordination
    extra = 0


class SectionStateInline(admin.TabularInline):
    model = SectionState
    extra = 0
    readonly_fields = ["section", "version", "modifie_par", "modifie_le"]
    can_delete = False


@admin.action(description="Rouvrir le formulaire pendant 15 jours")
def rouvrir_15_jours(modeladmin, request, queryset):
    import datetime

    from django.utils import timezone

    from .services import gouvernance_reopen

    jusquau = timezone.localdate() + datetime.timedelta(days=15)
    for gouvernance in queryset:
        gouvernance_reopen(gouvernance=gouvernance, user=request.user, jusquau=jusquau)
    rouverts = compte(queryset.count(), "formulaire rouvert", "formulaires rouverts")
    modeladmin.message_user(request, f"{rouverts} jusqu'au {french_date(jusquau)}.", messages.SUCCESS)


@admin.register(Gouvernance)
class GouvernanceAdmin(SimpleHistoryAdmin):
    list_display = [
        "departement",
        "statut",
        "pressentie_remontee_le",
        "definitive_remontee_le",
        "rouverte_jusquau",
    ]
    list_filter = ["statut"]
    search_fields = ["departement__nom", "departement__code"]
    readonly_fields = ["departement", "statut", "pressentie_remontee_le", "definitive_remontee_le"]
    fields = [
        "departement",
        "statut",
        "pressentie_remontee_le",
        "definitive_remontee_le",
        "rouverte_jusquau",
        "sous_prefet_prenom",
        "sous_prefet_nom",
        "sous_prefet_email",
        "pas_de_coporteur",
    ]
    inlines = [SectionStateInline, MembreInline, ComiteInline, CoordinationInline]
    actions = [rouvrir_15_jours]
