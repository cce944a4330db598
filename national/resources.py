"""Exports of the national tables."""

from decimal import Decimal

from candidatures.enums import Intention, Persona, TypeContact
from core.exports import ExportResource, column
from feuilles_de_route.enums import StatutDocument, TypePerimetre
from gouvernances.enums import StatutGouvernance
from territoires.enums import TypeCollectivite

from .selectors import departements_of_candidat, region_of_candidat


def _statut(value: str) -> str:
    return StatutGouvernance(value).label if value else "Aucun formulaire enregistré"


def _type_membre(membre) -> str:
    if not membre.type_collectivite:
        return "Structure"
    if membre.type_collectivite == TypeCollectivite.EPCI and membre.epci.is_territoire:
        return membre.epci.type_label  # « Établissement public territorial »
    return TypeCollectivite(membre.type_collectivite).label


def _code_insee(ref) -> str:
    """The INSEE code of a commune, département or région (an EPCI's code is its SIREN)."""
    if ref.type_collectivite in ("", TypeCollectivite.EPCI):
        return ""
    return ref.collectivite_code


def _siren(ref) -> str:
    if ref.type_collectivite == TypeCollectivite.EPCI:
        return ref.collectivite_code
    if ref.type_collectivite == TypeCollectivite.COMMUNE:
        return ref.commune.siren
    return ""


def _contact(type_: str, attr: str):
    """The `attr` of the candidate's main contact of type `type_` (prefetched as contacts_principaux)."""

    def read(manifestation) -> str:
        for contact in getattr(manifestation, "contacts_principaux", []):
            if contact.type == type_:
                return getattr(contact, attr)
        return ""

    return read


class GouvernanceResource(ExportResource):
    """One row per département, with or without a gouvernance (selectors.gouvernances_table)."""

    sheet_title = "Gouvernances"

    region = column("Région", "region.nom")
    code = column("Code département", "code", text=True)
    nom = column("Département", "nom")
    statut = column("Statut", lambda d: _statut(d.statut))
    pressentie_le = column("Gouvernance pressentie remontée le", "pressentie_le")
    definitive_le = column("Gouvernance définitive remontée le", "definitive_le")
    rouverte_jusquau = column("Rouverte jusqu'au", "rouverte_jusquau")
    coporteurs = column("Co-porteurs", lambda d: " ; ".join(d.coporteurs_noms))
    nb_coporteurs = column("Nombre de co-porteurs", "nb_coporteurs")
    nb_membres = column("Nombre de membres", "nb_membres")
    nb_feuilles = column("Feuilles de route déclarées", "nb_feuilles")
    nb_feuilles_approuvees = column("Feuilles de route approuvées", "nb_feuilles_approuvees")
    nb_besoins = column("Besoins en ingénierie sélectionnés", "nb_besoins")
    etp_total = column("Total ETP demandés", lambda d: None if d.etp_total is None else Decimal(d.etp_total))


class GouvernanceSuiviResource(GouvernanceResource):
    """The same rows with ANCT's follow-up, for the viewers allowed to read it."""

    suivi_commentaire = column("Commentaire de suivi (ANCT)", "suivi_commentaire")
    suivi_probleme = column("Problème identifié (ANCT)", "suivi_probleme")


class MembreResource(ExportResource):
    sheet_title = "Membres"

    region = column("Région", "gouvernance.departement.region.nom")
    code_departement = column("Code département", "gouvernance.departement_id", text=True)
    departement = column("Département", "gouvernance.departement.nom")
    statut = column("Statut de la gouvernance", lambda m: _statut(m.statut_gouvernance))
    nom = column("Membre", "nom")
    type = column("Type", _type_membre)
    code_insee = column("Code INSEE", _code_insee, text=True)
    siren = column("SIREN", _siren, text=True)
    siret = column("SIRET", "structure_siret", text=True)
    coporteur = column("Co-porteur", "est_coporteur")
    referent = column("Référent", "referent_nom_complet")
    referent_fonction = column("Fonction du référent", "referent_fonction")
    referent_email = column("E-mail du référent", "referent_email")
    suppleant = column("Suppléant", "suppleant_nom_complet")
    suppleant_fonction = column("Fonction du suppléant", "suppleant_fonction")
    suppleant_email = column("E-mail du suppléant", "suppleant_email")


