"""Load the dotations of one fund and campaign year from a CSV `code_departement;montant`.

python manage.py import_dotations dotations-ingenierie-2024.csv --fonds ingenierie --annee 2024 \
    --source "Répartition du fonds d'ingénierie 2024"

French decimals (« 49 500,50 ») or dots; an optional header line; UTF-8 (with or without BOM) or
Latin-1. Idempotent: a second run with the same file changes nothing and says so. Rejected lines
are reported with their number and reason, never silently dropped.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from subventions import services
from subventions.enums import Fonds
from territoires.models import Departement


class Command(BaseCommand):
    help = "Importe les dotations d'un fonds (CSV code_departement;montant, décimales à la française)."

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--fonds", choices=Fonds.values, required=True)
        parser.add_argument("--annee", type=int, required=True, help="Année de campagne, par exemple 2024.")
        parser.add_argument(
            "--source", default="", help="Texte ou arrêté de répartition (300 caractères au plus)."
        )

    def handle(self, *args, fichier: Path, fonds: str, annee: int, source: str, **options):
        if not 2020 <= annee <= 2100:
            raise CommandError("--annee doit être une année de campagne (par exemple 2024).")
        if len(source) > 300:
            raise CommandError("--source compte au plus 300 caractères.")
        try:
            raw = fichier.read_bytes()
        except OSError as exc:
            raise CommandError(f"Fichier illisible : {exc}") from exc
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        codes = set(Departement.objects.values_list("code", flat=True))
        lecture = services.parse_dotations(text, codes_connus=codes)
        bilan = services.dotations_import(lignes=lecture.lignes, fonds=fonds, annee=annee, source=source)
        rejets = sorted([*lecture.erreurs, *bilan.rejetees])
        for numero, raison in rejets:
            self.stderr.write(f"Ligne {numero} rejetée : {raison}")
        self.stdout.write(
            f"{Fonds(fonds).label} {annee} : {bilan.creees} créée(s), {bilan.modifiees} modifiée(s), "
            f"{bilan.inchangees} inchangée(s), {len(rejets)} ligne(s) rejetée(s)."
        )
