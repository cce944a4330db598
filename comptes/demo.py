from territoires.models import Departement, Region

from .enums import Role
from .models import User
from .services import account_create_or_update

DEMO_PASSWORD = "demo-fne-2027"  # noqa: S105 - public demo password, printed by seed_demo

DEMO_ACCOUNTS = [
    # (email, role, département, région, prénom, nom)
    ("admin@anct.demo.example", Role.ADMIN, None, None, "Camille", "Roussel"),
    ("prefecture-58@nievre.demo.example", Role.PREFECTURE, "58", None, "Dominique", "Lefort"),
    ("sgar-27@bfc.demo.example", Role.PREFECTURE_REGION, None, "27", "Sacha", "Perret"),
    ("demo@anct.demo.example", Role.DEMO, None, None, "Alex", "Garnier"),
]


def seed(*, stdout) -> None:
    for email, role, dep, reg, first_name, last_name in DEMO_ACCOUNTS:
        account_create_or_update(
            email=email,
            role=role,
            departement=Departement.objects.get(code=dep) if dep else None,
            region=Region.objects.get(code=reg) if reg else None,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
    stdout.write(f"Comptes de démonstration : {len(DEMO_ACCOUNTS)} prêts.")


def print_logins(*, stdout) -> None:
    stdout.write("")
    stdout.write(f"Identifiants de démonstration (mot de passe commun : {DEMO_PASSWORD})")
    for email, role, dep, reg, *_ in DEMO_ACCOUNTS:
        scope = f" — département {dep}" if dep else f" — région {reg}" if reg else ""
        stdout.write(f"  {Role(role).label:<28} {email}{scope}")


# seed_national fills the 101 départements in bulk (no history rows, accounts that cannot log in):
# data for presentations and benchmarks, written here because this app owns these tables.


def bulk_users(users: list) -> list:
    return User.objects.bulk_create(users, batch_size=500)


def delete_users(*, email_domain: str) -> int:
    users = User.objects.filter(email__endswith=f"@{email_domain}")
    count = users.count()
    users.delete()
    return count
