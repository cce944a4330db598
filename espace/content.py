"""Public text of the home page, taken from the official texts (shared seeds: circulaire of
28 July 2023, national orientations, webinar of 14 November 2023)."""

from national.cibles import OBJECTIFS_NATIONAUX

AXES = [
    {
        "numero": 1,
        "titre": "Territorialiser la politique d'inclusion numérique",
        "texte": (
            "Territorialiser la politique d'inclusion numérique et accompagner les acteurs locaux "
            "par la mobilisation d'un fonds d'ingénierie dédié : gouvernances territoriales, "
            "feuilles de route locales, fonds national et coordination interministérielle."
        ),
    },
    {
        "numero": 2,
        "titre": "Outiller les médiateurs numériques",
        "texte": (
            "Déployer une gamme d'outils numériques accessibles à tous les médiateurs numériques "
            "pour assurer un développement des compétences tout au long de la vie."
        ),
    },
    {
        "numero": 3,
        "titre": "Structurer la filière professionnelle",
        "texte": (
            "Soutenir les acteurs du secteur dans leurs travaux de structuration de la filière "
            "professionnelle et renforcer l'adéquation des formations aux réalités opérationnelles."
        ),
    },
    {
        "numero": 4,
        "titre": "Partager des données structurées",
        "texte": (
            "Collecter selon la logique du « dites-le-nous une fois » et partager des données "
            "structurées pour adapter, au fil de l'eau, la politique d'inclusion numérique aux "
            "réalités locales et nationales."
        ),
    },
]

# The national objectives, declared once with the indicators that answer them (national/cibles.py).
OBJECTIFS_2027 = [{"chiffre": o.chiffre, "texte": o.texte} for o in OBJECTIFS_NATIONAUX]

# The campaign calendar is data (gouvernances.models.Echeance, edited in the admin and seeded by
# the migration gouvernances/0002 with the dates of the circulaire): see gouvernances.selectors.calendrier.
