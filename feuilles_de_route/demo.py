"""Demo content of the Nièvre's départemental feuille de route (seed_demo runs it after the
gouvernances). Idempotent: the document is created once, and left alone afterwards so that a
presentation's edits survive a second run."""

import datetime

from django.utils import timezone

from core.cache import invalidate
from core.formats import french_date
from territoires.models import Departement

from .enums import Indicateur, StatutDocument, TypeFinanceur, TypePerimetre
from .models import Axe, Cofinancement, Document, FeuilleDeRoute, FicheAction, IndicateurCible, Signataire
from .signals import FEUILLES

TEXTES = {
    "specificites": (
        "La Nièvre compte un peu plus de 200 000 habitants répartis dans 309 communes, dont une majorité "
        "de moins de 500 habitants. Le Morvan, au sud-est, cumule faible densité, vieillissement et "
        "zones blanches de la téléphonie mobile.\n\nLe tiers de la population a plus de 60 ans ; les "
        "distances aux services publics dépassent souvent vingt minutes en voiture."
    ),
    "historique": (
        "Le Département a adopté un schéma départemental des usages numériques (SDUN) en 2019. Vingt-trois "
        "conseillers numériques France Services ont été recrutés depuis 2021 par les communautés de "
        "communes, le Département et des associations."
    ),
    "parties_prenantes": (
        "Préfecture, Conseil départemental, Nevers Agglomération, communautés de communes, CAF, CPAM, "
        "France Travail, La Poste, associations de médiation numérique, Hub Bourgogne-Franche-Comté."
    ),
    "besoins_publics": (
        "Près de 40 % des habitants présentent une fragilité numérique élevée, surtout dans le Morvan et le "
        "Haut-Nivernais. Publics prioritaires : personnes âgées isolées, allocataires des minima sociaux, "
        "jeunes sans emploi ni formation."
    ),
    "offre": (
        "Une centaine de lieux de médiation numérique, dont 26 espaces France services. L'offre est dense à "
        "Nevers et le long de la Loire, clairsemée dans le Morvan."
    ),
    "enjeux": (
        "Aller vers les publics éloignés ; densifier l'offre dans le Morvan et le Haut-Nivernais ; "
        "pérenniser les postes de conseillers numériques après 2025."
    ),
    "positionnement": (
        "Le territoire fait de l'« aller vers » sa priorité : chaque habitant doit trouver une aide "
        "numérique à moins de quinze minutes de chez lui."
    ),
    "lien_coordinateur": (
        "Le coordinateur des conseillers numériques, porté par le Département, participe au comité technique "
        "et présente chaque trimestre l'activité du réseau."
    ),
    "publics_cibles": "Personnes de plus de 65 ans ; allocataires du RSA ; jeunes de 16 à 25 ans ; personnes en situation de handicap.",
    "structures_prioritaires": "Secrétaires de mairie ; travailleurs sociaux du Département ; salariés des associations d'aide à domicile.",
    "coordinateurs_structures": "Conseil départemental de la Nièvre ; Nevers Agglomération.",
    "chef_de_projet_structure": "Conseil départemental de la Nièvre.",
    "etudes_ingenierie": "Étude de faisabilité d'une filière locale de reconditionnement.",
    "mutualisation": (
        "Mutualiser un bus numérique entre trois communautés de communes ; groupement d'employeurs pour "
        "pérenniser les postes de conseillers numériques."
    ),
    "vehicule_contractuel": "La feuille de route est annexée au SDUN et aux CRTE des intercommunalités volontaires.",
}


