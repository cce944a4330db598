from django.db import models


class Source(models.TextChoices):
    """The open-data sources the diagnostic imports (see diagnostic/sources.py for their licences)."""

    LIEUX = "lieux", "Lieux de médiation numérique"
    IFN_COMMUNES = "ifn_communes", "Indice de fragilité numérique des communes"
    IFN_EPCI = "ifn_epci", "Indice de fragilité numérique des EPCI"
    AIDANTS_CONNECT = "aidants_connect", "Structures habilitées Aidants Connect"
    CONSEILLERS_NUMERIQUES = "conseillers_numeriques", "Activité des conseillers numériques"


class Echelon(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"


class Dispositif(models.TextChoices):
    """National programmes (« dispositif_programmes_nationaux ») a lieu takes part in.

    The standard v1.0.2 spells them out; the 0.x files used abbreviations (CNFS, APTIC) that the
    parser maps to these values.
    """

    AIDANTS_CONNECT = "Aidants Connect", "Aidants Connect"
    BNR = "Bibliothèques numérique de référence", "Bibliothèques numériques de référence"
    PIX = "Certification PIX", "Certification PIX"
    CONSEILLERS_NUMERIQUES = "Conseillers numériques", "Conseillers numériques"
    EMMAUS_CONNECT = "Emmaüs Connect", "Emmaüs Connect"
    FRANCE_SERVICES = "France Services", "France services"
    GEN = "Grande école du numérique", "Grande école du numérique"
    CROIX_ROUGE = "La Croix Rouge", "La Croix-Rouge"
    PAN_CAF = "Point d'accès numérique CAF", "Point d'accès numérique CAF"
    PROMENEURS = "Promeneurs du net", "Promeneurs du net"
    RELAIS_EMMAUS = "Relais numérique (Emmaüs Connect)", "Relais numérique (Emmaüs Connect)"
    APTIC = "APTIC", "Pass numérique APTIC"


# Labels of the typology codes the lieux standard uses (written for this project; the codes are
# data.inclusion's « typologies de structures »). Unknown codes are shown as they are.
TYPOLOGIES = {
    "ACI": "Atelier et chantier d'insertion",
    "AFPA": "AFPA",
    "ASSO": "Association",
    "BIB": "Bibliothèque, médiathèque",
    "CAF": "Caisse d'allocations familiales",
    "CC": "Communauté de communes",
    "CCAS": "Centre communal d'action sociale",
    "CD": "Conseil départemental",
    "CHRS": "Centre d'hébergement et de réinsertion sociale",
    "CIAS": "Centre intercommunal d'action sociale",
    "CS": "Centre social",
    "CPAM": "Caisse primaire d'assurance maladie",
    "DEPT": "Services du département",
    "E2C": "École de la deuxième chance",
    "EPCI": "Intercommunalité",
    "EPN": "Espace public numérique",
    "FABLAB": "Fablab",
    "LA_POSTE": "La Poste",
    "MDE": "Maison de l'emploi",
    "MDS": "Maison départementale des solidarités",
    "MJC": "Maison des jeunes et de la culture",
    "MQ": "Maison de quartier",
    "MSA": "Mutualité sociale agricole",
    "MUNI": "Mairie",
    "PE": "France Travail (Pôle emploi)",
    "PIMMS": "Point information médiation multi services",
    "PLIE": "Plan local pour l'insertion et l'emploi",
    "REG": "Région",
    "RFS": "Espace France services",
    "TIERS_LIEUX": "Tiers-lieu",
    "UDAF": "Union départementale des associations familiales",
}


def typologie_label(code: str) -> str:
    if not code:
        return "Non renseignée"
    return TYPOLOGIES.get(code, code)


class TrancheIfn(models.TextChoices):
    """Buckets of the indice de fragilité numérique (0–10) used by the distribution chart."""

    TRES_FAIBLE = "0-3", "moins de 3"
    FAIBLE = "3-5", "3 à 5"
    MOYENNE = "5-7", "5 à 7"
    FORTE = "7-9", "7 à 9"
    TRES_FORTE = "9-10", "9 et plus"


# Communes whose IFN is at least this are « à forte fragilité numérique » in the indicators.
SEUIL_FORTE_FRAGILITE = 7


# The IFN's five sub-indices (fields of models.IndiceFragilite), each 0–10 like the index itself.
SOUS_INDICES = (
    ("sans_tres_haut_debit", "Absence de très haut débit"),
    ("sans_4g", "Absence de couverture 4G"),
    ("pauvrete", "Taux de pauvreté"),
    ("plus_de_65_ans", "Part des 65 ans et plus"),
    ("non_diplomes", "Part des peu ou pas diplômés (15 ans et plus)"),
)

# Keys of the conseillers numériques' activity reports (« CRA »), as the source spells them.
AGES_CONUM = {
    "moins12ans": "Moins de 12 ans",
    "de12a18ans": "12 à 18 ans",
    "de18a35ans": "18 à 35 ans",
    "de35a60ans": "35 à 60 ans",
    "plus60ans": "Plus de 60 ans",
}
STATUTS_CONUM = {
    "etudiant": "Scolarisés ou étudiants",
    "sansEmploi": "Sans emploi",
    "enEmploi": "En emploi",
    "retraite": "Retraités",
    "heterogene": "Groupes hétérogènes (ateliers)",
}
THEMES_CONUM = {
    "equipementInformatique": "Prendre en main un équipement informatique",
    "demarcheEnLigne": "Démarches en ligne",
    "smartphone": "Prendre en main un smartphone ou une tablette",
    "courriel": "Courriels",
    "internet": "Naviguer sur internet",
    "vocabulaire": "Vocabulaire du numérique",
    "traitementTexte": "Traitement de texte",
    "contenusNumeriques": "Gérer ses contenus numériques",
    "trouverEmploi": "Trouver un emploi ou une formation",
    "echanger": "Échanger avec ses proches",
    "tpePme": "Accompagner une TPE ou une PME",
    "accompagnerEnfant": "Accompagner son enfant",
    "securite": "Sécurité numérique",
    "fraudeEtHarcelement": "Fraude et harcèlement en ligne",
    "sante": "Santé en ligne",
    "diagnostic": "Diagnostic des compétences numériques",
    "budget": "Gérer son budget",
    "scolaire": "Usages scolaires du numérique",
    "autre": "Autre",
}


def libelle_conum(labels: dict[str, str], key: str) -> str:
    """The French label of a report's key; an unknown key is shown as the source spells it."""
    return labels.get(key, key)
