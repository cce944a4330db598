import django_filters
from django import forms
from django.db.models import Q

from core.forms import FneFilterForm

from .enums import Intention, Persona
from .models import Contact, ManifestationInteret


class CandidatsFilterForm(FneFilterForm):
    pass


class CandidatsFilter(django_filters.FilterSet):
    """Plugs into selectors.candidats_for_departement (the visibility rule is applied before)."""

    intention = django_filters.ChoiceFilter(
        label="Intention", choices=Intention.choices, empty_label="Toutes"
    )
    typologie = django_filters.ChoiceFilter(
        label="Typologie", field_name="persona", choices=Persona.choices, empty_label="Toutes"
    )
    depuis = django_filters.DateFilter(
        label="Déposé depuis le",
        field_name="confirmee_le",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    jusqu_au = django_filters.DateFilter(
        label="Déposé jusqu'au",
        field_name="confirmee_le",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(label="Recherche", method="search", help_text="Nom, SIRET, code, contact")

    class Meta:
        model = ManifestationInteret
        fields = []
        form = CandidatsFilterForm

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        contacts = Contact.objects.filter(
            Q(nom__icontains=value) | Q(prenom__icontains=value) | Q(email__icontains=value)
        ).values("manifestation_id")
        return queryset.filter(
            Q(structure_nom__icontains=value)
            | Q(structure_siret__startswith=value.replace(" ", ""))
            | Q(commune__nom__icontains=value)
            | Q(commune_id=value)
            | Q(epci__nom__icontains=value)
            | Q(epci_id=value)
            | Q(departement__nom__icontains=value)
            | Q(region__nom__icontains=value)
            | Q(id__in=contacts)
        )
