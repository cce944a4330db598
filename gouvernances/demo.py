"""Demo gouvernance of the Nièvre: real collectivités and EPCI of the referential, the Nièvre's
candidates when the candidatures demo ran first, a départementale feuille de route plus
infra-départementales on real EPCI, named people with the functions such bodies have.
Idempotent: an existing gouvernance is left as it is.

The campaign runs now: when every deadline of the calendar is past (the 2023 dates the
migration seeds), the calendar is moved, intervals kept, so that the gouvernance pressentie is
due in ten days — the home page then shows a campaign under way, and the préfecture's form is
open without any reopening."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from comptes.models import User
from core.cache import invalidate
from core.formats import french_date
from feuilles_de_route import services as feuilles_services
from territoires.models import Departement, Epci

from . import selectors, services
from .enums import Section
from .models import Comite, Coordination, Echeance, Gouvernance, Membre, SectionState
from .signals import GOUVERNANCES

NEVERS = "245804406"
HAUT_NIVERNAIS = "200067429"
COEUR_DE_LOIRE = "200067916"
BAZOIS = "200067882"
MORVAN = "200067890"

NOTE = (
    "<h3>Contexte territorial</h3><p>La Nièvre est un département rural (un peu plus de 200 000 habitants) "
    "où la moitié des communes comptent moins de 300 habitants. Les <strong>France services</strong> et les "
    "conseillers numériques maillent le territoire mais les zones du Morvan restent peu couvertes.</p>"
    "<ul><li>Concertation du 14 novembre avec les EPCI et le conseil départemental</li>"
    "<li>Appui du SDUN et des CRTE existants</li></ul>"
)


# Days from today to the first deadline that expects a gouvernance, once the calendar is moved.
PRESSENTIE_DANS = 10

# (prénom, nom) of the référent and the suppléant of each member, in order: plausible French
# names, none of them a real person's.
PERSONNES = [
    (("Hélène", "Morin"), ("Julien", "Roux")),
    (("Bertrand", "Chevalier"), ("Aurélie", "Fontaine")),
    (("Marc", "Girard"), ("Sophie", "Lambert")),
    (("Odile", "Perrot"), ("Thierry", "Bonnet")),
    (("Jean-Luc", "Mercier"), ("Nathalie", "Faure")),
    (("Gérard", "Blanchard"), ("Céline", "Renaud")),
    (("Martine", "Guérin"), ("Pascal", "Brun")),
    (("Alain", "Picard"), ("Émilie", "Carré")),
    (("Christine", "Moulin"), ("Olivier", "Barbier")),
    (("Daniel", "Lemoine"), ("Isabelle", "Colin")),
    (("Françoise", "Masson"), ("Nicolas", "Arnaud")),
    (("Patrick", "Giraud"), ("Valérie", "Rolland")),
    (("Sylvie", "Roy"), ("Frédéric", "Dumas")),
    (("Michel", "Aubert"), ("Laetitia", "Noël")),
    (("Annie", "Prévost"), ("Stéphane", "Marchand")),
]
FONCTIONS = {
    "departement": ("Vice-présidente chargée du numérique", "Cheffe de projet inclusion numérique"),
    "region": ("Conseiller régional délégué au numérique", "Chargée de mission aménagement numérique"),
    "epci": ("Vice-président chargé des services à la population", "Coordinatrice France services"),
    "commune": ("Maire", "Secrétaire de mairie"),
}
STRUCTURE = ("Directrice", "Responsable de la médiation numérique")


def calendrier_en_cours(*, today: datetime.date | None = None) -> bool:
    """Move a finished calendar so that the campaign runs now (see the module's docstring).
    A calendar with a deadline still ahead is left as an administrator set it."""
    today = today or timezone.localdate()
    echeances = list(Echeance.objects.order_by("date_limite", "id"))
    if not echeances or any(e.date_limite >= today for e in echeances):
        return False
    pivot = next((e for e in echeances if e.statut), echeances[0])
    shift = today + datetime.timedelta(days=PRESSENTIE_DANS) - pivot.date_limite
    for echeance in echeances:
        echeance.date_limite += shift
        if echeance.date_affichee:  # « Juin 2024 »: a month, shown as such
            echeance.date_affichee = french_date(echeance.date_limite).split(" ", 1)[1].capitalize()
        echeance.save()
    return True


def _contact(prenom, nom, fonction, domaine):
    email = f"{slugify(prenom)}.{slugify(nom)}@{domaine}"
    return services.ContactInput(prenom, nom, fonction, email)


def _membre(key, i, domaine, *, coporteur=False):
    (rp, rn), (sp, sn) = PERSONNES[i % len(PERSONNES)]
    kind = key.split(":", 1)[0]
    referent, suppleant = FONCTIONS.get(kind, STRUCTURE)
    return services.MembreInput(
        key=key,
        referent=_contact(rp, rn, referent, domaine),
        suppleant=_contact(sp, sn, suppleant, domaine),
        est_coporteur=coporteur,
    )


def seed(*, stdout) -> None:
    if calendrier_en_cours():
        prochaine = selectors.echeance_en_cours()
        stdout.write(
            f"Calendrier de la campagne : prochaine échéance le {french_date(prochaine.date_limite)}."
        )
    nievre = Departement.objects.get(code="58")
    if Gouvernance.objects.filter(departement=nievre).exists():
        stdout.write("Gouvernance de la Nièvre : déjà présente.")
        return
    admin = User.objects.get(email="admin@anct.demo.example")
    prefecture = User.objects.get(email="prefecture-58@nievre.demo.example")
    epcis = set(Epci.objects.filter(departements=nievre).values_list("code", flat=True))

    membres = [
        _membre("departement:58", 0, "nievre-departement.example", coporteur=True),
        _membre(f"region:{nievre.region_id}", 1, "bourgognefranchecomte-region.example"),
    ]
    noms = dict(Epci.objects.filter(code__in=epcis).values_list("code", "nom"))
    for code in [NEVERS, HAUT_NIVERNAIS, COEUR_DE_LOIRE, BAZOIS, MORVAN]:
        if code in epcis:
            domaine = f"{slugify(noms[code])}.example"
            membres.append(_membre(f"epci:{code}", len(membres), domaine, coporteur=code == NEVERS))
    known = {m.key for m in membres}
    candidats = selectors.candidats_membres(user=admin, departement=nievre)
    collectivites = [c for c in candidats if c.type_collectivite]
    structures = [c for c in candidats if not c.type_collectivite]
    for group in (collectivites, structures):  # up to six of each
        for candidat in group[:6]:
            if candidat.key not in known:
                known.add(candidat.key)
                domaine = f"{slugify(candidat.label.split(' (')[0])[:40]}.example"
                membres.append(_membre(candidat.key, len(membres), domaine))

    feuilles = [
        feuilles_services.FeuilleInput(
            "Feuille de route départementale d'inclusion numérique de la Nièvre",
            "departement:58",
            "departemental",
            contrat_preexistant="sdun",
        ),
        feuilles_services.FeuilleInput(
            "Nevers Agglomération numérique inclusive",
            f"epci:{NEVERS}",
            "epci",
            [NEVERS],
            contrat_preexistant="crte",
        ),
        feuilles_services.FeuilleInput(
            "Inclusion numérique du Nord Nivernais",
            f"epci:{HAUT_NIVERNAIS}",
            "epci",
            [HAUT_NIVERNAIS, COEUR_DE_LOIRE],
            contrat_preexistant="aucun",
        ),
        feuilles_services.FeuilleInput(
            "Morvan connecté",
            feuilles_services.PORTEE_PAR_PREFECTURE,
            "epci",
            [BAZOIS, MORVAN],
            contrat_preexistant="aucun",
        ),
    ]
    data = services.GouvernanceInput(
        sous_prefet=services.SousPrefetInput(
            "Anne-Sophie", "Delorme", "anne-sophie.delorme@nievre.gouv.example"
        ),
        membres=membres,
        pas_de_coporteur=False,
        comites=[
            services.ComiteInput(
                "strategique",
                "semestrielle",
                "Préfet, présidente du conseil départemental, présidents des EPCI co-porteurs",
                "Valider les feuilles de route et arbitrer les financements",
            ),
            services.ComiteInput(
                "technique",
                "trimestrielle",
                "Services de l'État, du département et des EPCI, coordinateurs conseillers numériques",
                "Suivre la mise en œuvre des fiches action",
            ),
        ],
        feuilles=feuilles,
        coordinations=[
            services.CoordinationInput("Nevers Agglomération", "24580440600008", 1),
            services.CoordinationInput("La Poste — Direction régionale Bourgogne", "35600000000048", 1),
        ],
        note_contexte=NOTE,
    )
    gouvernance = services.gouvernance_create(departement=nievre, user=admin, data=data)
    if not selectors.is_editable(gouvernance, prefecture):
        # An administrator closed the calendar: reopen the form so that presentations can edit it.
        services.gouvernance_reopen(
            gouvernance=gouvernance, user=admin, jusquau=timezone.localdate() + datetime.timedelta(days=365)
        )
        gouvernance.refresh_from_db()
    services.gouvernance_submit(gouvernance=gouvernance, user=prefecture, statut="pressentie")
    stdout.write(
        f"Gouvernance de la Nièvre : {len(membres)} membres, {len(feuilles)} feuilles de route, remontée (pressentie)."
    )


# seed_national fills the 101 départements in bulk (no history rows, accounts that cannot log in):
# data for presentations and benchmarks, written here because this app owns these tables.


def bulk_gouvernances(
    gouvernances: list, *, membres: list, comites: list, coordinations: list
) -> tuple[list, list]:
    """`membres`: (index of its gouvernance, Membre, its ManifestationInteret or None); `comites`
    and `coordinations`: (index of its gouvernance, row). Every section stands saved once."""
    gouvernances = Gouvernance.objects.bulk_create(gouvernances, batch_size=500)
    SectionState.objects.bulk_create(
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
        batch_size=500,
    )
    rows = []
    for index, membre, manifestation in membres:
        membre.gouvernance = gouvernances[index]
        membre.manifestation = manifestation
        rows.append(membre)
    membres = Membre.objects.bulk_create(rows, batch_size=500)
    for model, pairs in ((Comite, comites), (Coordination, coordinations)):
        for index, row in pairs:
            row.gouvernance = gouvernances[index]
        model.objects.bulk_create([row for _, row in pairs], batch_size=500)
    invalidate(GOUVERNANCES)  # bulk_create sends no post_save
    return gouvernances, membres


def seeded_gouvernances(*, email_domain: str):
    return Gouvernance.objects.filter(sous_prefet_email__endswith=f"@{email_domain}")


def delete_gouvernances(gouvernances) -> None:
    gouvernances.delete()
