from diagnostic import services

from ._import import ImportCommand


class Command(ImportCommand):
    help = "Importe l'export des structures Aidants Connect (CSV Metabase). Idempotent."

    def run_service(self, *, text, fichier, date_donnees=None, **options):
        return services.aidants_connect_import(text=text, fichier=fichier, date_donnees=date_donnees)
