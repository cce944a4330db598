from django.core.management.base import BaseCommand, CommandError

from donnees_ouvertes import services
from donnees_ouvertes.enums import Declencheur


class Command(BaseCommand):
    help = "Produit maintenant les fichiers des données ouvertes (ce que fait chaque nuit Celery beat)."

    def handle(self, *args, **options):
        publication = services.publication_run(declencheur=Declencheur.COMMANDE)
        if publication is None:
            raise CommandError("Une publication est déjà en cours : réessayez quand elle sera terminée.")
        for fichier in publication.fichiers.order_by("jeu", "format"):
            self.stdout.write(
                f"{fichier.jeu}.{fichier.format} : {fichier.lignes} lignes, {fichier.taille} octets"
            )
        duree = (publication.fin - publication.debut).total_seconds()
        self.stdout.write(f"Données ouvertes publiées en {duree:.1f} s.")
