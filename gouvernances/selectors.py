"""Reads about gouvernances: the campaign calendar and whether a form may still be edited, the
gouvernance of a département with everything its pages show (a fixed number of queries), the
collectivités and candidates a préfecture may add as members, and the audit history."""

import bisect
import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from candidatures.enums import Intention, Persona, Statut, TypeContact
from candidatures.models import COLLECTIVITE_FIELDS, ManifestationInteret
from candidatures.selectors import MAIN_CONTACTS_PREFETCH, candidats_for_departement
from candidatures.signals import CANDIDATURES
from comptes import perms
from core import history
from core.cache import cached
from core.formats import french_date
from core.text import sort_key
from entreprises.selectors import attach_etablissements
from entreprises.signals import ENTREPRISES
from feuilles_de_route.models import FeuilleDeRoute
from feuilles_de_route.signals import FEUILLES
from territoires.enums import TypeCollectivite, TypeEpci
from territoires.models import Departement, Epci
from territoires.search import collectivite_label
from territoires.selectors import departements_voisins
from territoires.signals import REFERENTIEL

from .enums import Section, StatutGouvernance, TypeComite
from .models import Comite, Coordination, Echeance, Gouvernance, Membre, SectionState, structure_label
from .signals import GOUVERNANCES

# What the gouvernance's pages show: its rows, its feuilles de route, the candidates its members
# come from, the State's register on their SIRET and the territories they name.
DEPENDS_ON = (GOUVERNANCES, FEUILLES, CANDIDATURES, ENTREPRISES, REFERENTIEL)

# --- Campaign calendar ----------------------------------------------------------------------------


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _echeances() -> list[Echeance]:
    return list(Echeance.objects.order_by("date_limite", "id"))


def echeances() -> list[Echeance]:
    """The campaign calendar in date order, cached until the gouvernances' data change (an
    échéance saved or deleted in the admin included): every page showing whether a form may be
    written reads it, and so do the home page's visitors."""
    return cached("gouvernances:echeances", _echeances, depends_on=(GOUVERNANCES,))


def calendrier(*, today: datetime.date | None = None) -> list[dict]:
    """The home page's calendar: {date, texte, etat} for each échéance, in date order; `etat` is
    « passee », « prochaine » (the first deadline still ahead: the step the campaign is at) or
    « a_venir ». Query-free once the calendar is cached; the states are worked out from today's
    date on every call."""
    rows = echeances()
    today = _today(today)
    prochaine = next((e.date_limite for e in rows if e.date_limite >= today), None)
    return [
        {
            "date": e.date_affichee or french_date(e.date_limite),
            "texte": e.texte or e.libelle,
            "date_limite": e.date_limite,
            "etat": "passee"
            if e.date_limite < today
            else "prochaine"
            if e.date_limite == prochaine
            else "a_venir",
        }
        for e in rows
    ]


def echeance_en_cours(*, today: datetime.date | None = None) -> Echeance | None:
    """The next deadline of the campaign, whatever it asks for (None once the campaign is over)."""
    today = _today(today)
    return next((e for e in echeances() if e.date_limite >= today), None)


def echeance_gouvernance(*, today: datetime.date | None = None) -> Echeance | None:
    """The next deadline that expects a gouvernance (pressentie or définitive), if any is left."""
    today = _today(today)
    return next((e for e in echeances() if e.date_limite >= today and e.statut), None)


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


def edition_key(user, departement: Departement, *, today: datetime.date | None = None) -> tuple:
    """What `edition` depends on besides the gouvernance's data (in the gouvernances' generation):
    the viewer's rights that the write window reads, the campaign's deadline and today's date. A
    cached page showing the window encodes this in its key. Query-free."""
    today = _today(today)
    echeance = echeance_gouvernance(today=today)
    return (
        perms.write_window_rights(user, departement),
        echeance.date_limite if echeance else None,
        today,
    )


def is_editable(
    gouvernance: Gouvernance | None, user, *, departement: Departement | None = None, today=None
) -> bool:
    return edition(gouvernance, user, departement=departement, today=today).possible


