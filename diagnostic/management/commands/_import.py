"""What the four import commands share: read the file, call the service, print the report."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diagnostic.models import ImportRun
from diagnostic.parsers.common import FormatError

SHOWN_REJECTS = 20


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path, help="Fichier au format publié par la source.")
        parser.add_argument(
            "--date",
            dest="date_donnees",
            type=date.fromisoformat,
            help="Date des données (AAAA-MM-JJ). Par défaut : lue dans les données ou le nom du fichier.",
        )

    def run_service(self, path: Path, **options) -> ImportRun:
        raise NotImplementedError

    def handle(self, *args, fichier: Path, **options):
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        try:
            text = fichier.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(f"{fichier.name} n'est pas encodé en UTF-8 : {error}") from None
        try:
            run = self.run_service(text=text, fichier=fichier.name, **options)
        except FormatError as error:
            raise CommandError(f"{fichier.name} : {error}") from None
        self.report(run, verbosity=options.get("verbosity", 1))

    def report(self, run: ImportRun, *, verbosity: int) -> None:
        if verbosity == 0:
            return
        self.stdout.write(
            f"{run.get_source_display()} — {run.fichier} (données : {run.date_donnees_affichage}) : "
            f"{run.lus} lus, {run.crees} créés, {run.mis_a_jour} mis à jour, {run.inchanges} inchangés, "
            f"{run.rejetes} rejetés, {len(run.avertissements)} avertissements."
        )
        if run.crees == run.mis_a_jour == 0 and run.rejetes == 0:
            self.stdout.write("Aucun changement.")
        shown = run.rejets if verbosity > 1 else run.rejets[:SHOWN_REJECTS]
        for rejet in shown:
            self.stdout.write(f"  ligne {rejet['ligne']} rejetée : {rejet['motif']}")
        if len(shown) < len(run.rejets):
            self.stdout.write(
                f"  … et {len(run.rejets) - len(shown)} autres rejets (-v 2 pour tout afficher)."
            )
        if verbosity > 1:
            for avertissement in run.avertissements:
                self.stdout.write(f"  ligne {avertissement['ligne']} : {avertissement['message']}")
