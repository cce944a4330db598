"""Demo data for a local run or a presentation. Idempotent: a second run changes nothing.

Each app that has demo data provides `<app>/demo.py` with `seed(*, stdout) -> None`; they run
in the order of DEMO_APPS (accounts first, then what builds on them).
"""

import logging
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from territoires.models import Departement

DEMO_APPS = ["comptes", "candidatures", "gouvernances", "besoins", "feuilles_de_route", "diagnostic"]


class Command(BaseCommand):
    help = "Crée (sans doublon) les comptes et les données de démonstration, et affiche les identifiants."

    def handle(self, *args, **options):
        # The demo records are invented people: their notifications go nowhere.
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        logging.getLogger("celery").setLevel(logging.WARNING)
        if not Departement.objects.filter(code="58").exists():
            self.stdout.write("Référentiel territorial absent : import en cours…")
            call_command("import_territoires", stdout=self.stdout)
        for app in DEMO_APPS:
            if find_spec(app) is None or find_spec(f"{app}.demo") is None:
                continue
            with transaction.atomic():
                import_module(f"{app}.demo").seed(stdout=self.stdout)
        from comptes.demo import print_logins

        print_logins(stdout=self.stdout)
