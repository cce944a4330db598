from django.db import models


class TypePerimetre(models.TextChoices):
    """The circulaire's scenarios (webinar of 14 November 2023): one départementale, possibly with
    infra-départementales, or infra-départementales covering the whole département."""

    REGIONAL = "regional", "Régional"
    DEPARTEMENTAL = "departemental", "Départemental"
    EPCI = "epci", "Infra-départemental (un ou plusieurs EPCI)"


class ContratPreexistant(models.TextChoices):
    """The answer to « un contrat préexistant ? »: « Aucun » is an answer, a blank one is not
    (the field stays empty until the gouvernance answers)."""

    AUCUN = "aucun", "Aucun"
    CRTE = "crte", "CRTE"
    SDAASAP = "sdaasap", "SDAASaP"
    SDIN = "sdin", "SDIN"
    SDUN = "sdun", "SDUN"
    AUTRE = "autre", "Autre"


# --- The document written along the official model of the State -----------------------------------


class StatutDocument(models.TextChoices):
    REDACTION = "redaction", "En rédaction"
    SOUMISE = "soumise", "Soumise à la gouvernance"
    APPROUVEE = "approuvee", "Approuvée"


class SectionDocument(models.TextChoices):
    """The sections of the document, in the order of the official model and the editor's menu."""

    INTRODUCTION = "introduction", "Introduction — spécificités du territoire"
    METHODE = "methode", "I. Méthode d'élaboration"
    DIAGNOSTIC = "diagnostic", "II. Synthèse du diagnostic territorial"
    AMBITION = "ambition", "III. Ambition et positionnement"
    PRIORITES = "priorites", "IV. Priorités d'action"
    INDICATEURS = "indicateurs", "Cibles des indicateurs"
    PUBLICS = "publics", "Publics cibles prioritaires"
    MOYENS = "moyens", "Moyens sollicités"
    FINANCEMENTS = "financements", "Co-financements et mutualisation"
    VEHICULE = "vehicule", "Véhicule contractuel"
    SIGNATAIRES = "signataires", "V. Signataires"


class Indicateur(models.TextChoices):
    """The twelve engagement indicators of the circulaire's annex (targets for 2023, 2025, 2027)."""

    CONSEILLERS = "conseillers", "Nombre de conseillers numériques en poste ou en formation"
    MEDIATEURS = "mediateurs", "Nombre de médiateurs numériques"
    AIDANTS_FORMES = "aidants-formes", "Nombre d'aidants numériques formés"
    CONUM_FS = "conum-fs", "Nombre de conseillers numériques rattachés à des espaces France services"
    CONUM_PERMANENCES_FS = (
        "conum-permanences-fs",
        "Nombre de conseillers numériques assurant des permanences en espaces France services",
    )
    AIDANTS_CONNECT = "aidants-connect", "Nombre d'aidants Aidants Connect habilités"
    AIDANTS_CONNECT_FS = (
        "aidants-connect-fs",
        "Nombre d'aidants Aidants Connect habilités intervenant en France services",
    )
    ACCOMPAGNEMENTS_CONUM = (
        "accompagnements-conum",
        "Nombre d'accompagnements réalisés par les conseillers numériques",
    )
    ACCOMPAGNEMENTS_MEDIATEURS = (
        "accompagnements-mediateurs",
        "Nombre d'accompagnements réalisés par les médiateurs numériques",
    )
    LIEUX = "lieux", "Nombre de lieux de médiation et d'inclusion numérique"
    RECONDITIONNES = (
        "reconditionnes",
        "Nombre de matériels reconditionnés accessibles aux ménages les plus modestes",
    )
    MATERIELS = "materiels", "Nombre de matériels mis à disposition de la population"


class TypeFinanceur(models.TextChoices):
    """Kinds of co-funders named by the circulaire's annex."""

    ETAT = "etat", "Autres financements de l'État"
    COLLECTIVITES = "collectivites", "Engagements des collectivités locales signataires"
    EUROPE = "europe", "Financements européens"
    OPERATEURS = "operateurs", "Opérateurs locaux de services publics (CNAM, CAF, France Travail…)"
    FONDATIONS = "fondations", "Fondations et politique RSE des entreprises"
    PRIVES = "prives", "Autres financements privés (achat de prestations et de services)"


class EtatJob(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    TERMINE = "termine", "Terminé"
    ECHEC = "echec", "Échec"


# The fields of the Document each text section edits (the others have their own rows or forms).
SECTION_FIELDS: dict[str, list[str]] = {
    SectionDocument.INTRODUCTION: ["specificites"],
    SectionDocument.METHODE: ["historique", "etapes", "parties_prenantes"],
    SectionDocument.DIAGNOSTIC: ["besoins_publics", "offre", "enjeux"],
    SectionDocument.AMBITION: ["positionnement", "lien_coordinateur"],
    SectionDocument.PUBLICS: ["publics_cibles", "structures_prioritaires"],
    SectionDocument.MOYENS: [
        "coordinateurs_postes",
        "coordinateurs_structures",
        "chef_de_projet_besoin",
        "chef_de_projet_structure",
        "etudes_ingenierie",
        "appui_diagnostic",
    ],
    SectionDocument.VEHICULE: ["vehicule_contractuel"],
}
