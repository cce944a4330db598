"""Membres: the organisations of each public gouvernance (never a person: no référent, no
suppléant, no name, e-mail or phone number)."""

from territoires.enums import TypeCollectivite

from .. import selectors
from ..schema import CODE_DEPARTEMENT, Champ, CleEtrangere, Filtres, Jeu

STRUCTURE = "structure"
TYPES = (*TypeCollectivite.values, STRUCTURE)
COPORTEUR, MEMBRE = "coporteur", "membre"
PREFECTURE = "Préfecture"


class Membres(Jeu):
    slug = "membres"
    titre = "Membres des gouvernances de l'inclusion numérique"
    description = (
        "Une ligne par membre d'une gouvernance remontée : collectivité (conseil régional, conseil "
        "départemental, EPCI, commune) ou structure (association, opérateur, entreprise), avec son "
        "code et son rôle. Les membres sont des organisations : leurs référents et suppléants (noms, "
        "fonctions, adresses) ne sont jamais publiés."
    )
    champs = (
        Champ(
            "id",
            "integer",
            "Identifiant",
            "Identifiant du membre sur la plateforme (stable tant qu'il reste membre).",
            requis=True,
            unique=True,
            minimum=1,
        ),
        Champ(
            "code_departement",
            "string",
            "Département de la gouvernance",
            "Code Insee du département dont le membre rejoint la gouvernance.",
            requis=True,
            motif=CODE_DEPARTEMENT,
        ),
        Champ(
            "type",
            "string",
            "Typologie",
            "« region » : conseil régional ; « departement » : conseil départemental ; « epci » : "
            "établissement public de coopération intercommunale ; « commune » ; « structure » : "
            "association, opérateur de services publics, entreprise ou autre personne morale.",
            requis=True,
            valeurs=TYPES,
        ),
        Champ("nom", "string", "Nom", "Nom de la collectivité ou de la structure.", requis=True),
        Champ(
            "code_insee",
            "string",
            "Code Insee",
            "Code officiel géographique de la région, du département ou de la commune membre.",
            motif=r"(\d{2,3}|2[AB]|\d{5}|2[AB]\d{3})",
        ),
        Champ(
            "siren",
            "string",
            "SIREN",
            "SIREN de l'EPCI, de la commune ou de la structure (les neuf premiers chiffres de son SIRET), "
            "quand il est connu.",
            motif=r"\d{9}",
        ),
        Champ(
            "role",
            "string",
            "Rôle",
            "« coporteur » : collectivité co-porteuse de la gouvernance ; « membre » : autre membre.",
            requis=True,
            valeurs=(COPORTEUR, MEMBRE),
        ),
    )
    cle_primaire = ("id",)
    cles_etrangeres = (CleEtrangere(("code_departement",), "gouvernances", ("code_departement",)),)

    def objets(self, *, filtres: Filtres, demonstration: bool):
        return selectors.membres_publics(filtres=filtres, demonstration=demonstration)

    def lignes(self, objets: list, *, demonstration: bool) -> list[dict]:
        return [ligne_membre(m) for m in objets]


def nom_du_porteur(membre) -> str:
    """The porteur of a feuille de route: a member, or the préfecture alone."""
    return membre.nom if membre is not None else PREFECTURE


def codes_membre(membre) -> tuple[str | None, str | None]:
    """(code Insee, SIREN) of a member, from what its row already loaded."""
    if membre.is_structure:
        return None, (membre.structure_siret[:9] or None)
    if membre.type_collectivite == TypeCollectivite.EPCI:
        return None, membre.epci_id
    if membre.type_collectivite == TypeCollectivite.COMMUNE:
        return membre.commune_id, membre.commune.siren or None
    return membre.collectivite_code, None


def ligne_membre(membre) -> dict:
    code_insee, siren = codes_membre(membre)
    return {
        "id": membre.pk,
        "code_departement": membre.gouvernance.departement_id,
        "type": STRUCTURE if membre.is_structure else membre.type_collectivite,
        "nom": membre.nom,
        "code_insee": code_insee,
        "siren": siren,
        "role": COPORTEUR if membre.est_coporteur else MEMBRE,
    }
