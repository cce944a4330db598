from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet

from core.cache import cached
from core.db import SubqueryCount

from .enums import TERRITOIRES_GRAND_PARIS, TypeEpci
from .models import Commune, Departement, Epci
from .signals import REFERENTIEL


@dataclass(frozen=True)
class DepartementFigures:
    population: int
    communes: int
    epcis: int
    epcis_a_cheval: int
    # Établissements publics territoriaux of the Grand Paris touching the département.
    epts: int = 0


def departement_figures(departement: Departement) -> DepartementFigures:
    """The figures of the espace départemental's header. They change only with the referential:
    computed once per referential generation (renewed by its import and by every edit)."""
    return cached(
        f"territoires:figures:{departement.code}",
        lambda: _departement_figures(departement),
        depends_on=(REFERENTIEL,),
    )


def _departement_figures(departement: Departement) -> DepartementFigures:
    """One query: the commune and EPCI counts are scalar subqueries of the département's row
    (named `n_*`: `communes` and `epcis` are relations of the model). The EPCI counted are those à
    fiscalité propre; the territoires of the Grand Paris are counted apart."""
    epcis = Epci.objects.filter(departements=departement)
    fiscalite_propre = epcis.exclude(type__in=TERRITOIRES_GRAND_PARIS)
    counts = (
        Departement.objects.filter(pk=departement.pk)
        .values(
            n_communes=SubqueryCount(Commune.objects.filter(departement=departement)),
            n_epcis=SubqueryCount(fiscalite_propre),
            n_epcis_a_cheval=SubqueryCount(
                fiscalite_propre.filter(
                    Exists(Commune.objects.filter(epci=OuterRef("pk")).exclude(departement=departement))
                )
            ),
            n_epts=SubqueryCount(epcis.filter(type=TypeEpci.EPT)),
        )
        .get()
    )
    return DepartementFigures(
        population=departement.population,
        communes=counts["n_communes"],
        epcis=counts["n_epcis"],
        epcis_a_cheval=counts["n_epcis_a_cheval"],
        epts=counts["n_epts"],
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
