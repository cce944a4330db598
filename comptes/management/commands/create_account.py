from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from comptes.enums import Role
from comptes.services import account_create_or_update
from territoires.models import Departement, Region


class Command(BaseCommand):
    help = "Crée ou met à jour un compte (adresse e-mail vérifiée) avec son rôle et son périmètre."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--departement", help="code du département (rôle prefecture)")
        parser.add_argument("--region", help="code de la région (rôle prefecture_region)")
        parser.add_argument("--password", help="sans mot de passe, la personne se connecte par code e-mail")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, **options):
        departement = region = None
        if options["departement"]:
            departement = Departement.objects.filter(code=options["departement"]).first()
            if departement is None:
                raise CommandError(
                    f"Département inconnu : {options['departement']} (lancez d'abord import_territoires)."
                )
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(
                    f"Région inconnue : {options['region']} (lancez d'abord import_territoires)."
                )
        try:
            user, created = account_create_or_update(
                email=options["email"],
                role=options["role"],
                departement=departement,
                region=region,
                password=options["password"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "créé" if created else "mis à jour"
        self.stdout.write(self.style.SUCCESS(f"Compte {verb} : {user.email} ({user.get_role_display()})"))
