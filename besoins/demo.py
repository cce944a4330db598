"""Demo besoins for the Nièvre (run by `seed_demo` after the gouvernance). Idempotent: once the
Nièvre has besoins, a second run changes nothing."""

from decimal import Decimal

from comptes.models import User
from core.cache import invalidate
from gouvernances.models import Gouvernance

from . import services
from .enums import CARTE_RESSOURCE_HUMAINE, Item
from .models import Besoin, Besoins
from .rules import Ligne
from .signals import BESOINS

AUTHOR = "admin@anct.demo.example"  # the administrator writes whatever the campaign's deadline

LIGNES = [
    Ligne(Item.DIAGNOSTIC, ressource_humaine=True, etp=Decimal("0.5"), prestation=True),
    Ligne(Item.CO_CONSTRUIRE, ressource_humaine=True, etp=Decimal("0.3")),
    Ligne(Item.FONDS_LOCAL, prestation=True),
    Ligne(Item.SUBVENTIONS, ressource_humaine=True, etp=Decimal("1")),
    Ligne(Item.ANIMER, ressource_humaine=True, etp=Decimal("1")),
    Ligne(Item.RECONDITIONNEMENT, prestation=True),
    Ligne(Item.SENSIBILISER, ressource_humaine=True, etp=Decimal("0.2")),
    Ligne(Item.FORMER_AGENTS, personnes_a_former=60),
    Ligne(Item.FORMER_SALARIES, personnes_a_former=25),
    Ligne(
        Item.FORMER_AUTRE,
        personnes_a_former=30,
        forme_des_personnes=True,
        precision="Former les agents d'accueil des France services aux démarches en ligne",
    ),
]

PRIORITES = [
    CARTE_RESSOURCE_HUMAINE,
    Item.FORMER_AGENTS,
    Item.DIAGNOSTIC,
    Item.RECONDITIONNEMENT,
    Item.FONDS_LOCAL,
    Item.FORMER_SALARIES,
    Item.FORMER_AUTRE,
]


def seed(*, stdout) -> None:
    gouvernance = Gouvernance.objects.filter(departement_id="58").select_related("departement").first()
    if gouvernance is None:
        stdout.write("Besoins en ingénierie : pas de gouvernance pour la Nièvre, rien à créer.")
        return
    if Besoins.objects.filter(gouvernance=gouvernance, lignes__isnull=False).exists():
        stdout.write("Besoins en ingénierie de la Nièvre : déjà présents.")
        return
    user = User.objects.get(email=AUTHOR)
    current = Besoins.objects.filter(gouvernance=gouvernance).first()
    besoins = services.besoins_save(
        gouvernance=gouvernance,
        user=user,
        version=current.version if current else 0,
        lignes=LIGNES,
        chef_de_projet=True,
        chef_de_projet_structure="Conseil départemental de la Nièvre, en lien avec la Nièvre Numérique",
        etudes=[
            "Étude sur l'hybridation des modèles financiers des tiers-lieux et espaces numériques du Morvan",
            "Étude de faisabilité d'une filière locale de reconditionnement avec les acteurs de l'ESS",
        ],
    )
    services.besoins_prioritise(
        besoins=besoins, user=user, version=besoins.version, ordre=[str(p) for p in PRIORITES]
    )
    stdout.write(f"Besoins en ingénierie de la Nièvre : {len(LIGNES)} besoins créés et priorisés.")


# seed_national fills the 101 départements in bulk (no history rows, accounts that cannot log in):
# data for presentations and benchmarks, written here because this app owns these tables.


def bulk_besoins(sets: list, *, gouvernances: list, lignes: list[list]) -> list:
    """`sets`: (index of its gouvernance, Besoins); `lignes`: the Besoin rows of each set."""
    for index, besoins in sets:
        besoins.gouvernance = gouvernances[index]
    created = Besoins.objects.bulk_create([b for _, b in sets], batch_size=500)
    rows = []
    for besoins, items in zip(created, lignes, strict=True):
        for ligne in items:
            ligne.besoins = besoins
            rows.append(ligne)
    rows = Besoin.objects.bulk_create(rows, batch_size=500)
    invalidate(BESOINS)  # bulk_create sends no post_save
    return rows