def _mois(jour: datetime.date, mois: int) -> str:
    """« octobre 2026 »: the month `mois` months after `jour`'s."""
    index = jour.month - 1 + mois
    return french_date(datetime.date(jour.year + index // 12, index % 12 + 1, 1)).split(" ", 1)[1]


def etapes(jour: datetime.date) -> str:
    """The grandes étapes of the demo's elaboration, around `jour`: the campaign under way."""
    return (
        f"{_mois(jour, -2).capitalize()} : lancement par le préfet et le président du Conseil départemental.\n"
        f"{_mois(jour, -1).capitalize()} – {_mois(jour, 2)} : trois ateliers de co-construction "
        "(Nevers, Clamecy, Château-Chinon).\n"
        f"{_mois(jour, 3).capitalize()} : comité de pilotage de validation des axes.\n"
        f"{_mois(jour, 5).capitalize()} : approbation par la gouvernance."
    )


AXES = [
    (
        "Aller vers les publics les plus éloignés du numérique",
        "Le diagnostic montre une fragilité forte dans les communes rurales sans lieu de médiation.",
        [
            (
                "Bus numérique du Morvan",
                "Tournée hebdomadaire dans 30 communes sans lieu de médiation.",
                "Conseil départemental",
            ),
            (
                "Permanences en mairie",
                "Permanences mensuelles des conseillers numériques dans les mairies rurales.",
                "Communautés de communes",
            ),
            (
                "Repérage par les aides à domicile",
                "Former les aides à domicile à repérer les besoins et orienter.",
                "CAF et associations",
            ),
        ],
    ),
    (
        "Former les aidants et les professionnels",
        "Les secrétaires de mairie et travailleurs sociaux sont sollicités sans y être formés.",
        [
            ("Parcours Aidants Connect", "Habiliter 80 aidants d'ici 2025.", "Préfecture"),
            (
                "Formation des secrétaires de mairie",
                "Deux jours de formation pour 150 agents.",
                "Centre de gestion",
            ),
        ],
    ),
    (
        "Équiper les ménages modestes",
        "Le coût de l'équipement reste un frein pour les ménages modestes.",
        [
            (
                "Filière de reconditionnement",
                "Collecter et reconditionner le matériel des administrations.",
                "Nevers Agglomération",
            ),
            (
                "Prêt de tablettes",
                "Prêt de tablettes avec accompagnement dans les médiathèques.",
                "Médiathèques",
            ),
        ],
    ),
]

CIBLES = {
    Indicateur.CONSEILLERS: (23, 26, 28),
    Indicateur.MEDIATEURS: (40, 55, 70),
    Indicateur.AIDANTS_FORMES: (60, 150, 250),
    Indicateur.CONUM_FS: (8, 12, 15),
    Indicateur.CONUM_PERMANENCES_FS: (10, 16, 20),
    Indicateur.AIDANTS_CONNECT: (45, 80, 120),
    Indicateur.AIDANTS_CONNECT_FS: (20, 35, 50),
    Indicateur.ACCOMPAGNEMENTS_CONUM: (12000, 18000, 24000),
    Indicateur.ACCOMPAGNEMENTS_MEDIATEURS: (8000, 12000, 16000),
    Indicateur.LIEUX: (98, 110, 125),
    Indicateur.RECONDITIONNES: (300, 800, 1500),
    Indicateur.MATERIELS: (150, 400, 600),
}

COFINANCEMENTS = {
    TypeFinanceur.COLLECTIVITES: (250000, "Conseil départemental et Nevers Agglomération"),
    TypeFinanceur.EUROPE: (120000, "FEDER, volet inclusion numérique"),
    TypeFinanceur.OPERATEURS: (40000, "CAF de la Nièvre, CPAM"),
}


def _fill(document) -> None:

    for name, value in TEXTES.items():
        setattr(document, name, value)
    document.etapes = etapes(timezone.localdate())
    document.coordinateurs_postes = 2
    document.chef_de_projet_besoin = True
    document.save()
    for ordre, (nom, description, fiches) in enumerate(AXES, start=1):
        axe = Axe.objects.create(document=document, ordre=ordre, nom=nom, description=description)
        for f_ordre, (f_nom, f_description, pilote) in enumerate(fiches, start=1):
            FicheAction.objects.create(
                axe=axe,
                ordre=f_ordre,
                nom=f_nom,
                objectifs=f_description,
                description=f_description,
                pilote=pilote,
                partenaires="Préfecture, CAF, associations de médiation numérique",
                cibles="Habitants éloignés du numérique",
                indicateurs="Nombre de personnes accompagnées ; communes desservies",
            )
    for code, (a, b, c) in CIBLES.items():
        IndicateurCible.objects.create(
            document=document, indicateur=code, cible_2023=a, cible_2025=b, cible_2027=c
        )
    for code, (montant, description) in COFINANCEMENTS.items():
        Cofinancement.objects.create(
            document=document, type_financeur=code, montant=montant, description=description
        )
    Signataire.objects.create(document=document, organisation="CAF de la Nièvre", qualite="La directrice")


def seed(*, stdout) -> None:

    departement = Departement.objects.filter(code="58").first()
    feuille = (
        FeuilleDeRoute.objects.filter(
            gouvernance__departement=departement, perimetre=TypePerimetre.DEPARTEMENTAL
        )
        .order_by("id")
        .first()
    )
    if feuille is None:
        stdout.write(
            "Feuille de route de démonstration : aucune feuille de route départementale dans la Nièvre."
        )
        return
    if feuille.documents.exists():
        stdout.write(f"Feuille de route de démonstration « {feuille.nom} » : déjà rédigée.")
        return
    _fill(Document.objects.create(feuille_de_route=feuille, numero=1))
    stdout.write(f"Feuille de route de démonstration « {feuille.nom} » : 3 axes, 7 fiches action, 12 cibles.")


LARGE_AXES = [
    "Aller vers les publics les plus éloignés du numérique",
    "Former les aidants et les professionnels",
    "Équiper les ménages modestes",
    "Outiller les acteurs du territoire",
    "Piloter et évaluer la feuille de route",
]


def large_axes(n_axes: int = 5, n_fiches: int = 5) -> list:
    """A large document for the benchmark: n_axes × n_fiches with full-length text."""
    long = " ".join([TEXTES["besoins_publics"]] * 3)
    return [
        (
            LARGE_AXES[(a - 1) % len(LARGE_AXES)],
            long,
            [
                (f"Action {a}.{f} du plan départemental", long, "Conseil départemental")
                for f in range(1, n_fiches + 1)
            ],
        )
        for a in range(1, n_axes + 1)
    ]


DEMO_DATE = datetime.date(2024, 5, 30)


# seed_national fills the 101 départements in bulk (no history rows, accounts that cannot log in):
# data for presentations and benchmarks, written here because this app owns these tables.


def bulk_feuilles(feuilles: list, *, epcis: list[list[str]], documents: list) -> tuple[list, list]:
    """`epcis`: the EPCI codes of each feuille de route; `documents`: (its statut, approuvée le) or None."""
    feuilles = FeuilleDeRoute.objects.bulk_create(feuilles, batch_size=500)
    through = FeuilleDeRoute.epcis.through
    through.objects.bulk_create(
        [
            through(feuillederoute_id=feuille.pk, epci_id=code)
            for feuille, codes in zip(feuilles, epcis, strict=True)
            for code in codes
        ],
        batch_size=500,
    )
    rows = [
        Document(
            feuille_de_route=feuille,
            numero=1,
            statut=statut,
            approuvee_le=approuvee_le,
            soumise_le=timezone.now() if statut != StatutDocument.REDACTION else None,
        )
        for feuille, doc in zip(feuilles, documents, strict=True)
        if doc is not None
        for statut, approuvee_le in [doc]
    ]
    documents = Document.objects.bulk_create(rows, batch_size=500)
    invalidate(FEUILLES)  # bulk_create sends no post_save
    return feuilles, documents


def delete_feuilles(*, gouvernances) -> None:
    # Feuilles de route hold a RESTRICT link to their porteur: they go before the gouvernances.
    FeuilleDeRoute.objects.filter(gouvernance__in=gouvernances).delete()
