"""Fill N départements of the campaign with plausible national demo data (see the national.seed package).

python manage.py import_territoires        # the full referential first
python manage.py seed_national --departements 101 --seed 42
python manage.py seed_national --reset --departements 10
"""

import time

from django.core.management.base import BaseCommand, CommandError

from national import seed


class Command(BaseCommand):
    help = "Remplit les départements de la campagne avec des données de démonstration nationales."

    def add_arguments(self, parser):
        parser.add_argument("--departements", type=int, default=101, help="Nombre de départements (1 à 101).")
        parser.add_argument("--seed", type=int, default=42, help="Graine du générateur (déterministe).")
        parser.add_argument(
            "--reset", action="store_true", help="Supprimer d'abord les données créées par cette commande."
        )

    def handle(self, *args, departements, reset: bool, **options):
        if not 1 <= departements <= 101:
            raise CommandError("--departements doit être compris entre 1 et 101.")
        start = time.perf_counter()
        if reset:
            counts = seed.reset()
            self.stdout.write(
                f"Supprimé : {counts['gouvernances']} gouvernances, {counts['comptes']} comptes."
            )
        counts = seed.seed_national(nombre=departements, seed=options["seed"])
        self.stdout.write(", ".join(f"{k} : {v}" for k, v in counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Terminé en {time.perf_counter() - start:.1f} s."))
