from diagnostic import services
from diagnostic.enums import Echelon

from ._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe l'indice de fragilité numérique (CSV La MedNum) des communes ou des EPCI. Les codes de "
        "communes fusionnées sont rattachés à la commune actuelle. Idempotent."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--echelon",
            choices=[e.value for e in Echelon],
            help="commune ou epci (par défaut : lu dans la colonne « division » du fichier).",
        )

    def run_service(self, *, text, fichier, date_donnees=None, echelon=None, **options):
        if echelon is None:
            second_line = text.lstrip("\ufeff").split("\n", 2)[1:2]
            echelon = Echelon.EPCI if second_line and ",epci," in second_line[0] else Echelon.COMMUNE
        return services.ifn_import(
            text=text, fichier=fichier, echelon=Echelon(echelon), date_donnees=date_donnees
        )
