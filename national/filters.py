"""FilterSets of the national tables; they plug into the querysets of selectors.py (the access
rule is applied there, before). Each has a `region` filter, which is also the export's scope."""

import django_filters
from django.db.models import Q

from candidatures.enums import Intention, Persona
from comptes import perms
from core.forms import FneFilterForm
from feuilles_de_route.enums import StatutDocument, TypePerimetre
from gouvernances.enums import StatutGouvernance
from territoires.enums import TypeCollectivite
from territoires.models import Region

from .selectors import CAMPAGNE_ZONES

SANS_GOUVERNANCE = "aucune"
SANS_DOCUMENT = "aucun"
STRUCTURE = "structure"


class NationalFilterForm(FneFilterForm):
    pass


def _regions():
    return (
        Region.objects.filter(departements__zone__in=CAMPAGNE_ZONES)
        .distinct()
        .order_by("nom_recherche", "nom")
    )


class _RegionMixin(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        label="Région",
        queryset=Region.objects.none(),
        empty_label="Toutes les régions",
        method="filter_region",
    )
    region_path = "region"

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["region"].queryset = _regions()
        self.user = user

    def filter_region(self, queryset, name, value):
        return queryset.filter(**{self.region_path: value}) if value else queryset

    @property
    def region_choisie(self) -> Region | None:
        if not self.is_bound or not self.is_valid():
            return None
        return self.form.cleaned_data.get("region")

    @property
    def qs(self):
        qs = super().qs
        # A stable order whatever the sort: the primary key breaks ties.
        return qs.order_by(*(qs.query.order_by or []), "pk")


class GouvernancesFilter(_RegionMixin):
    statut = django_filters.ChoiceFilter(
        label="Statut",
        choices=[(SANS_GOUVERNANCE, "Aucun formulaire enregistré"), *StatutGouvernance.choices],
        empty_label="Tous les statuts",
        method="filter_statut",
    )
    probleme = django_filters.BooleanFilter(label="Problème identifié", method="filter_probleme")
    q = django_filters.CharFilter(label="Département (nom ou code)", method="search")
    tri = django_filters.OrderingFilter(
        fields=(
            ("code", "code"),
            ("nom_recherche", "nom"),
            ("region__nom_recherche", "region"),
            ("statut", "statut"),
            ("pressentie_le", "pressentie"),
            ("definitive_le", "definitive"),
            ("nb_membres", "membres"),
            ("nb_coporteurs", "coporteurs"),
            ("nb_feuilles", "feuilles"),
            ("nb_besoins", "besoins"),
        ),
        label="Trier par",
    )

    class Meta:
        fields = []
        form = NationalFilterForm

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if not perms.can_read_suivi(user):
            # The démo account never learns which départements have a problem noted.
            del self.filters["probleme"]

    def filter_statut(self, queryset, name, value):
        if value == SANS_GOUVERNANCE:
            return queryset.filter(gouvernance__isnull=True)
        return queryset.filter(gouvernance__statut=value) if value else queryset

    def filter_probleme(self, queryset, name, value):
        if value is None:
            return queryset
        avec = Q(suivi_anct__isnull=False) & ~Q(suivi_anct__probleme="")
        return queryset.filter(avec) if value else queryset.exclude(avec)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(nom__icontains=value) | Q(code=value.upper())) if value else queryset


class MembresFilter(_RegionMixin):
    region_path = "gouvernance__departement__region"
    departement = django_filters.CharFilter(
        label="Code département", field_name="gouvernance__departement_id"
    )
    type = django_filters.ChoiceFilter(
        label="Type",
        choices=[*TypeCollectivite.choices, (STRUCTURE, "Structure")],
        empty_label="Tous les types",
        method="filter_type",
    )
    coporteur = django_filters.BooleanFilter(label="Co-porteur", field_name="est_coporteur")
    q = django_filters.CharFilter(label="Nom ou référent", method="search")
    tri = django_filters.OrderingFilter(
        fields=(
            ("gouvernance__departement_id", "departement"),
            ("type_collectivite", "type"),
            ("est_coporteur", "coporteur"),
            ("referent_nom", "referent"),
        ),
        label="Trier par",
    )

    class Meta:
        fields = []
        form = NationalFilterForm

    def filter_type(self, queryset, name, value):
        if value == STRUCTURE:
            return queryset.filter(type_collectivite="")
        return queryset.filter(type_collectivite=value) if value else queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(structure_nom__icontains=value)
            | Q(commune__nom__icontains=value)
            | Q(epci__nom__icontains=value)
            | Q(departement__nom__icontains=value)
            | Q(region__nom__icontains=value)
            | Q(referent_nom__icontains=value)
            | Q(referent_email__icontains=value)
        )


class FeuillesFilter(_RegionMixin):
    region_path = "gouvernance__departement__region"
    departement = django_filters.CharFilter(
        label="Code département", field_name="gouvernance__departement_id"
    )
    perimetre = django_filters.ChoiceFilter(
        label="Périmètre", choices=TypePerimetre.choices, empty_label="Tous les périmètres"
    )
    document = django_filters.ChoiceFilter(
        label="Document",
        choices=[(SANS_DOCUMENT, "Pas encore commencé"), *StatutDocument.choices],
        empty_label="Tous",
        method="filter_document",
    )
    q = django_filters.CharFilter(label="Nom", field_name="nom", lookup_expr="icontains")
    tri = django_filters.OrderingFilter(
        fields=(
            ("gouvernance__departement_id", "departement"),
            ("nom", "nom"),
            ("perimetre", "perimetre"),
            ("nb_epci", "epci"),
            ("statut_document", "document"),
            ("approuvee_le", "approuvee"),
        ),
        label="Trier par",
    )

    class Meta:
        fields = []
        form = NationalFilterForm

    def filter_document(self, queryset, name, value):
        if value == SANS_DOCUMENT:
            return queryset.filter(statut_document="")
        return queryset.filter(statut_document=value) if value else queryset


class CandidatsFilter(_RegionMixin):
    typologie = django_filters.ChoiceFilter(
        label="Typologie", field_name="persona", choices=Persona.choices, empty_label="Toutes"
    )
    intention = django_filters.ChoiceFilter(
        label="Intention", choices=Intention.choices, empty_label="Toutes"
    )
    departement = django_filters.CharFilter(label="Code département", method="filter_departement")
    q = django_filters.CharFilter(label="Nom ou SIRET", method="search")
    tri = django_filters.OrderingFilter(
        fields=(("confirmee_le", "date"), ("persona", "typologie"), ("intention", "intention")),
        label="Trier par",
    )

    class Meta:
        fields = []
        form = NationalFilterForm

    def filter_region(self, queryset, name, value):
        if not value:
            return queryset
        from territoires.models import Epci

        return queryset.filter(
            Q(region=value)
            | Q(departement__region=value)
            | Q(commune__departement__region=value)
            | Q(structure_departement__region=value)
            | Q(epci__in=Epci.objects.filter(departements__region=value).values("code"))
        )

    def filter_departement(self, queryset, name, value):
        value = value.strip().upper()
        if not value:
            return queryset
        from territoires.models import Epci

        return queryset.filter(
            Q(departement_id=value)
            | Q(commune__departement_id=value)
            | Q(structure_departement_id=value)
            | Q(epci__in=Epci.objects.filter(departements=value).values("code"))
            | Q(region__departements=value)
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(structure_nom__icontains=value)
            | Q(structure_siret__startswith=value.replace(" ", ""))
            | Q(commune__nom__icontains=value)
            | Q(epci__nom__icontains=value)
            | Q(departement__nom__icontains=value)
            | Q(region__nom__icontains=value)
        )
