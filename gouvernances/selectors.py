"""Reads about gouvernances: the campaign calendar and whether a form may still be edited, the
gouvernance of a département with everything its pages show (a fixed number of queries), the
collectivités and candidates a préfecture may add as members, and the audit history."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from candidatures.enums import Intention, Persona, TypeContact
from candidatures.selectors import MAIN_CONTACTS_PREFETCH, candidats_for_departement
from comptes import perms
from core.text import sort_key
from feuilles_de_route.models import FeuilleDeRoute
from territoires.enums import TypeCollectivite
from territoires.models import Departement, Epci
from territoires.search import collectivite_label

from .enums import Section, StatutGouvernance
from .models import Echeance, Gouvernance, Membre, SectionState, structure_label

# --- Campaign calendar ----------------------------------------------------------------------------


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def echeances() -> list[Echeance]:
    return list(Echeance.objects.order_by("date_limite", "id"))


CALENDRIER_CACHE_KEY = "gouvernances:calendrier"


def calendrier() -> list[dict]:
    """The home page's calendar: {date, texte} for each échéance, in date order.

    Cached (the home page stays query-free for visitors); saving an Echeance clears the cache."""
    cached = cache.get(CALENDRIER_CACHE_KEY)
    if cached is not None:
        return cached
    mois = [
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ]  # fmt: skip
    rows = [
        {
            "date": e.date_affichee
            or f"{e.date_limite.day} {mois[e.date_limite.month - 1]} {e.date_limite.year}",
            "texte": e.texte or e.libelle,
        }
        for e in echeances()
    ]
    cache.set(CALENDRIER_CACHE_KEY, rows, timeout=60 * 60)
    return rows


def echeance_en_cours(*, today: datetime.date | None = None) -> Echeance | None:
    """The next deadline of the campaign, whatever it asks for (None once the campaign is over)."""
    return Echeance.objects.filter(date_limite__gte=_today(today)).order_by("date_limite", "id").first()


def echeance_gouvernance(*, today: datetime.date | None = None) -> Echeance | None:
    """The next deadline that expects a gouvernance (pressentie or définitive), if any is left."""
    return (
        Echeance.objects.filter(date_limite__gte=_today(today))
        .exclude(statut="")
        .order_by("date_limite", "id")
        .first()
    )


def edition(
    gouvernance: Gouvernance | None, user, *, departement: Departement | None = None, today=None
) -> perms.WriteWindow:
    """May `user` write this gouvernance (and the besoins of the same campaign) today? The rule
    is the access module's campaign window; this reads the dates it needs."""
    departement = departement or gouvernance.departement
    today = _today(today)
    echeance = echeance_gouvernance(today=today)
    return perms.write_window(
        user,
        departement,
        deadline=echeance.date_limite if echeance else None,
        reopened_until=gouvernance.rouverte_jusquau if gouvernance else None,
        today=today,
    )


def is_editable(
    gouvernance: Gouvernance | None, user, *, departement: Departement | None = None, today=None
) -> bool:
    return edition(gouvernance, user, departement=departement, today=today).possible


# --- The gouvernance and its content --------------------------------------------------------------

MEMBRE_RELATED = ("region", "departement", "epci", "commune", "manifestation")


def gouvernance_for(*, user, departement: Departement) -> Gouvernance | None:
    """The département's gouvernance (None before its first save), for a viewer who may read it."""
    if not perms.can_read_departement(user, departement):
        return None
    gouvernance = Gouvernance.objects.filter(departement=departement).first()
    if gouvernance is not None:
        gouvernance.departement = departement
    return gouvernance


_TYPE_RANK = {type_: rank for rank, type_ in enumerate(TypeCollectivite)}


def membre_sort_key(membre: Membre) -> tuple:
    """Co-porteurs first, then from the widest collectivité to the structures, each kind by its
    name in French order (the names live in several tables: sorted here, not by the database)."""
    return (
        not membre.est_coporteur,
        _TYPE_RANK.get(membre.type_collectivite, len(_TYPE_RANK)),
        sort_key(membre.nom),
        membre.pk or 0,
    )


