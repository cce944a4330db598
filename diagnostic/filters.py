import django_filters
from django.db.models import F, Q

from core.forms import SEARCH_MAX_LENGTH
from territoires.models import Departement, Epci


class CommuneIndicateursFilter(django_filters.FilterSet):
    """Filters and sort of the commune table; the queryset comes from `selectors.communes_indicateurs`."""

    nom = django_filters.CharFilter(
        field_name="nom",
        lookup_expr="icontains",
        label="Nom de la commune",
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": f"Une recherche compte au plus {SEARCH_MAX_LENGTH} caractères : raccourcissez-la."
        },
    )
    # An EPCI, or an établissement public territorial of the Grand Paris (its communes are also
    # those of the Métropole).
    epci = django_filters.ModelChoiceFilter(
        field_name="epci",
        queryset=Epci.objects.none(),
        label="EPCI",
        empty_label="Tous les EPCI",
        method="filter_epci",
    )
    sans_lieu = django_filters.BooleanFilter(method="filter_sans_lieu", label="Sans lieu de médiation")
    ifn_min = django_filters.NumberFilter(
        field_name="ifn", lookup_expr="gte", label="Indice de fragilité minimal", min_value=0, max_value=10
    )
    tri = django_filters.OrderingFilter(
        fields=(
            ("nom_recherche", "nom"),
            ("population", "population"),
            ("nb_lieux", "lieux"),
            ("lieux_pour_10000", "densite"),
            ("ifn", "ifn"),
            ("nb_aidants", "aidants"),
        ),
        label="Trier par",
    )

    def __init__(self, data=None, queryset=None, *, departement: Departement, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["epci"].queryset = Epci.objects.filter(departements=departement).order_by(
            "nom_recherche", "nom"
        )

    def filter_epci(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(epci=value) | Q(ept=value))

    def filter_sans_lieu(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(nb_lieux=0) if value else queryset.filter(nb_lieux__gt=0)

    @property
    def qs(self):
        qs = super().qs
        # A commune without a figure (no indice de fragilité published) comes last whichever way
        # its column is sorted, on PostgreSQL (NULLs first when descending) as on SQLite; the
        # code breaks ties, for a stable order.
        order = [_nulls_last(term) for term in (qs.query.order_by or ["nom_recherche"])]
        return qs.order_by(*order, "code")


def _nulls_last(term):
    if not isinstance(term, str):
        return term
    if term.startswith("-"):
        return F(term[1:]).desc(nulls_last=True)
    return F(term).asc(nulls_last=True)
