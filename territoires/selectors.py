from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .models import Commune, Departement


@dataclass(frozen=True)
class DepartementFigures:
    population: int
    communes: int
    epcis: int
    epcis_a_cheval: int


def departement_figures(departement: Departement) -> DepartementFigures:
    epci_counts = departement.epcis.aggregate(
        total=Count("code", distinct=True),
        a_cheval=Count("code", distinct=True, filter=~Q(communes__departement=departement)),
    )
    return DepartementFigures(
        population=departement.population,
        communes=Commune.objects.filter(departement=departement).count(),
        epcis=epci_counts["total"],
        epcis_a_cheval=epci_counts["a_cheval"],
    )


def departements_with_figures(queryset: QuerySet[Departement]) -> QuerySet[Departement]:
    return queryset.select_related("region").annotate(nb_communes=Count("communes")).order_by("code")