class FeuilleResource(ExportResource):
    sheet_title = "Feuilles de route"

    region = column("Région", "gouvernance.departement.region.nom")
    code_departement = column("Code département", "gouvernance.departement_id", text=True)
    departement = column("Département", "gouvernance.departement.nom")
    nom = column("Feuille de route", "nom")
    porteur = column("Porteur", lambda f: f.porteur.nom if f.porteur_id else "Préfecture seule")
    perimetre = column("Périmètre", lambda f: TypePerimetre(f.perimetre).label)
    nb_epci = column(
        "Nombre d'EPCI ou d'EPT", lambda f: f.nb_epci if f.perimetre == TypePerimetre.EPCI else None
    )
    contrat = column(
        "Contrat préexistant",
        lambda f: f.get_contrat_preexistant_display() if f.contrat_preexistant else None,
    )
    contrat_description = column("Précision du contrat", "contrat_description")
    document = column(
        "Document",
        lambda f: StatutDocument(f.statut_document).label if f.statut_document else "Pas encore commencé",
    )
    version_document = column("Version du document", "version_document")
    approuvee_le = column("Approuvée le", "approuvee_le")


class CandidatResource(ExportResource):
    sheet_title = "Candidats"

    date_depot = column("Date de dépôt", "confirmee_le")
    nom = column("Collectivité/structure", "nom")
    typologie = column("Typologie", lambda m: Persona(m.persona).label)
    intention = column("Manifestation d'intérêt", lambda m: Intention(m.intention).label)
    region = column("Région", region_of_candidat)
    departements = column(
        "Départements", lambda m: " ; ".join(d.code for d in departements_of_candidat(m)), text=True
    )
    siret = column("SIRET", "siret", text=True)
    code_insee = column("Code INSEE", _code_insee, text=True)
    siren = column("SIREN", _siren, text=True)
    contact_politique = column("Contact politique", _contact(TypeContact.POLITIQUE, "nom_complet"))
    email_politique = column("E-mail du contact politique", _contact(TypeContact.POLITIQUE, "email"))
    contact_technique = column("Contact technique", _contact(TypeContact.TECHNIQUE, "nom_complet"))
    email_technique = column("E-mail du contact technique", _contact(TypeContact.TECHNIQUE, "email"))
    contact_structure = column("Contact de la structure", _contact(TypeContact.STRUCTURE, "nom_complet"))
    email_structure = column("E-mail du contact de la structure", _contact(TypeContact.STRUCTURE, "email"))


class CibleResource(ExportResource):
    """One row per département and indicator (cibles.Cibles.par_departement, flattened)."""

    code = column("Code département", lambda r: r[1].code)
    departement = column("Département", lambda r: r[1].nom)
    region = column("Région", lambda r: r[1].region)
    indicateur = column("Indicateur", lambda r: r[0].label)
    cible_2023 = column("Cible 2023", lambda r: r[1].sommes.cible_2023)
    cible_2025 = column("Cible 2025", lambda r: r[1].sommes.cible_2025)
    cible_2027 = column("Cible 2027", lambda r: r[1].sommes.cible_2027)


class CofinancementResource(ExportResource):
    """One row per kind of funder (cibles.Cibles.cofinancements)."""

    type_financeur = column("Type de financeur", lambda c: c.type_financeur.label)
    montant = column("Montant envisagé (€)", "montant")
    feuilles = column("Feuilles de route", "feuilles")
    departements = column("Départements", "departements")
