"""National exports of the besoins (django-import-export resources on core.exports' neutralising
base: no cell may start a formula)."""

from decimal import Decimal

from import_export.fields import Field

from core.exports import NeutralisingResource

from . import rules, selectors
from .enums import is_formation
from .models import Besoin

CONSOLIDATION_HEADERS = [
    "Catégorie",
    "Code du besoin",
    "Besoin",
    "Départements l'ayant sélectionné",
    "Ressources humaines",
    "Total ETP",
    "Prestations de service",
    "Personnes à former",
]

DETAIL_HEADERS = [
    "Région",
    "Code département",
    "Département",
    "Catégorie",
    "Besoin",
    "Précision",
    "Ressource humaine",
    "ETP",
    "Prestation de service",
    "Personnes à former",
    "Rang de priorité",
    "Chef de projet « Financement de l'inclusion numérique »",
    "Structure envisagée pour le chef de projet",
    "Études d'ingénierie spécifiques",
]


def _column(name: str, header: str) -> Field:
    return Field(attribute=None, column_name=header, dehydrate_method=f"dehydrate_{name}")


class _DecimalMixin:
    def __init__(self, *, decimal_comma: bool = False, **kwargs):
        super().__init__(**kwargs)
        # CSV for French Excel wants « 1,5 »; XLSX keeps a number.
        self.decimal_comma = decimal_comma

    def _number(self, value: Decimal | None):
        if value is None:
            return None
        return rules.format_etp(value) if self.decimal_comma else value.normalize()


class ConsolidationExportResource(_DecimalMixin, NeutralisingResource):
    """One row per item (selectors.LigneConsolidee)."""

    categorie = _column("categorie", CONSOLIDATION_HEADERS[0])
    code = _column("code", CONSOLIDATION_HEADERS[1])
    libelle = _column("libelle", CONSOLIDATION_HEADERS[2])
    departements = _column("departements", CONSOLIDATION_HEADERS[3])
    ressources_humaines = _column("ressources_humaines", CONSOLIDATION_HEADERS[4])
    etp = _column("etp", CONSOLIDATION_HEADERS[5])
    prestations = _column("prestations", CONSOLIDATION_HEADERS[6])
    personnes = _column("personnes", CONSOLIDATION_HEADERS[7])

    class Meta:
        fields = ()
        export_order = (
            "categorie",
            "code",
            "libelle",
            "departements",
            "ressources_humaines",
            "etp",
            "prestations",
            "personnes",
        )

    def dehydrate_categorie(self, row):
        return row.categorie

    def dehydrate_code(self, row):
        return row.code

    def dehydrate_libelle(self, row):
        return row.libelle

    def dehydrate_departements(self, row):
        return row.departements

    def dehydrate_ressources_humaines(self, row):
        return row.ressources_humaines

    def dehydrate_etp(self, row):
        return self._number(row.etp)

    def dehydrate_prestations(self, row):
        return row.prestations

    def dehydrate_personnes(self, row):
        return row.personnes_a_former


class BesoinExportResource(_DecimalMixin, NeutralisingResource):
    """One row per selected item per département (selectors.lignes_export)."""

    region = _column("region", DETAIL_HEADERS[0])
    code_departement = _column("code_departement", DETAIL_HEADERS[1])
    departement = _column("departement", DETAIL_HEADERS[2])
    categorie = _column("categorie", DETAIL_HEADERS[3])
    besoin = _column("besoin", DETAIL_HEADERS[4])
    precision = _column("precision", DETAIL_HEADERS[5])
    ressource_humaine = _column("ressource_humaine", DETAIL_HEADERS[6])
    etp = _column("etp", DETAIL_HEADERS[7])
    prestation = _column("prestation", DETAIL_HEADERS[8])
    personnes = _column("personnes", DETAIL_HEADERS[9])
    rang = _column("rang", DETAIL_HEADERS[10])
    chef_de_projet = _column("chef_de_projet", DETAIL_HEADERS[11])
    structure = _column("structure", DETAIL_HEADERS[12])
    etudes = _column("etudes", DETAIL_HEADERS[13])

    class Meta:
        model = Besoin
        fields = ()
        export_order = (
            "region",
            "code_departement",
            "departement",
            "categorie",
            "besoin",
            "precision",
            "ressource_humaine",
            "etp",
            "prestation",
            "personnes",
            "rang",
            "chef_de_projet",
            "structure",
            "etudes",
        )

    @staticmethod
    def _departement(row: Besoin):
        return row.besoins.gouvernance.departement

    def dehydrate_region(self, row):
        return self._departement(row).region.nom

    def dehydrate_code_departement(self, row):
        return self._departement(row).code

    def dehydrate_departement(self, row):
        return self._departement(row).nom

    def dehydrate_categorie(self, row):
        return row.get_categorie_display()

    def dehydrate_besoin(self, row):
        return row.get_item_display()

    def dehydrate_precision(self, row):
        return row.precision

    def dehydrate_ressource_humaine(self, row):
        return "" if is_formation(row.item) else ("Oui" if row.ressource_humaine else "Non")

    def dehydrate_etp(self, row):
        return self._number(row.etp)

    def dehydrate_prestation(self, row):
        return "" if is_formation(row.item) else ("Oui" if row.prestation else "Non")

    def dehydrate_personnes(self, row):
        return row.personnes_a_former

    def dehydrate_rang(self, row):
        return selectors.rang(row)

    def dehydrate_chef_de_projet(self, row):
        value = row.besoins.chef_de_projet
        return "" if value is None else ("Oui" if value else "Non")

    def dehydrate_structure(self, row):
        return row.besoins.chef_de_projet_structure

    def dehydrate_etudes(self, row):
        return " ; ".join(row.besoins.etudes or [])
