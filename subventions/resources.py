"""Exports of the subventions (CSV for French Excel and XLSX, through core.exports)."""

from besoins.enums import Item
from core.exports import ExportResource, column

from .enums import Fonds, TypologieBeneficiaire
from .services.common import montant


def _typologie(membre) -> str:
    return TypologieBeneficiaire(membre.type_collectivite or TypologieBeneficiaire.STRUCTURE).label


def _code(membre) -> str:
    return membre.structure_siret if membre.is_structure else membre.collectivite_code


class GouvernanceSubventionsResource(ExportResource):
    """One row per département (selectors.gouvernances_export)."""

    region = column("Région", "departement.region.nom")
    code = column("Code département", "departement.code")
    nom = column("Département", "departement.nom")
    statut = column("Statut des subventions", "statut")
    dotation_ingenierie = column("Dotation ingénierie (€)", "dotation_ingenierie")
    dotation_formation = column("Dotation formation (€)", "dotation_formation")
    demande = column("Subventions demandées, hors rejetées (€)", "demande")
    accepte = column("Subventions acceptées (€)", "accepte")
    restant = column("Dotation restante (€)", "restant")
    brouillons = column("Demandes en brouillon", lambda g: g.nombre("brouillon"))
    modifications = column("Demandes en modification demandée", lambda g: g.nombre("modification"))
    validees = column("Demandes à instruire", lambda g: g.nombre("validee"))
    acceptees = column("Demandes acceptées", lambda g: g.nombre("acceptee"))
    rejetees = column("Demandes rejetées", lambda g: g.nombre("rejetee"))


class DemandeResource(ExportResource):
    region = column("Région", "gouvernance.departement.region.nom")
    code = column("Code département", "gouvernance.departement_id")
    departement = column("Département", "gouvernance.departement.nom")
    numero = column("Numéro de la demande", "pk")
    fonds = column("Fonds", lambda d: Fonds(d.fonds).label)
    annee = column("Année de campagne", "dotation.annee")
    feuille = column("Feuille de route", lambda d: d.feuille_de_route.nom if d.feuille_de_route_id else None)
    action = column("Action", "titre")
    besoins = column("Besoins", lambda d: " ; ".join(Item(b.item).label for b in d.besoins.all()))
    statut = column("Statut", "statut_affiche")
    budget = column("Budget global (€)", "budget_global")
    subvention = column("Subvention demandée (€)", "subvention_demandee")
    rh = column("dont ressources humaines (€)", "montant_rh")
    prestations = column("dont prestations (€)", "montant_prestations")
    beneficiaires = column(
        "Bénéficiaires",
        lambda d: " ; ".join(f"{b.membre.nom} ({montant(b.montant)})" for b in d.beneficiaires.all()),
    )
    nb_beneficiaires = column("Nombre de bénéficiaires", lambda d: len(d.beneficiaires.all()))
    contexte = column("Contexte", "contexte")
    validee_le = column("Validée et envoyée le", "validee_le")
    instruite_le = column("Instruite le", "instruite_le")
    commentaire = column("Commentaire ou motif de l'ANCT", "instruction_commentaire")


class BeneficiaireResource(ExportResource):
    """One row per member bénéficiaire (selectors.beneficiaires_export)."""

    region = column("Région", "membre.gouvernance.departement.region.nom")
    code_departement = column("Code département", "membre.gouvernance.departement_id")
    departement = column("Département", "membre.gouvernance.departement.nom")
    nom = column("Bénéficiaire", "membre.nom")
    typologie = column("Typologie", lambda b: _typologie(b.membre))
    role = column("Rôle dans la gouvernance", lambda b: "Co-porteur" if b.membre.est_coporteur else "Membre")
    code = column("SIRET ou code INSEE", lambda b: _code(b.membre))
    demandes = column("Nombre de demandes", "demandes")
    demande = column("Montant demandé, hors rejets (€)", "demande")
    accepte = column("Montant accepté (€)", "accepte")
    referent = column("Référent", "membre.referent_nom_complet")
    referent_fonction = column("Fonction du référent", "membre.referent_fonction")
    referent_email = column("E-mail du référent", "membre.referent_email")
    suppleant = column("Suppléant", "membre.suppleant_nom_complet")
    suppleant_email = column("E-mail du suppléant", "membre.suppleant_email")
