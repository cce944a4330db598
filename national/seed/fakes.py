"""What seeded rows look like: French names, e-mail addresses on example domains, valid SIRET,
dates of the 2023 campaign. Every draw takes the département's own `random.Random`."""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

SEED_DOMAIN = "seed-national.example"
# Seeded accounts cannot log in (Django's unusable-password marker).
UNUSABLE = make_password(None)
PRENOMS = ["Camille", "Dominique", "Claude", "Alix", "Sacha", "Morgan", "Yannick", "Maëlle", "Karim", "Inès"]
NOMS = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent"]
STRUCTURES = [
    "Association {n} Numérique pour tous",
    "Centre social {n}",
    "Espace public numérique {n}",
    "Fablab {n}",
    "Emmaüs Connect {n}",
    "Mission locale {n}",
    "Tiers-lieu {n}",
    "Recyclerie informatique {n}",
]


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