# --- The gouvernance and its content --------------------------------------------------------------

MEMBRE_RELATED = ("region", "departement", "epci", "commune", "manifestation")


def gouvernance_for(
    *, user, departement: Departement, select_related: tuple[str, ...] = ()
) -> Gouvernance | None:
    """The département's gouvernance (None before its first save), for a viewer who may read it;
    `select_related` loads what the caller reads next (e.g. the besoins) in the same query."""
    if not perms.can_read_departement(user, departement):
        return None
    gouvernance = Gouvernance.objects.filter(departement=departement).select_related(*select_related).first()
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
    """Everything the pages show, in seven queries whatever the number of rows (the last: what
    the State's register says about the SIRET of its structures)."""
    membres = list(membres_for(gouvernance=gouvernance))
    coordinations = list(gouvernance.coordinations.order_by("id"))
    attach_etablissements([*(m for m in membres if m.structure_siret), *coordinations])
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
        coordinations=coordinations,
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


def voisins_membres(departement: Departement) -> list[Candidat]:
    """The départements that an EPCI of the département touches, and their régions: they may
    join its gouvernance though the territory search, scoped to the département, does not offer
    them (one query)."""
    voisins = departements_voisins(departement)
    regions = {d.region_id: d.region for d in voisins if d.region_id != departement.region_id}
    return [
        *(
            Candidat(
                f"{TypeCollectivite.DEPARTEMENT}:{d.code}",
                f"Conseil départemental {d.de_nom} (département voisin)",
                d.nom,
                TypeCollectivite.DEPARTEMENT,
            )
            for d in sorted(voisins, key=lambda d: sort_key(d.nom))
        ),
        *(
            Candidat(
                f"{TypeCollectivite.REGION}:{r.code}",
                f"Conseil régional {r.de_nom} (région voisine)",
                r.nom,
                TypeCollectivite.REGION,
            )
            for r in sorted(regions.values(), key=lambda r: sort_key(r.nom))
        ),
    ]


def _epci_label(nom: str, type_: str) -> str:
    if type_ == TypeEpci.EPT:
        return f"{nom} (établissement public territorial)"
    if type_ == TypeEpci.PARIS:
        return f"{nom} (territoire de la Ville de Paris)"
    return nom


def epcis_du_departement(departement: Departement) -> list[tuple[str, str]]:
    """The groupements a périmètre infra-départemental is made of: the EPCI touching the
    département and, in the Grand Paris, its territoires (EPT, Paris)."""
    return [
        (code, _epci_label(nom, type_))
        for code, nom, type_ in Epci.objects.filter(departements=departement)
        .order_by("nom_recherche", "nom")
        .values_list("code", "nom", "type")
    ]


# --- Audit history --------------------------------------------------------------------------------
# Every save of a section ends by counting it in the section's state (SectionState, with its own
# history); the rows it wrote (the gouvernance, members, comités, feuilles de route, coordination)
# come just before, in the same transaction, and saves of one gouvernance are serialised by the
# lock on its row. So each object's historical row belongs to the first section save dated after
# it, and the history page shows each save with what it changed, field by field.


# What the history leaves out: identity and links (the member's collectivité is its name), and
# the status dates, which the status events say.
_GOUVERNANCE_EXCLUDE = (
    "departement",
    "statut",
    "pressentie_remontee_le",
    "definitive_remontee_le",
    "rouverte_jusquau",
)
_MEMBRE_EXCLUDE = ("gouvernance", "type_collectivite", "manifestation", *COLLECTIVITE_FIELDS.values())
_STATUS_REASONS = {*StatutGouvernance.labels, "reouverture"}


def _nom_membre(row) -> str:
    """The member's name from its historical row (its collectivité loaded with it)."""
    if not row.type_collectivite:
        return row.structure_nom
    collectivite = getattr(row, COLLECTIVITE_FIELDS[row.type_collectivite])
    if collectivite is None:
        return "Collectivité retirée du référentiel"
    if row.type_collectivite == TypeCollectivite.REGION:
        return f"Conseil régional {collectivite.de_nom}"
    if row.type_collectivite == TypeCollectivite.DEPARTEMENT:
        return f"Conseil départemental {collectivite.de_nom}"
    return collectivite.nom


