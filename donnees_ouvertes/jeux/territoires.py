"""The territory referential, as the API serves it (régions, départements, EPCI, communes).

Not published as files: the referential is Etalab's own open data (« découpage administratif »),
which the platform only copies. The types follow the referential's own choices (`TypeEpci`,
`Zone`), whatever kinds of territory it comes to hold."""

from territoires.enums import TypeEpci, Zone

from .. import selectors
from ..schema import (
    CODE_COMMUNE,
    CODE_DEPARTEMENT,
    CODE_REGION,
    SEPARATEUR,
    SIREN,
    Champ,
    Filtres,
    Jeu,
    liste,
)

ZONE = Champ(
    "zone",
    "string",
    "Zone",
    "; ".join(f"« {value} » : {label.lower()}" for value, label in Zone.choices) + ".",
    requis=True,
    valeurs=tuple(Zone.values),
)


class Regions(Jeu):
    slug = "regions"
    titre = "Régions"
    description = "Régions du référentiel territorial (découpage administratif, millésime 2026)."
    publie = False
    champs = (
        Champ(
            "code", "string", "Code", "Code Insee de la région.", requis=True, unique=True, motif=CODE_REGION
        ),
        Champ("nom", "string", "Nom", "Nom de la région.", requis=True),
        ZONE,
    )
    cle_primaire = ("code",)

    def objets(self, *, filtres: Filtres, demonstration: bool):
        return selectors.regions(filtres=filtres)

    def lignes(self, objets: list, *, demonstration: bool) -> list[dict]:
        return [{"code": r.code, "nom": r.nom, "zone": r.zone} for r in objets]


class Departements(Jeu):
    slug = "departements"
    titre = "Départements"
    description = "Départements (et collectivités d'outre-mer) du référentiel territorial."
    publie = False
    champs = (
        Champ(
            "code",
            "string",
            "Code",
            "Code Insee du département.",
            requis=True,
            unique=True,
            motif=CODE_DEPARTEMENT,
        ),
        Champ("nom", "string", "Nom", "Nom du département.", requis=True),
        Champ(
            "code_region",
            "string",
            "Code de la région",
            "Code Insee de la région.",
            requis=True,
            motif=CODE_REGION,
        ),
        ZONE,
        Champ("population", "integer", "Population", "Population municipale.", requis=True, minimum=0),
        Champ("chef_lieu", "string", "Chef-lieu", "Code Insee de la commune chef-lieu.", motif=CODE_COMMUNE),
    )
    cle_primaire = ("code",)

    def objets(self, *, filtres: Filtres, demonstration: bool):
        return selectors.departements(filtres=filtres)

    def lignes(self, objets: list, *, demonstration: bool) -> list[dict]:
        return [
            {
                "code": d.code,
                "nom": d.nom,
                "code_region": d.region_id,
                "zone": d.zone,
                "population": d.population,
                "chef_lieu": d.chef_lieu or None,
            }
            for d in objets
        ]


class Epcis(Jeu):
    slug = "epci"
    titre = "EPCI à fiscalité propre"
    description = "Établissements publics de coopération intercommunale à fiscalité propre du référentiel."
    publie = False
    champs = (
        Champ("code", "string", "SIREN", "SIREN de l'EPCI.", requis=True, unique=True, motif=SIREN),
        Champ("nom", "string", "Nom", "Nom de l'EPCI.", requis=True),
        Champ(
            "type",
            "string",
            "Nature juridique",
            "; ".join(f"« {value} » : {label.lower()}" for value, label in TypeEpci.choices) + ".",
            requis=True,
            valeurs=tuple(TypeEpci.values),
        ),
        Champ("population", "integer", "Population", "Population municipale.", requis=True, minimum=0),
        Champ(
            "codes_departements",
            "string",
            "Départements",
            "Codes Insee des départements où l'EPCI a au moins une commune, séparés par « | ».",
            requis=True,
            motif=liste(CODE_DEPARTEMENT),
        ),
    )
    cle_primaire = ("code",)

    def objets(self, *, filtres: Filtres, demonstration: bool):
        return selectors.epcis(filtres=filtres)

    def lignes(self, objets: list, *, demonstration: bool) -> list[dict]:
        return [
            {
                "code": e.code,
                "nom": e.nom,
                "type": e.type,
                "population": e.population,
                "codes_departements": SEPARATEUR.join(sorted(d.code for d in e.departements.all())),
            }
            for e in objets
        ]


class Communes(Jeu):
    slug = "communes"
    titre = "Communes"
    description = "Communes actuelles du référentiel, avec leur EPCI, leur population et leurs codes postaux."
    publie = False
    champs = (
        Champ(
            "code",
            "string",
            "Code",
            "Code Insee de la commune.",
            requis=True,
            unique=True,
            motif=CODE_COMMUNE,
        ),
        Champ("nom", "string", "Nom", "Nom de la commune.", requis=True),
        Champ(
            "code_departement",
            "string",
            "Code du département",
            "Code Insee du département.",
            requis=True,
            motif=CODE_DEPARTEMENT,
        ),
        Champ(
            "code_region",
            "string",
            "Code de la région",
            "Code Insee de la région.",
            requis=True,
            motif=CODE_REGION,
        ),
        Champ(
            "code_epci",
            "string",
            "SIREN de l'EPCI",
            "SIREN de l'EPCI à fiscalité propre de la commune.",
            motif=SIREN,
        ),
        Champ("siren", "string", "SIREN", "SIREN de la commune.", motif=SIREN),
        Champ("population", "integer", "Population", "Population municipale.", requis=True, minimum=0),
        Champ(
            "codes_postaux",
            "string",
            "Codes postaux",
            "Codes postaux de la commune, séparés par « | ».",
            motif=liste(r"\d{5}"),
        ),
    )
    cle_primaire = ("code",)

    def objets(self, *, filtres: Filtres, demonstration: bool):
        return selectors.communes(filtres=filtres)

    def lignes(self, objets: list, *, demonstration: bool) -> list[dict]:
        return [
            {
                "code": c.code,
                "nom": c.nom,
                "code_departement": c.departement_id,
                "code_region": c.departement.region_id,
                "code_epci": c.epci_id,
                "siren": c.siren or None,
                "population": c.population,
                "codes_postaux": SEPARATEUR.join(c.codes_postaux_list) or None,
            }
            for c in objets
        ]
