from diagnostic import services

from ._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les lieux de médiation numérique : CSV du standard v1.0.2 (valeurs multiples séparées "
        "par « | ») ou JSON de l'ancien format 0.x. Idempotent."
    )

    def run_service(self, *, text, fichier, date_donnees=None, **options):
        return services.lieux_import(text=text, fichier=fichier, date_donnees=date_donnees)
