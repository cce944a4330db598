"""The FilterSet of ANCT's table of demandes; it plugs into selectors.demandes_national (the access
rule is applied there, before)."""

import django_filters
from django.db.models import Exists, OuterRef

from besoins.enums import Item
from core.forms import FneFilterForm
from territoires.models import Region

from .enums import Fonds, Instruction, StatutDemande
from .forms import MontantField
from .models import BesoinVise
from .selectors import regions_campagne

MODIFICATION = "modification"


class DemandesFilterForm(FneFilterForm):
    pass


class MontantFilter(django_filters.Filter):
    field_class = MontantField


class DemandesFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        label="Région",
        queryset=Region.objects.none(),
        empty_label="Toutes les régions",
        field_name="gouvernance__departement__region",
    )
    departement = django_filters.CharFilter(
        label="Code département",
        method="filter_departement",
        max_length=3,
        error_messages={"max_length": "Un code département compte au plus 3 caractères."},
    )
    statut = django_filters.ChoiceFilter(
        label="Statut",
        choices=[
            (StatutDemande.BROUILLON.value, "Brouillon"),
            (MODIFICATION, "Modification demandée"),
            (StatutDemande.VALIDEE.value, "Validée et envoyée (à instruire)"),
            (StatutDemande.ACCEPTEE.value, "Acceptée"),
            (StatutDemande.REJETEE.value, "Rejetée"),
        ],
        empty_label="Tous les statuts",
        method="filter_statut",
    )
    fonds = django_filters.ChoiceFilter(label="Fonds", choices=Fonds.choices, empty_label="Tous les fonds")
    besoin = django_filters.ChoiceFilter(
        label="Besoin", choices=Item.choices, empty_label="Tous les besoins", method="filter_besoin"
    )
    montant_min = MontantFilter(
        label="Subvention d'au moins (€)", field_name="subvention_demandee", lookup_expr="gte"
    )
    montant_max = MontantFilter(
        label="Subvention d'au plus (€)", field_name="subvention_demandee", lookup_expr="lte"
    )

    class Meta:
        fields = []
        form = DemandesFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = regions_campagne()

    def filter_departement(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(gouvernance__departement_id=value) if value else queryset

    def filter_statut(self, queryset, name, value):
        if value == MODIFICATION:
            return queryset.filter(statut=StatutDemande.BROUILLON, instruction=Instruction.MODIFICATION)
        if value == StatutDemande.BROUILLON:
            return queryset.filter(statut=value).exclude(instruction=Instruction.MODIFICATION)
        return queryset.filter(statut=value) if value else queryset

    def filter_besoin(self, queryset, name, value):
        if not value:
            return queryset
        # A subquery rather than a join: no duplicate rows, no DISTINCT to reconcile with the sort.
        return queryset.filter(Exists(BesoinVise.objects.filter(demande=OuterRef("pk"), item=value)))

    @property
    def qs(self):
        qs = super().qs
        return qs.order_by(*(qs.query.order_by or []), "pk")
