from diagnostic import services

from ._import import ImportCommand


class Command(ImportCommand):
    help = "Importe l'activité des conseillers numériques agrégée par département (JSON). Idempotent."

    def run_service(self, *, text, fichier, date_donnees=None, **options):
        return services.conseillers_numeriques_import(text=text, fichier=fichier, date_donnees=date_donnees)
