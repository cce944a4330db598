from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import conventions, services
from .models import (
    Beneficiaire,
    BesoinVise,
    ConventionJob,
    Demande,
    Dotation,
    ModeleConvention,
    NoteSubventions,
)


class DotationForm(forms.ModelForm):
    class Meta:
        model = Dotation
        fields = ("departement", "fonds", "annee", "montant", "source")

    def clean_montant(self):
        montant = self.cleaned_data["montant"]
        if self.instance.pk and montant is not None:
            deja = services.engage(self.instance)
            if montant < deja:
                raise ValidationError(
                    f"Les demandes non rejetées engagent déjà {services.montant(deja)} : "
                    "la dotation ne peut pas être inférieure."
                )
        return montant


@admin.register(Dotation)
class DotationAdmin(SimpleHistoryAdmin):
    """Administrators edit dotations here; a CSV loads them all (manage.py import_dotations)."""

    form = DotationForm
    list_display = ("departement", "fonds", "annee", "montant", "source")
    list_filter = ("fonds", "annee")
    search_fields = ("departement__nom", "departement__code")
    list_select_related = ("departement",)

    def get_readonly_fields(self, request, obj=None):
        # Its demandes hang on this very dotation: a stored one keeps its département, fund and
        # year; only its amount and source change.
        if obj is not None and obj.pk:
            return ("departement", "fonds", "annee")
        return ()

    def save_model(self, request, obj, form, change):
        if change:
            services.dotation_save(
                dotation=obj, montant_nouveau=obj.montant, source=obj.source, user=request.user
            )
        else:
            obj._history_user = request.user
            obj.save()


class BesoinViseInline(admin.TabularInline):
    model = BesoinVise
    extra = 0
    readonly_fields = ("item",)
    can_delete = False


class BeneficiaireInline(admin.TabularInline):
    model = Beneficiaire
    extra = 0
    readonly_fields = ("membre", "montant")
    can_delete = False


@admin.register(Demande)
class DemandeAdmin(SimpleHistoryAdmin):
    """Read-only here: demandes are written by the préfecture's pages and instructed on /national/."""

    list_display = ("__str__", "gouvernance", "fonds", "subvention_demandee", "statut", "updated_at")
    list_filter = ("fonds", "statut")
    list_select_related = ("gouvernance__departement", "fiche_action")
    search_fields = ("gouvernance__departement__nom", "fiche_action__nom")
    inlines = [BesoinViseInline, BeneficiaireInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NoteSubventions)
class NoteSubventionsAdmin(SimpleHistoryAdmin):
    list_display = ("gouvernance", "modifie_le", "modifie_par")
    readonly_fields = ("gouvernance", "texte", "version", "modifie_par", "modifie_le")

    def has_add_permission(self, request):
        return False


class ModeleConventionForm(forms.ModelForm):
    class Meta:
        model = ModeleConvention
        fields = ("nom", "fichier", "actif")

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier and hasattr(fichier, "read"):
            fichier.seek(0)
            refus = conventions.check_template(fichier.read())
            fichier.seek(0)
            if refus:
                raise ValidationError(refus)
        return fichier


@admin.register(ModeleConvention)
class ModeleConventionAdmin(SimpleHistoryAdmin):
    """The latest active template fills the new conventions; without one, the shipped template."""

    form = ModeleConventionForm
    list_display = ("nom", "actif", "created_at")


@admin.register(ConventionJob)
class ConventionJobAdmin(admin.ModelAdmin):
    list_display = ("membre", "gouvernance", "etat", "created_at", "fin")
    list_filter = ("etat",)
    list_select_related = ("membre__gouvernance__departement", "gouvernance__departement")
    readonly_fields = [f.name for f in ConventionJob._meta.fields]

    def has_add_permission(self, request):
        return False
