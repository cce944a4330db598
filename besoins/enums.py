"""The four categories of besoins en ingénierie and their items, with the labels of the
webinar of 14 November 2023 and the circulaire.

Labels follow the webinar of 14 November 2023 (« Zoom sur la remontée des besoins en ingénierie »)
where it is more precise than DESIGN; the category « Outils des acteurs du territoire » of the
slide is kept in DESIGN's wording (« Outiller »), the slide's being a typo of the same heading.
"""

from django.db import models


class Categorie(models.TextChoices):
    FORMALISER = "formaliser", "Formaliser les feuilles de route"
    FINANCER = "financer", "Financer le déploiement de la feuille de route"
    OUTILLER = "outiller", "Outiller les acteurs du territoire"
    FORMER = "former", "Former les professionnels à l'inclusion numérique"


class Item(models.TextChoices):
    # Formaliser les feuilles de route
    DIAGNOSTIC = "diagnostic", "Faire un diagnostic territorial"
    CO_CONSTRUIRE = "co_construire", "Co-construire la feuille de route avec les acteurs locaux"
    REDIGER = "rediger", "Rédiger la feuille de route"
    VEHICULE_JURIDIQUE = "vehicule_juridique", "Créer un véhicule juridique dédié à la gouvernance"
    FORMALISER_AUTRE = "formaliser_autre", "Autre besoin pour formaliser les feuilles de route"
    # Financer le déploiement de la feuille de route
    FONDS_LOCAL = "fonds_local", "Structurer un fonds local pour l'inclusion numérique"
    SUBVENTIONS = "subventions", "Monter des dossiers de subvention complexes"
    ANIMER = "animer", "Animer et mettre en œuvre la gouvernance et la feuille de route"
    FINANCER_AUTRE = "financer_autre", "Autre besoin pour financer le déploiement"
    # Outiller les acteurs du territoire
    RECONDITIONNEMENT = "reconditionnement", "Structurer une filière de reconditionnement locale"
    DONNEES = (
        "donnees",
        "Collecter des données territoriales pour alimenter la plateforme de données nationale",
    )
    SENSIBILISER = (
        "sensibiliser",
        "Sensibiliser les acteurs de l'inclusion numérique aux outils existants (PIX, La Base…)",
    )
    OUTILLER_AUTRE = "outiller_autre", "Autre besoin pour outiller les acteurs"
    # Former les professionnels à l'inclusion numérique
    FORMER_AGENTS = (
        "former_agents",
        "Former les agents publics à l'inclusion numérique (ex : secrétaires de mairie, travailleurs sociaux…)",
    )
    FORMER_SALARIES = "former_salaries", "Former les salariés associatifs à l'inclusion numérique"
    QUALIOPI = (
        "qualiopi",
        "Appuyer la certification Qualiopi de structures privées portant des formations inclusion numérique",
    )
    FORMER_AUTRE = "former_autre", "Autre besoin de formation"


ITEMS_BY_CATEGORIE: dict[Categorie, tuple[Item, ...]] = {
    Categorie.FORMALISER: (
        Item.DIAGNOSTIC,
        Item.CO_CONSTRUIRE,
        Item.REDIGER,
        Item.VEHICULE_JURIDIQUE,
        Item.FORMALISER_AUTRE,
    ),
    Categorie.FINANCER: (Item.FONDS_LOCAL, Item.SUBVENTIONS, Item.ANIMER, Item.FINANCER_AUTRE),
    Categorie.OUTILLER: (Item.RECONDITIONNEMENT, Item.DONNEES, Item.SENSIBILISER, Item.OUTILLER_AUTRE),
    Categorie.FORMER: (Item.FORMER_AGENTS, Item.FORMER_SALARIES, Item.QUALIOPI, Item.FORMER_AUTRE),
}

CATEGORIE_OF: dict[Item, Categorie] = {
    item: categorie for categorie, items in ITEMS_BY_CATEGORIE.items() for item in items
}

AUTRES: frozenset[Item] = frozenset(
    {Item.FORMALISER_AUTRE, Item.FINANCER_AUTRE, Item.OUTILLER_AUTRE, Item.FORMER_AUTRE}
)

# The stored priority list names the combined « Ressource humaine » card with this key; the other
# cards are named by their item code.
CARTE_RESSOURCE_HUMAINE = "ressource_humaine"


# The formation items that train people: the head count applies to them (and to « autre » when
# its précision is about training people); the Qualiopi support is met like any other need.
FORME_DES_PERSONNES: frozenset[Item] = frozenset({Item.FORMER_AGENTS, Item.FORMER_SALARIES})


def is_formation(item: str) -> bool:
    return CATEGORIE_OF[Item(item)] == Categorie.FORMER


def trains_people(item: str, *, forme_des_personnes: bool = False) -> bool:
    """Does this item ask how many people to train? `forme_des_personnes`: what « autre » of
    the formation category says it is about."""
    item = Item(item)
    return item in FORME_DES_PERSONNES or (item == Item.FORMER_AUTRE and forme_des_personnes)


def asks_if_it_trains_people(item: str) -> bool:
    return Item(item) == Item.FORMER_AUTRE


def is_autre(item: str) -> bool:
    return Item(item) in AUTRES


def short_label(item: str) -> str:
    """« Autre » on the form, where the category heading already says which."""
    return "Autre" if is_autre(item) else Item(item).label
