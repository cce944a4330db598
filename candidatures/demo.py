"""Demo candidates for the Nièvre: real collectivités of the referential, invented people with
example e-mail domains. Idempotent: accounts are found by e-mail and a user who already has an
active form is left as it is."""

from django.db.models import Count
from django.utils.text import slugify

from comptes.enums import Role
from comptes.services import account_create_or_update
from core.cache import invalidate
from core.formats import compte
from territoires.models import Commune, Departement, Epci

from . import selectors, services
from .enums import Intention, Persona, TypeStructure
from .models import Contact, ManifestationInteret
from .services import ContactData, StructureData
from .signals import CANDIDATURES


def _contact(prenom, nom, fonction, domaine):
    return ContactData(
        nom=nom, prenom=prenom, fonction=fonction, email=f"{slugify(prenom)}.{slugify(nom)}@{domaine}"
    )


def seed(*, stdout) -> None:
    nievre = Departement.objects.get(code="58")
    nevers = Commune.objects.get(code="58194")
    epci = (
        Epci.objects.filter(departements=nievre).annotate(n=Count("communes")).order_by("-population").first()
    )
    communes = list(
        Commune.objects.filter(departement=nievre).exclude(code="58194").order_by("-population")[:4]
    )
    created = 0

    def account(email):
        user, _ = account_create_or_update(email=email, role=Role.STRUCTURE)
        return user

    # 1. The Conseil départemental carries a feuille de route (porter, every step).
    user = account("numerique@nievre-departement.example")
    if selectors.active_manifestation_for(user=user) is None:
        m = services.manifestation_create(
            user=user, persona=Persona.CONSEIL_DEPARTEMENTAL, intention=Intention.PORTER
        )
        m = services.porter_informations_save(
            manifestation=m,
            user=user,
            version=m.version,
            collectivite=nievre,
            contact_politique=_contact(
                "Hélène", "Morin", "Vice-présidente chargée du numérique", "nievre-departement.example"
            ),
            contact_technique=_contact(
                "Julien", "Roux", "Chef de projet inclusion numérique", "nievre-departement.example"
            ),
            dispositifs_existants="SDUN de la Nièvre ; CRTE du Nivernais",
        )
        m = services.porter_perimetre_save(
            manifestation=m, user=user, version=m.version, collectivites=[epci, nevers, *communes[:2]]
        )
        rows = list(m.perimetre.all())
        m = services.porter_contacts_save(
            manifestation=m,
            user=user,
            version=m.version,
            contacts={rows[0].pk: _contact("Marc", "Girard", "Président", "agglo-nevers.example")},
            plus_tard=True,
        )
        m = services.porter_structures_save(
            manifestation=m,
            user=user,
            version=m.version,
            structures=[
                StructureData(
                    nom="Centre social de la Baratte",
                    contact=_contact("Nadia", "Benali", "Directrice", "centre-social-baratte.example"),
                )
            ],
        )
        services.manifestation_confirm(manifestation=m, user=user)
        created += 1

    # 2. Communes that want to take part.
    for commune, (prenom, nom, fonction) in zip(
        [nevers, *communes[2:4]],
        [
            ("Claire", "Martin", "Adjointe au numérique"),
            ("Paul", "Lefèvre", "Maire"),
            ("Inès", "Dubois", "Maire"),
        ],
        strict=False,
    ):
        user = account(f"mairie-{commune.code}@nievre-communes.example")
        if selectors.active_manifestation_for(user=user) is not None:
            continue
        m = services.manifestation_create(user=user, persona=Persona.COMMUNE, intention=Intention.PARTICIPER)
        m = services.participer_save(
            manifestation=m,
            user=user,
            version=m.version,
            departement=nievre,
            collectivite=commune,
            contact_politique=_contact(prenom, nom, fonction, "nievre-communes.example"),
        )
        services.manifestation_confirm(manifestation=m, user=user)
        created += 1

    # 3. Structures (one without SIRET, one La Poste establishment).
    structures = [
        (
            "Association Numérique en Morvan",
            "",
            "Lou",
            "Bernard",
            "Présidente",
            "numerique-morvan.example",
            TypeStructure.ASSOCIATION,
        ),
        (
            "La Poste — bureau de Nevers",
            "35600000049837",
            "Yanis",
            "Perrin",
            "Responsable de secteur",
            "laposte.example",
            TypeStructure.OPERATEUR_SERVICE_PUBLIC,
        ),
        (
            "Médiathèque Jean-Jaurès",
            "",
            "Sophie",
            "Garnier",
            "Responsable multimédia",
            "mediatheque-nevers.example",
            TypeStructure.AUTRE,
        ),
    ]
    for nom_structure, siret, prenom, nom, fonction, domaine, type_structure in structures:
        user = account(f"contact@{domaine}")
        if selectors.active_manifestation_for(user=user) is not None:
            continue
        m = services.manifestation_create(
            user=user, persona=Persona.STRUCTURE, intention=Intention.PARTICIPER
        )
        m = services.participer_save(
            manifestation=m,
            user=user,
            version=m.version,
            departement=nievre,
            structure_nom=nom_structure,
            structure_siret=siret,
            structure_sans_siret=not siret,
            structure_type=type_structure,
            contact_structure=_contact(prenom, nom, fonction, domaine),
        )
        services.manifestation_confirm(manifestation=m, user=user)
        created += 1
    stdout.write(f"Candidatures de démonstration (Nièvre) : {compte(created, 'créée')}.")


# seed_national fills the 101 départements in bulk (no history rows, accounts that cannot log in):
# data for presentations and benchmarks, written here because this app owns these tables.


def bulk_manifestations(manifestations: list, contacts: list) -> tuple[list, list]:
    """`contacts`: (index of its manifestation in `manifestations`, Contact)."""
    manifestations = ManifestationInteret.objects.bulk_create(manifestations, batch_size=500)
    rows = []
    for index, contact in contacts:
        contact.manifestation = manifestations[index]
        rows.append(contact)
    contacts = Contact.objects.bulk_create(rows, batch_size=500)
    invalidate(CANDIDATURES)  # bulk_create sends no post_save
    return manifestations, contacts


def delete_manifestations(*, users) -> None:
    ManifestationInteret.objects.filter(user__in=users).delete()
