"""`manage.py import_territoires [--file F] [--departements 58,03]`: load or refresh the referential."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from territoires.importer import TerritoiresFileError, import_territoires


def _departements(value: str | list[str] | tuple[str, ...] | None) -> list[str] | None:
    """`"58,03"` from the command line, or a list from `call_command`."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    codes = [code.strip().upper() for code in value if code.strip()]
    return codes or None


class Command(BaseCommand):
    help = (
        "Charge ou met à jour le référentiel territorial (régions, départements, EPCI, communes) "
        "depuis le fichier compact livré avec le projet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="fichier à charger (par défaut settings.TERRITOIRES_FILE)")
        parser.add_argument(
            "--departements",
            help="codes de départements séparés par des virgules (ex. 58,03) : seules leurs communes "
            "et les EPCI qui les touchent sont chargés, avec toutes les régions et tous les départements",
        )

    def handle(self, *args, file=None, departements=None, verbosity=1, **options):
        path = file or settings.TERRITOIRES_FILE
        start = time.monotonic()
        try:
            report = import_territoires(path=path, departements=_departements(departements))
        except (OSError, ValueError, TerritoiresFileError) as error:
            raise CommandError(f"Import impossible depuis {path} : {error}") from error
        elapsed = time.monotonic() - start

        if verbosity < 1:
            return
        for label, kind in report.kinds():
            self.stdout.write(
                f"{label} : {kind.created} créé(s), {kind.updated} mis à jour, "
                f"{kind.deleted} supprimé(s), {kind.unchanged} inchangé(s)"
            )
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Référentiel territorial mis à jour."))
        else:
            self.stdout.write(self.style.SUCCESS("Aucune modification : le référentiel est à jour."))
        self.stdout.write(f"Durée : {elapsed:.1f} s")
