"""What the sources page says about each source: producer, format, licence, where to find it.

Kept as data, not in the database: it changes with the code that parses the format.
"""

from dataclasses import dataclass

from .enums import Source


@dataclass(frozen=True)
class SourceInfo:
    source: Source
    producteur: str
    format: str
    licence: str
    url: str
    commande: str
    note: str = ""


SOURCES = [
    SourceInfo(
        Source.LIEUX,
        producteur="Cartographie nationale des lieux d'inclusion numérique (ANCT) et producteurs locaux",
        format="CSV du standard des lieux de médiation numérique v1.0.2 (La MedNum), ou JSON de l'ancien format 0.x",
        licence="Licence Ouverte 2.0 (Etalab)",
        url="https://github.com/LaMednum/standard-mediation-num",
        commande="import_lieux",
        note=(
            "Chaque lieu est compté une fois, dans sa typologie principale (la première indiquée). "
            "Les labels viennent du champ « dispositif_programmes_nationaux » (ou « labels_nationaux »)."
        ),
    ),
    SourceInfo(
        Source.IFN_COMMUNES,
        producteur="La MedNum — indice de fragilité numérique (calcul 2021)",
        format="CSV par commune : indice 0 à 10 et cinq sous-indices",
        licence=(
            "Aucune licence de réutilisation publiée à notre connaissance : réutilisation à confirmer "
            "auprès de La MedNum avant toute rediffusion du fichier."
        ),
        url="https://fragilite-numerique.fr",
        commande="import_ifn",
        note="Les codes de communes fusionnées depuis le calcul sont rattachés à la commune actuelle.",
    ),
    SourceInfo(
        Source.IFN_EPCI,
        producteur="La MedNum — indice de fragilité numérique (calcul 2021)",
        format="CSV par EPCI (SIREN) : indice 0 à 10 et cinq sous-indices",
        licence=(
            "Aucune licence de réutilisation publiée à notre connaissance : réutilisation à confirmer "
            "auprès de La MedNum avant toute rediffusion du fichier."
        ),
        url="https://fragilite-numerique.fr",
        commande="import_ifn",
    ),
    SourceInfo(
        Source.AIDANTS_CONNECT,
        producteur="Aidants Connect (ANCT) — export des structures habilitées",
        format="CSV (export Metabase) : structures, aidants, usagers et démarches",
        licence=(
            "Export publié dans le dépôt de la plateforme inclusion-numerique (code sous AGPL-3.0) ; "
            "données agrégées par structure, sans données personnelles."
        ),
        url="https://aidantsconnect.beta.gouv.fr",
        commande="import_aidants_connect",
        note="Seules les structures actives sont comptées dans les indicateurs.",
    ),
    SourceInfo(
        Source.CONSEILLERS_NUMERIQUES,
        producteur="Dispositif Conseiller numérique (ANCT) — comptes rendus d'activité agrégés par département",
        format="JSON par département : usagers, accompagnements, thèmes, statuts, âges",
        licence="Agrégats publiés dans le dépôt de la plateforme inclusion-numerique (code sous AGPL-3.0)",
        url="https://www.conseiller-numerique.gouv.fr",
        commande="import_conseillers_numeriques",
    ),
    # The territory referential is the base of every indicator.
]

REFERENTIEL = {
    "titre": "Référentiel des territoires (régions, départements, EPCI, communes, populations)",
    "producteur": "Etalab — découpage administratif (@etalab/decoupage-administratif 6.0.0, millésime 2026)",
    "licence": "Licence Ouverte 2.0 (données), MIT (paquet)",
    "url": "https://github.com/etalab/decoupage-administratif",
}

# The outlines of the maps (territoires/data/geo/README.md), credited as the source asks.
GEOMETRIE = {
    "titre": "Contours des cartes (départements et communes)",
    "credit": "Contours : IGN GEOFLA 2016, Licence Ouverte, via france-geojson",
    "producteur": "IGN — GEOFLA 2.2 (28 juin 2016), contours simplifiés par le dépôt france-geojson",
    "licence": "Licence Ouverte (Etalab)",
    "url": "https://github.com/gregoiredavid/france-geojson",
    "note": (
        "Communes au 1er janvier 2016, rattachées aux communes actuelles par les anciens codes du "
        "référentiel ; dessin simplifié pour l'écran, à ne pas utiliser pour mesurer."
    ),
}
