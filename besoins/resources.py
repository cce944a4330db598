"""National exports of the besoins en ingénierie."""

from core.exports import ExportResource, column

from . import selectors
from .models import Besoin


def _departement(row: Besoin):
    return row.besoins.gouvernance.departement


def _unless_formation(flag: str):
    """« Oui »/« Non » for an RH or service item; an item that trains people is not asked, so left empty."""
    return lambda row: None if row.trains_people else getattr(row, flag)


class ConsolidationExportResource(ExportResource):
    """One row per item (selectors.LigneConsolidee)."""

    sheet_title = "Besoins consolidés"

    categorie = column("Catégorie", "categorie")
    code = column("Code du besoin", "code", text=True)
    libelle = column("Besoin", "libelle")
    departements = column("Départements l'ayant sélectionné", "departements")
    ressources_humaines = column("Ressources humaines", "ressources_humaines")
    etp = column("Total ETP", "etp")
    prestations = column("Prestations de service", "prestations")
    personnes = column("Personnes à former", "personnes_a_former")


class BesoinExportResource(ExportResource):
    """One row per selected item per département (selectors.lignes_export)."""

    sheet_title = "Besoins par département"

    region = column("Région", lambda row: _departement(row).region.nom)
    code_departement = column("Code département", lambda row: _departement(row).code, text=True)
    departement = column("Département", lambda row: _departement(row).nom)
    categorie = column("Catégorie", lambda row: row.get_categorie_display())
    besoin = column("Besoin", lambda row: row.get_item_display())
    precision = column("Précision", "precision")
    ressource_humaine = column("Ressource humaine", _unless_formation("ressource_humaine"))
    etp = column("ETP", "etp")
    prestation = column("Prestation de service", _unless_formation("prestation"))
    personnes = column("Personnes à former", "personnes_a_former")
    rang = column("Rang de priorité", selectors.rang)
    chef_de_projet = column(
        "Chef de projet « Financement de l'inclusion numérique »", "besoins.chef_de_projet"
    )
    structure = column("Structure envisagée pour le chef de projet", "besoins.chef_de_projet_structure")
    etudes = column("Études d'ingénierie spécifiques", lambda row: " ; ".join(row.besoins.etudes or []))
