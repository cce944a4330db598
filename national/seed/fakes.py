"""What seeded rows look like: French names, structures named after a real commune of their
département, e-mail addresses on example domains, valid SIRET, dates of the 2023 campaign. Every
draw takes the département's own `random.Random`."""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

SEED_DOMAIN = "seed-national.example"
# Seeded accounts cannot log in (Django's unusable-password marker).
UNUSABLE = make_password(None)
PRENOMS = ["Camille", "Dominique", "Claude", "Alix", "Sacha", "Morgan", "Yannick", "Maëlle", "Karim", "Inès"]
NOMS = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent"]
# « {de} » is « de Nevers », « d'Avallon », « du Creusot »: the commune with its preposition.
STRUCTURES = [
    "Association Numérique pour tous {de}",
    "Centre social {de}",
    "Espace public numérique {de}",
    "Fablab {de}",
    "Médiathèque intercommunale {de}",
    "Mission locale {de}",
    "Tiers-lieu {de}",
    "Recyclerie informatique {de}",
]
COORDINATRICES = [
    "Association {de_departement} pour la médiation numérique",
    "Hub numérique {de_departement}",
]


def de_commune(nom: str) -> str:
    """« de Nevers », « d'Avallon », « du Creusot », « des Riceys », « de La Charité-sur-Loire »."""
    if nom.startswith("Le "):
        return f"du {nom[3:]}"
    if nom.startswith("Les "):
        return f"des {nom[4:]}"
    # A name starting with an h is left without elision: many are aspirated (« de Hautefort »).
    if nom[:1].upper() in "AEIOUYÉÈÊÂÎÔ":
        return f"d'{nom}"
    return f"de {nom}"


def structure_nom(rng: random.Random, commune: str) -> str:
    return rng.choice(STRUCTURES).format(de=de_commune(commune))


def aware(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(8, 18), rng.randint(0, 59)))
    )


def day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def siret(rng: random.Random) -> str:
    """A random 14-digit SIRET passing the Luhn check."""
    digits = [rng.randint(0, 9) for _ in range(13)]
    for check in range(10):
        candidate = [*digits, check]
        total = 0
        for i, d in enumerate(reversed(candidate)):
            d = d * 2 if i % 2 else d
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return "".join(map(str, candidate))
    raise AssertionError("unreachable")


def personne(rng: random.Random) -> tuple[str, str]:
    return rng.choice(PRENOMS), rng.choice(NOMS)


def email_address(prenom: str, nom: str, domaine: str, n: int) -> str:
    return f"{prenom}.{nom}.{n}@{domaine}".lower().replace("ë", "e").replace("è", "e").replace("é", "e")
