"""The data sets, in the order the page lists them: the five published as files, then the
territory referential the API serves beside them."""

from ..schema import Jeu
from .besoins import BesoinsIngenierie
from .diagnostic import DiagnosticCommunes
from .feuilles import FeuillesDeRoute
from .gouvernances import Gouvernances
from .membres import Membres
from .territoires import Communes, Departements, Epcis, Regions

GOUVERNANCES = Gouvernances()
MEMBRES = Membres()
FEUILLES_DE_ROUTE = FeuillesDeRoute()
BESOINS = BesoinsIngenierie()
DIAGNOSTIC = DiagnosticCommunes()
REGIONS = Regions()
DEPARTEMENTS = Departements()
EPCIS = Epcis()
COMMUNES = Communes()

TOUS: dict[str, Jeu] = {
    jeu.slug: jeu
    for jeu in (
        GOUVERNANCES,
        MEMBRES,
        FEUILLES_DE_ROUTE,
        BESOINS,
        DIAGNOSTIC,
        REGIONS,
        DEPARTEMENTS,
        EPCIS,
        COMMUNES,
    )
}
PUBLIES: dict[str, Jeu] = {slug: jeu for slug, jeu in TOUS.items() if jeu.publie}
