"""Demo data for a local run or a presentation. Idempotent: a second run changes nothing.

Each app that has demo data provides `<app>/demo.py` with `seed(*, stdout) -> None`; they run in
the order below, each on what the previous ones built (accounts first).
"""

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from besoins import demo as besoins_demo
from candidatures import demo as candidatures_demo
from comptes import demo as comptes_demo
from diagnostic import demo as diagnostic_demo
from feuilles_de_route import demo as feuilles_de_route_demo
from gouvernances import demo as gouvernances_demo
from subventions import demo as subventions_demo
from territoires.models import Departement

DEMO_SEEDS = [
    comptes_demo.seed,
    candidatures_demo.seed,
    gouvernances_demo.seed,
    besoins_demo.seed,
    feuilles_de_route_demo.seed,
    subventions_demo.seed,
    diagnostic_demo.seed,
]


class Command(BaseCommand):
    help = "Crée (sans doublon) les comptes et les données de démonstration, et affiche les identifiants."

    def handle(self, *args, **options):
        # The demo records are invented people: their notifications go nowhere.
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        logging.getLogger("celery").setLevel(logging.WARNING)
        if not Departement.objects.filter(code="58").exists():
            self.stdout.write("Référentiel territorial absent : import en cours…")
            call_command("import_territoires", stdout=self.stdout)
        for seed in DEMO_SEEDS:
            with transaction.atomic():
                seed(stdout=self.stdout)
        comptes_demo.print_logins(stdout=self.stdout)