def _comite_libelle(row) -> str:
    return row.type_precision or dict(TypeComite.choices).get(row.type, row.type)


def _recreated(versions: list, *, key, model, exclude, save_of) -> list:
    """Comités and coordinations are written again whole on each save: a row removed and one
    added with the same key in the same save (`save_of(date)`) are one modification (or
    nothing, when equal)."""
    removed: dict = {}
    for v in versions:
        if v.nature == history.SUPPRESSION:
            removed.setdefault((save_of(v.row.history_date), key(v.row)), []).append(v)
    result = []
    for v in versions:
        if v.nature == history.SUPPRESSION:
            continue
        old = None
        if v.nature == history.CREATION:
            old = removed.get((save_of(v.row.history_date), key(v.row)))
        if old:
            found = history.changes(old.pop(0).row, v.row, model=model, exclude=exclude)
            if found:
                result.append(history.Version(v.row, history.MODIFICATION, found))
            continue
        result.append(v)
    return result + [v for left in removed.values() for v in left]


def historique(*, user, gouvernance: Gouvernance, limit: int = 300) -> list[history.Evenement]:
    """Each save of a section (who, when, which section) with what it changed, field by field,
    and the status changes: préfecture and ANCT (and the read-only roles that may read the
    département). Seven queries, whatever the number of saves."""
    if not perms.can_read_departement(user, gouvernance.departement):
        return []
    anchors = list(
        SectionState.history.filter(gouvernance_id=gouvernance.pk)
        .select_related("modifie_par", "history_user")
        .order_by("history_date", "history_id")
    )
    saves = [
        history.Evenement(
            row.history_date,
            history.auteur(row.modifie_par or row.history_user),
            Section(row.section).label,
            "Création" if row.version == 1 else f"Modification (version {row.version})",
            [],
        )
        for row in anchors
    ]
    dates = [e.date for e in saves]
    statuts: list[history.Evenement] = []
    orphans: list[history.Evenement] = []

    def attach(date, row, lignes: list[history.LigneHistorique]) -> None:
        if not lignes:
            return
        index = bisect.bisect_left(dates, date)
        if index < len(saves):
            saves[index].changements.extend(lignes)
        else:  # written outside a section save (an administrator's correction, say)
            orphans.append(
                history.Evenement(
                    date,
                    history.auteur(row.history_user),
                    row.history_change_reason or "",
                    "Modification",
                    lignes,
                )
            )

    # The gouvernance itself: status events on their own, field changes with their save.
    previous = None
    for row in (
        Gouvernance.history.filter(id=gouvernance.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        if (
            previous is not None
            and row.statut != previous.statut
            and row.statut != StatutGouvernance.BROUILLON
        ):
            statuts.append(
                history.Evenement(
                    row.history_date,
                    history.auteur(row.history_user),
                    "Statut",
                    StatutGouvernance(row.statut).label,
                )
            )
        elif row.rouverte_jusquau and row.history_change_reason == "reouverture":
            statuts.append(
                history.Evenement(
                    row.history_date,
                    history.auteur(row.history_user),
                    "Statut",
                    f"Formulaire rouvert jusqu'au {french_date(row.rouverte_jusquau)}",
                )
            )
        if previous is not None and row.history_change_reason not in _STATUS_REASONS:
            found = history.changes(previous, row, model=Gouvernance, exclude=_GOUVERNANCE_EXCLUDE)
            attach(
                row.history_date,
                row,
                [
                    history.LigneHistorique("Gouvernance", history.MODIF, c.champ, c.avant, c.apres)
                    for c in found
                ],
            )
        previous = row

    membres = list(
        Membre.history.filter(gouvernance_id=gouvernance.pk).select_related(
            "history_user", *COLLECTIVITE_FIELDS.values()
        )
    )
    noms_membres = {row.id: _nom_membre(row) for row in sorted(membres, key=lambda r: r.history_date)}
    for version in history.versions(membres, model=Membre, exclude=_MEMBRE_EXCLUDE):
        attach(
            version.row.history_date,
            version.row,
            history.lignes(f"Membre « {_nom_membre(version.row)} »", version),
        )

    for model, key, element in (
        (Comite, lambda r: (r.type, r.type_precision), lambda r: f"Comité « {_comite_libelle(r)} »"),
        (Coordination, lambda r: r.structure_siret, lambda r: f"Coordination « {r.structure_nom} »"),
    ):
        rows = model.history.filter(gouvernance_id=gouvernance.pk).select_related("history_user")
        found = history.versions(rows, model=model, exclude=("gouvernance",))
        for version in _recreated(
            found,
            key=key,
            model=model,
            exclude=("gouvernance",),
            save_of=lambda d: bisect.bisect_left(dates, d),
        ):
            attach(version.row.history_date, version.row, history.lignes(element(version.row), version))

    feuilles = list(
        FeuilleDeRoute.history.filter(gouvernance_id=gouvernance.pk).select_related("history_user")
    )
    # The EPCI of each historical row of a feuille de route (simple-history's m2m history table).
    noms_epcis: dict[int, list[str]] = {}
    for link in (
        apps.get_model("feuilles_de_route", "HistoricalFeuilleDeRoute_epcis")
        .objects.filter(history_id__in=[f.history_id for f in feuilles])
        .select_related("epci")
        .order_by("epci__nom")
    ):
        noms_epcis.setdefault(link.history_id, []).append(link.epci.nom if link.epci else link.epci_id)

    def epcis_change(old, new) -> list:
        before = ", ".join(noms_epcis.get(old.history_id, [])) if old is not None else ""
        after = ", ".join(noms_epcis.get(new.history_id, []))
        return [history.Changement("EPCI du périmètre", before, after)] if before != after else []

    porteur = {
        "porteur": lambda r: noms_membres.get(r.porteur_id, "") if r.porteur_id else "La préfecture seule"
    }
    for version in history.versions(
        feuilles, model=FeuilleDeRoute, exclude=("gouvernance",), display=porteur, extra=epcis_change
    ):
        attach(
            version.row.history_date,
            version.row,
            history.lignes(f"Feuille de route « {version.row.nom} »", version),
        )

    events = [*saves, *statuts, *orphans]
    return sorted(events, key=lambda e: e.date, reverse=True)[:limit]


def gouvernances_publiques() -> QuerySet[Gouvernance]:
    """The gouvernances anyone may read: sent at least once (never a draft). The public pages and
    the open data read this rule; what of a gouvernance is public is their business."""
    return Gouvernance.objects.exclude(statut=StatutGouvernance.BROUILLON)


def gouvernance_publique(*, departement: Departement) -> Gouvernance | None:
    """The public view's gouvernance: anyone may read it once it has been sent (never a draft)."""
    gouvernance = gouvernances_publiques().filter(departement=departement).first()
    if gouvernance is not None:
        gouvernance.departement = departement
    return gouvernance


def appartenances(*, user) -> list[Membre]:
    """The memberships of a collectivité or structure user's organisation, for « Mon espace »:
    the members filed from its confirmed manifestations d'intérêt (or naming the same
    collectivité), and those whose référent or suppléant is this user, in the gouvernances sent
    to ANCT (a draft is the préfecture's own until then). One query."""
    if not user.is_authenticated or perms.is_agent(user):
        return []
    manifestations = ManifestationInteret.objects.filter(user=user, statut=Statut.CONFIRMEE)
    condition = (
        Q(manifestation__user=user)
        | Q(referent_email__iexact=user.email)
        | Q(suppleant_email__iexact=user.email)
    )
    for type_, field in COLLECTIVITE_FIELDS.items():
        condition |= Q(
            type_collectivite=type_,
            **{f"{field}__in": manifestations.filter(type_collectivite=type_).values(field)},
        )
    return list(
        Membre.objects.filter(condition)
        .exclude(gouvernance__statut=StatutGouvernance.BROUILLON)
        .select_related("gouvernance__departement", *MEMBRE_RELATED)
        .order_by("gouvernance__departement_id", "id")
        .distinct()
    )
