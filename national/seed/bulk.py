"""Seeding and resetting: the bulk inserts of the plans drawn for each département."""

from django.db import transaction
from django.utils import timezone

from besoins.models import Besoin, Besoins
from candidatures.models import Contact, ManifestationInteret
from comptes.enums import Role
from comptes.models import User
from feuilles_de_route.enums import StatutDocument
from feuilles_de_route.models import Document, FeuilleDeRoute
from gouvernances.enums import Section
from gouvernances.models import Comite, Coordination, Gouvernance, Membre, SectionState
from territoires.models import Commune, Epci

from ..selectors import departements_campagne
from .fakes import SEED_DOMAIN, UNUSABLE
from .plan import DepartementSeeder, Plan


def reset() -> dict[str, int]:
    """Delete what seed_national created (and only that)."""
    counts = {}
    gouvernances = Gouvernance.objects.filter(sous_prefet_email__endswith=f"@{SEED_DOMAIN}")
    counts["gouvernances"] = gouvernances.count()
    # Feuilles de route hold a RESTRICT link to their porteur: delete them first.
    FeuilleDeRoute.objects.filter(gouvernance__in=gouvernances).delete()
    gouvernances.delete()
    users = User.objects.filter(email__endswith=f"@{SEED_DOMAIN}")
    ManifestationInteret.objects.filter(user__in=users).delete()
    counts["comptes"] = users.count()
    users.delete()
    return counts


def _bulk(model, objs, batch_size=500):
    return model.objects.bulk_create(objs, batch_size=batch_size)


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
        Epci.departements.through.objects.filter(departement_id__in=codes)
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

    users = _bulk(User, plan.users)
    for m in plan.manifestations:
        m.user = users[m._user_index]
    manifestations = _bulk(ManifestationInteret, plan.manifestations)
    contacts = []
    for index, contact in plan.contacts:
        contact.manifestation = manifestations[index]
        contacts.append(contact)
    _bulk(Contact, contacts)

    gouvernances = _bulk(Gouvernance, plan.gouvernances)
    _bulk(
        SectionState,
        [
            SectionState(
                gouvernance=g,
                section=section,
                version=1,
                modifie_le=g.pressentie_remontee_le or timezone.now(),
            )
            for g in gouvernances
            for section in Section
        ],
    )
    membres = []
    for gi, membre, m_index in plan.membres:
        membre.gouvernance = gouvernances[gi]
        membre.manifestation = manifestations[m_index] if m_index is not None else None
        membres.append(membre)
    membres = _bulk(Membre, membres)
    for gi, comite in plan.comites:
        comite.gouvernance = gouvernances[gi]
    _bulk(Comite, [c for _, c in plan.comites])
    for gi, coordination in plan.coordinations:
        coordination.gouvernance = gouvernances[gi]
    _bulk(Coordination, [c for _, c in plan.coordinations])
    feuilles = []
    for gi, feuille, porteur, _, _ in plan.feuilles:
        feuille.gouvernance = gouvernances[gi]
        feuille.porteur = membres[porteur] if porteur is not None else None
        feuilles.append(feuille)
    feuilles = _bulk(FeuilleDeRoute, feuilles)
    through = FeuilleDeRoute.epcis.through
    _bulk(
        through,
        [
            through(feuillederoute_id=feuille.pk, epci_id=code)
            for feuille, (_, _, _, group, _) in zip(feuilles, plan.feuilles, strict=True)
            for code in group
        ],
    )
    documents = [
        Document(
            feuille_de_route=feuille,
            numero=1,
            statut=doc[0],
            approuvee_le=doc[1],
            soumise_le=timezone.now() if doc[0] != StatutDocument.REDACTION else None,
        )
        for feuille, (_, _, _, _, doc) in zip(feuilles, plan.feuilles, strict=True)
        if doc is not None
    ]
    _bulk(Document, documents)
    sets = []
    for gi, besoins, _ in plan.besoins:
        besoins.gouvernance = gouvernances[gi]
        sets.append(besoins)
    sets = _bulk(Besoins, sets)
    lignes = []
    for besoins, (_, _, items) in zip(sets, plan.besoins, strict=True):
        for ligne in items:
            ligne.besoins = besoins
            lignes.append(ligne)
    _bulk(Besoin, lignes)
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
    }
