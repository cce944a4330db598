"""Reads about declared feuilles de route: the coverage of a département by their périmètres."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from territoires.models import Commune, Departement, Epci

from .enums import TypePerimetre
from .models import FeuilleDeRoute


@dataclass(frozen=True)
class CommuneNonCouverte:
    code: str
    nom: str
    population: int


@dataclass(frozen=True)
class EpciNonCouvert:
    code: str
    nom: str
    communes: int
    population: int


@dataclass
class Couverture:
    """How much of THE département the feuilles de route cover (only its own communes count)."""

    communes_total: int = 0
    population_totale: int = 0
    communes_couvertes: int = 0
    population_couverte: int = 0
    # A départementale (or régionale) feuille de route covers the whole département.
    couverture_departementale: bool = False
    # Coverage by the infra-départementales only (scenarios 2 and 3).
    communes_couvertes_infra: int = 0
    population_couverte_infra: int = 0
    epcis_non_couverts: list[EpciNonCouvert] = field(default_factory=list)
    communes_hors_epci_non_couvertes: list[CommuneNonCouverte] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.communes_couvertes == self.communes_total

    @property
    def taux_population(self) -> float:
        return 100 * self.population_couverte / self.population_totale if self.population_totale else 0.0

    @property
    def taux_population_infra(self) -> float:
        return (
            100 * self.population_couverte_infra / self.population_totale if self.population_totale else 0.0
        )


def couverture(*, departement: Departement, perimetres: Iterable[tuple[str, Iterable[str]]]) -> Couverture:
    """Coverage of the département by périmètres given as (TypePerimetre, EPCI codes).

    Two queries whatever the number of feuilles de route: the département's communes, and the
    names of the EPCI left uncovered.
    """
    infra_epcis: set[str] = set()
    departementale = False
    for type_perimetre, epci_codes in perimetres:
        if type_perimetre in (TypePerimetre.DEPARTEMENTAL, TypePerimetre.REGIONAL):
            departementale = True
        elif type_perimetre == TypePerimetre.EPCI:
            infra_epcis.update(epci_codes)

    result = Couverture(couverture_departementale=departementale)
    non_couverts: dict[str, list[int]] = {}
    for code, nom, population, epci_id in Commune.objects.filter(departement=departement).values_list(
        "code", "nom", "population", "epci_id"
    ):
        result.communes_total += 1
        result.population_totale += population
        if epci_id is not None and epci_id in infra_epcis:
            result.communes_couvertes_infra += 1
            result.population_couverte_infra += population
        elif epci_id is None:
            result.communes_hors_epci_non_couvertes.append(CommuneNonCouverte(code, nom, population))
        else:
            counts = non_couverts.setdefault(epci_id, [0, 0])
            counts[0] += 1
            counts[1] += population
    if departementale:
        result.communes_couvertes = result.communes_total
        result.population_couverte = result.population_totale
    else:
        result.communes_couvertes = result.communes_couvertes_infra
        result.population_couverte = result.population_couverte_infra
    if non_couverts:
        noms = dict(Epci.objects.filter(code__in=non_couverts).values_list("code", "nom"))
        result.epcis_non_couverts = sorted(
            (EpciNonCouvert(code, noms.get(code, code), n, pop) for code, (n, pop) in non_couverts.items()),
            key=lambda epci: epci.nom,
        )
    return result


def couverture_of_gouvernance(*, gouvernance, feuilles: Iterable[FeuilleDeRoute] | None = None) -> Couverture:
    """Coverage of the gouvernance's declared feuilles de route. Pass `feuilles` already loaded
    with their `epcis` prefetched to avoid any further query."""
    if feuilles is None:
        feuilles = feuilles_for_gouvernance(gouvernance=gouvernance)
    return couverture(
        departement=gouvernance.departement,
        perimetres=[(f.perimetre, [e.code for e in f.epcis.all()]) for f in feuilles],
    )


def feuilles_for_gouvernance(*, gouvernance) -> QuerySet[FeuilleDeRoute]:
    return (
        FeuilleDeRoute.objects.filter(gouvernance=gouvernance)
        .select_related(
            "porteur__region",
            "porteur__departement",
            "porteur__epci",
            "porteur__commune",
            "porteur__manifestation",
        )
        .prefetch_related("epcis")
        .order_by("id")
    )
