"""`manage.py import_territoires [--file F] [--ept F] [--departements 58,03]`: load or refresh the
referential, with the établissements publics territoriaux of the Grand Paris."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from territoires.ept import EptFileError
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
        "Charge ou met à jour le référentiel territorial (régions, départements, EPCI, communes, "
        "territoires du Grand Paris) depuis les fichiers livrés avec le projet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="fichier à charger (par défaut settings.TERRITOIRES_FILE)")
        parser.add_argument(
            "--ept",
            help="composition des établissements publics territoriaux du Grand Paris, CSV au format "
            "publié CODGEO,LIBGEO,EPT,LIBEPT,DEP (par défaut settings.EPT_FILE, livré avec le fichier "
            "par défaut ; avec --file et sans --ept, aucun territoire du Grand Paris n'est chargé)",
        )
        parser.add_argument(
            "--departements",
            help="codes de départements séparés par des virgules (ex. 58,03) : seules leurs communes "
            "et les EPCI qui les touchent sont chargés, avec toutes les régions et tous les départements",
        )

    def handle(self, *args, file=None, ept=None, departements=None, verbosity=1, **options):
        path = file or settings.TERRITOIRES_FILE
        # The shipped composition of the EPT goes with the shipped territory file (same vintage):
        # another territory file gets its own EPT file, or none.
        ept_path = ept or (None if file else settings.EPT_FILE)
        start = time.monotonic()
        try:
            report = import_territoires(
                path=path, ept_path=ept_path, departements=_departements(departements)
            )
        except (OSError, ValueError, TerritoiresFileError, EptFileError) as error:
            sources = f"{path} et {ept_path}" if ept_path else str(path)
            raise CommandError(f"Import impossible depuis {sources} : {error}") from error
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
