from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet

from core.db import SubqueryCount

from .models import Commune, Departement, Epci


@dataclass(frozen=True)
class DepartementFigures:
    population: int
    communes: int
    epcis: int
    epcis_a_cheval: int


def departement_figures(departement: Departement) -> DepartementFigures:
    """One query: the commune and EPCI counts are scalar subqueries of the département's row
    (named `n_*`: `communes` and `epcis` are relations of the model)."""
    epcis = Epci.objects.filter(departements=departement)
    counts = (
        Departement.objects.filter(pk=departement.pk)
        .values(
            n_communes=SubqueryCount(Commune.objects.filter(departement=departement)),
            n_epcis=SubqueryCount(epcis),
            n_epcis_a_cheval=SubqueryCount(
                epcis.filter(
                    Exists(Commune.objects.filter(epci=OuterRef("pk")).exclude(departement=departement))
                )
            ),
        )
        .get()
    )
    return DepartementFigures(
        population=departement.population,
        communes=counts["n_communes"],
        epcis=counts["n_epcis"],
        epcis_a_cheval=counts["n_epcis_a_cheval"],
    )


def departements_with_figures(queryset: QuerySet[Departement]) -> QuerySet[Departement]:
    return queryset.select_related("region").annotate(nb_communes=Count("communes")).order_by("code")