def membres_for(*, gouvernance: Gouvernance) -> list[Membre]:
    return sorted(
        Membre.objects.filter(gouvernance=gouvernance).select_related(*MEMBRE_RELATED), key=membre_sort_key
    )


@dataclass
class GouvernanceContenu:
    gouvernance: Gouvernance
    membres: list[Membre]
    comites: list
    feuilles: list
    coordinations: list
    sections: dict[str, SectionState]

    @property
    def coporteurs(self) -> list[Membre]:
        return [m for m in self.membres if m.est_coporteur]

    @property
    def autres_membres(self) -> list[Membre]:
        return [m for m in self.membres if not m.est_coporteur]


def gouvernance_contenu(*, gouvernance: Gouvernance) -> GouvernanceContenu:
    """Everything the pages show, in six queries whatever the number of rows."""
    membres = membres_for(gouvernance=gouvernance)
    by_id = {m.pk: m for m in membres}
    # Porteurs are members already loaded: no join needed.
    feuilles = list(FeuilleDeRoute.objects.filter(gouvernance=gouvernance).order_by("id"))
    epcis = {}
    for link in FeuilleDeRoute.epcis.through.objects.filter(
        feuillederoute__gouvernance=gouvernance
    ).select_related("epci"):
        epcis.setdefault(link.feuillederoute_id, []).append(link.epci)
    for feuille in feuilles:
        feuille.porteur_membre = by_id.get(feuille.porteur_id)
        feuille.epcis_list = sorted(epcis.get(feuille.pk, []), key=lambda e: sort_key(e.nom))
    return GouvernanceContenu(
        gouvernance=gouvernance,
        membres=membres,
        comites=list(gouvernance.comites.order_by("id")),
        feuilles=feuilles,
        coordinations=list(gouvernance.coordinations.order_by("id")),
        sections={state.section: state for state in gouvernance.sections.select_related("modifie_par")},
    )


def perimetres_of(contenu: GouvernanceContenu) -> list[tuple[str, list[str]]]:
    return [(f.perimetre, [e.code for e in f.epcis_list]) for f in contenu.feuilles]


# --- Who may become a member --------------------------------------------------------------------

CONTACT_FIELDS = ("prenom", "nom", "fonction", "email")


@dataclass(frozen=True)
class Candidat:
    """A collectivité or a structure that submitted a form and may become a member; its
    contacts pre-fill the member's référent and suppléant."""

    key: str
    label: str  # what the member field shows: « Nevers (Commune, 58194) »
    nom: str
    type_collectivite: str
    intentions: frozenset[str] = frozenset()
    referent: tuple[tuple[str, str], ...] = ()
    suppleant: tuple[tuple[str, str], ...] = ()

    @property
    def peut_porter(self) -> bool:
        """Any collectivité member may carry a feuille de route; a structure may not."""
        return bool(self.type_collectivite)

    @property
    def detail(self) -> str:
        if Intention.PORTER in self.intentions:
            return "souhaite porter une feuille de route"
        if Intention.PARTICIPER in self.intentions:
            return "souhaite participer"
        return ""

    @property
    def contacts(self) -> dict[str, str]:
        """The member form's contact fields this candidate's form fills (« referent_email »…)."""
        return {
            **{f"referent_{name}": value for name, value in self.referent},
            **{f"suppleant_{name}": value for name, value in self.suppleant},
        }

    def as_suggestion(self) -> dict:
        """What the member search offers first (territoire-search.js's local suggestions)."""
        return {"key": self.key, "label": self.label, "detail": self.detail, "remplit": self.contacts}


def _contact_pairs(contact) -> tuple[tuple[str, str], ...]:
    return tuple((name, getattr(contact, name)) for name in CONTACT_FIELDS) if contact else ()


