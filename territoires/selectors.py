from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .enums import TERRITOIRES_GRAND_PARIS, TypeEpci
from .models import Commune, Departement


@dataclass(frozen=True)
class DepartementFigures:
    population: int
    communes: int
    epcis: int
    epcis_a_cheval: int
    # Établissements publics territoriaux of the Grand Paris touching the département.
    epts: int = 0


def departement_figures(departement: Departement) -> DepartementFigures:
    fiscalite_propre = ~Q(type__in=TERRITOIRES_GRAND_PARIS)
    epci_counts = departement.epcis.aggregate(
        total=Count("code", distinct=True, filter=fiscalite_propre),
        a_cheval=Count(
            "code", distinct=True, filter=fiscalite_propre & ~Q(communes__departement=departement)
        ),
        epts=Count("code", distinct=True, filter=Q(type=TypeEpci.EPT)),
    )
    return DepartementFigures(
        population=departement.population,
        communes=Commune.objects.filter(departement=departement).count(),
        epcis=epci_counts["total"],
        epcis_a_cheval=epci_counts["a_cheval"],
        epts=epci_counts["epts"],
    )


def departements_with_figures(queryset: QuerySet[Departement]) -> QuerySet[Departement]:
    return queryset.select_related("region").annotate(nb_communes=Count("communes")).order_by("code")


def departements_voisins(departement: Departement) -> list[Departement]:
    """The other départements an EPCI (or EPT) of `departement` touches, with their région: a
    straddling EPCI brings its other département and that département's région into the
    gouvernance (CA Moulins Communauté: Allier and Nièvre). One query."""
    return list(
        Departement.objects.filter(epcis__departements=departement)
        .exclude(code=departement.code)
        .select_related("region")
        .distinct()
        .order_by("code")
    )
