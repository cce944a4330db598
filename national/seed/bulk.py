"""Seeding and resetting: the plans drawn for each département, inserted in bulk by the app that
owns each table (their `demo` modules)."""

from django.db import transaction

from besoins import demo as besoins_demo
from candidatures import demo as candidatures_demo
from comptes import demo as comptes_demo
from comptes.enums import Role
from comptes.models import User
from feuilles_de_route import demo as feuilles_demo
from gouvernances import demo as gouvernances_demo
from gouvernances.models import Gouvernance
from subventions import demo as subventions_demo
from territoires.enums import TERRITOIRES_GRAND_PARIS
from territoires.models import Commune, Epci

from ..selectors import departements_campagne
from .fakes import SEED_DOMAIN, UNUSABLE
from .plan import DepartementSeeder, Plan


def reset() -> dict[str, int]:
    """Delete what seed_national created (and only that), each app deleting its own rows."""
    gouvernances = gouvernances_demo.seeded_gouvernances(email_domain=SEED_DOMAIN)
    counts = {"gouvernances": gouvernances.count()}
    feuilles_demo.delete_feuilles(gouvernances=gouvernances)
    gouvernances_demo.delete_gouvernances(gouvernances)
    users = User.objects.filter(email__endswith=f"@{SEED_DOMAIN}")
    candidatures_demo.delete_manifestations(users=users)
    counts["comptes"] = comptes_demo.delete_users(email_domain=SEED_DOMAIN)
    return counts


@transaction.atomic
def seed_national(*, nombre: int, seed: int = 42) -> dict[str, int]:
    departements = list(departements_campagne().order_by("code")[:nombre])
    deja = {
        email.split("-")[1]
        for email in User.objects.filter(
            email__startswith="seed-", email__endswith=f"@{SEED_DOMAIN}"
        ).values_list("email", flat=True)
    }
    a_faire = [d for d in departements if d.code not in deja]
    a_faire = (
        [d for d in a_faire if not Gouvernance.objects.filter(departement=d).exists()] if a_faire else []
    )
    codes = [d.code for d in a_faire]
    epcis_by_dep: dict[str, list[Epci]] = {}
    for link in (
        # EPCI à fiscalité propre only: each commune has exactly one, so périmètres drawn from
        # disjoint groups never share a commune (an EPT's communes are also the Métropole's).
        Epci.departements.through.objects.filter(departement_id__in=codes)
        .exclude(epci__type__in=TERRITOIRES_GRAND_PARIS)
        .select_related("epci")
        .order_by("epci_id")
    ):
        epcis_by_dep.setdefault(link.departement_id, []).append(link.epci)
    communes_by_dep: dict[str, list[tuple]] = {}
    for row in (
        Commune.objects.filter(departement_id__in=codes)
        .order_by("code")
        .values_list("departement_id", "code", "nom", "population")
    ):
        communes_by_dep.setdefault(row[0], []).append(row[1:])

    plan = Plan()
    regions_vues = set()
    for departement in a_faire:
        seeder = DepartementSeeder(
            departement=departement,
            epcis=epcis_by_dep.get(departement.code, []),
            communes=communes_by_dep.get(departement.code, []),
            seed=seed,
            plan=plan,
        )
        made = seeder.candidates(with_region=departement.region_id not in regions_vues)
        regions_vues.add(departement.region_id)
        seeder.gouvernance(made)
        plan.users.append(
            User(
                email=f"seed-{departement.code}-prefecture@{SEED_DOMAIN}",
                role=Role.PREFECTURE,
                departement_id=departement.code,
                password=UNUSABLE,
            )
        )

    users = comptes_demo.bulk_users(plan.users)
    for m in plan.manifestations:
        m.user = users[m._user_index]
    manifestations, contacts = candidatures_demo.bulk_manifestations(plan.manifestations, plan.contacts)
    gouvernances, membres = gouvernances_demo.bulk_gouvernances(
        plan.gouvernances,
        membres=[
            (gi, membre, manifestations[m_index] if m_index is not None else None)
            for gi, membre, m_index in plan.membres
        ],
        comites=plan.comites,
        coordinations=plan.coordinations,
    )
    feuilles = []
    for gi, feuille, porteur, _, _ in plan.feuilles:
        feuille.gouvernance = gouvernances[gi]
        feuille.porteur = membres[porteur] if porteur is not None else None
        feuilles.append(feuille)
    feuilles, documents = feuilles_demo.bulk_feuilles(
        feuilles,
        epcis=[group for _, _, _, group, _ in plan.feuilles],
        documents=[doc for _, _, _, _, doc in plan.feuilles],
    )
    lignes = besoins_demo.bulk_besoins(
        [(gi, besoins) for gi, besoins, _ in plan.besoins],
        gouvernances=gouvernances,
        lignes=[items for _, _, items in plan.besoins],
    )
    dotations = subventions_demo.bulk_dotations()
    return {
        "départements": len(a_faire),
        "déjà présents": len(departements) - len(a_faire),
        "comptes": len(users),
        "candidats": len(manifestations),
        "contacts": len(contacts),
        "gouvernances": len(gouvernances),
        "membres": len(membres),
        "feuilles de route": len(feuilles),
        "documents": len(documents),
        "besoins": len(lignes),
        "dotations": dotations,
    }