def candidats_membres(*, user, departement: Departement) -> list[Candidat]:
    """The collectivités and structures that submitted a form seen in the département, each once
    (a collectivité may have sent several), in French alphabetical order, with the contacts of
    their form: the contact politique (or the structure's) as référent, the contact technique as
    suppléant. Two queries whatever their number; the other collectivités of the département are
    found through the territory search."""
    manifestations = candidats_for_departement(user=user, departement=departement).prefetch_related(
        *MAIN_CONTACTS_PREFETCH
    )
    by_key: dict[str, Candidat] = {}
    # Porteurs first: their contacts win when a collectivité sent both kinds of form.
    for manifestation in sorted(manifestations, key=lambda m: m.intention != Intention.PORTER):
        contacts = {c.type: c for c in manifestation.contacts_principaux}
        if manifestation.persona == Persona.STRUCTURE:
            key = f"candidature:{manifestation.pk}"
            label = structure_label(manifestation.structure_nom, manifestation.structure_siret)
            referent, suppleant = contacts.get(TypeContact.STRUCTURE), None
        elif manifestation.collectivite is not None:
            key = manifestation.collectivite_key
            label = collectivite_label(manifestation.collectivite)
            referent, suppleant = contacts.get(TypeContact.POLITIQUE), contacts.get(TypeContact.TECHNIQUE)
        else:
            continue
        known = by_key.get(key)
        if known is not None:
            by_key[key] = Candidat(
                known.key,
                known.label,
                known.nom,
                known.type_collectivite,
                known.intentions | {manifestation.intention},
                known.referent or _contact_pairs(referent),
                known.suppleant or _contact_pairs(suppleant),
            )
            continue
        by_key[key] = Candidat(
            key,
            label,
            manifestation.nom if manifestation.is_structure else manifestation.collectivite.nom,
            "" if manifestation.is_structure else manifestation.type_collectivite,
            frozenset({manifestation.intention}),
            _contact_pairs(referent),
            _contact_pairs(suppleant),
        )
    return sorted(by_key.values(), key=lambda c: sort_key(c.label))


def epcis_du_departement(departement: Departement) -> list[tuple[str, str]]:
    return list(
        Epci.objects.filter(departements=departement)
        .order_by("nom_recherche", "nom")
        .values_list("code", "nom")
    )


# --- Audit history --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evenement:
    date: datetime.datetime
    auteur: str
    section: str
    detail: str


def historique(*, user, gouvernance: Gouvernance, limit: int = 300) -> list[Evenement]:
    """Who saved which section when, and the status changes: préfecture and ANCT (and the
    read-only roles that may read the département). Two queries."""
    if not perms.can_read_departement(user, gouvernance.departement):
        return []
    events = []
    for row in (
        SectionState.history.filter(gouvernance_id=gouvernance.pk)
        .select_related("modifie_par", "history_user")
        .order_by("-history_date")[:limit]
    ):
        auteur = row.modifie_par or row.history_user
        events.append(
            Evenement(
                row.history_date,
                auteur.display_name if auteur else "—",
                Section(row.section).label,
                "Création" if row.version == 1 else f"Modification (version {row.version})",
            )
        )
    previous = None
    for row in (
        Gouvernance.history.filter(id=gouvernance.pk).select_related("history_user").order_by("history_date")
    ):
        if previous is not None and row.statut != previous and row.statut != StatutGouvernance.BROUILLON:
            events.append(
                Evenement(
                    row.history_date,
                    row.history_user.display_name if row.history_user else "—",
                    "Statut",
                    StatutGouvernance(row.statut).label,
                )
            )
        elif row.rouverte_jusquau and row.history_change_reason == "reouverture":
            events.append(
                Evenement(
                    row.history_date,
                    row.history_user.display_name if row.history_user else "—",
                    "Statut",
                    f"Formulaire rouvert jusqu'au {row.rouverte_jusquau:%d/%m/%Y}",
                )
            )
        previous = row.statut
    return sorted(events, key=lambda e: e.date, reverse=True)[:limit]


def gouvernance_publique(*, departement: Departement) -> Gouvernance | None:
    """The public view's gouvernance: anyone may read it once it has been sent (never a draft)."""
    gouvernance = (
        Gouvernance.objects.filter(departement=departement)
        .exclude(statut=StatutGouvernance.BROUILLON)
        .first()
    )
    if gouvernance is not None:
        gouvernance.departement = departement
    return gouvernance
