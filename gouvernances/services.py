"""Writes on a gouvernance: keyword-only, typed, atomic, validating before saving.

The first save (`gouvernance_create`) writes the whole form; afterwards `section_save` writes
one section. Both refuse a save when the form is closed (campaign deadline, not reopened), and
a save made from a stale page (`core.versioning.StaleVersion`): the view re-renders what the
agent typed with the name of whoever saved first.
"""

import datetime
from dataclasses import dataclass

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from django.utils import timezone

from candidatures.enums import Persona, TypeContact
from candidatures.selectors import candidats_for_departement
from comptes import perms
from core.text import sort_key
from core.validators import normalize_siret, validate_siret
from core.versioning import StaleVersion, lock_current
from entreprises.services import siret_verification_request
from feuilles_de_route.selectors import feuilles_portees_par
from feuilles_de_route.services import FeuilleInput, feuilles_declare
from territoires.enums import TypeCollectivite
from territoires.models import Commune, Departement, Epci
from territoires.selectors import departements_voisins

from . import selectors
from .enums import Section, StatutGouvernance, TypeComite
from .models import Comite, Coordination, Gouvernance, Membre, SectionState
from .tasks import enqueue_member_notifications

# --- Inputs (what the forms hand over) -------------------------------------------------------------


@dataclass
class ContactInput:
    prenom: str
    nom: str
    fonction: str
    email: str


@dataclass
class SousPrefetInput:
    prenom: str
    nom: str
    email: str


@dataclass
class MembreInput:
    """An existing member (`id`) or a new one: a `key` (a collectivité's or a candidate's, see
    `selectors.candidats_membres`), or a structure."""

    referent: ContactInput
    suppleant: ContactInput
    id: int | None = None
    key: str = ""
    structure_nom: str = ""
    structure_siret: str = ""
    est_coporteur: bool = False


@dataclass
class CoporteursInput:
    keys: list[str]
    pas_de_coporteur: bool


@dataclass
class ComiteInput:
    type: str
    frequence: str
    composition: str
    role: str
    type_precision: str = ""


@dataclass
class CoordinationInput:
    structure_nom: str
    structure_siret: str
    nombre_postes: int


@dataclass
class GouvernanceInput:
    sous_prefet: SousPrefetInput
    membres: list[MembreInput]
    pas_de_coporteur: bool
    comites: list[ComiteInput]
    feuilles: list[FeuilleInput]
    coordinations: list[CoordinationInput]
    note_contexte: str = ""


# --- Errors -----------------------------------------------------------------------------------------


# A whole form created by someone else cannot be replaced by creating it again: the agent
# carries over, section by section, what they want to keep.
CREATED_BY_SOMEONE_ELSE = (
    "Ouvrez la gouvernance enregistrée (nouvel onglet) et reportez-y, section par section, "
    "ce que vous souhaitez garder."
)


def _section_label(section: Section | str) -> str:
    """What a refused stale save names: « X a enregistré la section « Membres » le … »."""
    return f"la section « {Section(section).label} »"


class FormulaireFerme(PermissionDenied):
    pass


# --- Rules shared with the forms ----------------------------------------------------------------------

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a"}


def sanitize_note(html: str) -> str:
    """Keep the editor's formatting, drop everything else (scripts, event handlers, styles)."""
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
    return "" if cleaned in {"<p></p>", "<p><br></p>", "<br>"} else cleaned


def coporteur_error(*, nb_coporteurs: int, pas_de_coporteur: bool) -> str:
    if nb_coporteurs and pas_de_coporteur:
        return (
            "Vous avez coché « pas de co-porteur » et désigné des co-porteurs : choisissez l'un ou l'autre."
        )
    if not nb_coporteurs and not pas_de_coporteur:
        return "Désignez au moins un co-porteur parmi les collectivités membres, ou cochez « pas de co-porteur »."
    return ""


# --- Helpers -----------------------------------------------------------------------------------------


def _check_open(*, gouvernance: Gouvernance | None, departement: Departement, user) -> None:
    if not perms.can_write_departement(user, departement):
        raise PermissionDenied(perms.READ_ONLY_GOUVERNANCE)
    state = selectors.edition(gouvernance, user, departement=departement)
    if not state.possible:
        raise FormulaireFerme(state.raison)


def _resolve_key(*, key: str, departement: Departement, user) -> dict:
    """Fields of a new member from its key; refuses what may not be a member of this département."""
    kind, _, code = key.partition(":")
    found = None
    if kind in (TypeCollectivite.REGION, TypeCollectivite.DEPARTEMENT):
        # The département, its région, and those an EPCI of the département brings in.
        voisins = [departement, *departements_voisins(departement)]
        if kind == TypeCollectivite.REGION:
            found = next((d.region for d in voisins if d.region_id == code), None)
        else:
            found = next((d for d in voisins if d.code == code), None)
    elif kind == TypeCollectivite.EPCI:
        found = Epci.objects.collectivites().filter(code=code, departements=departement).first()
    elif kind == TypeCollectivite.COMMUNE:
        found = Commune.objects.filter(code=code, departement=departement).first()
    elif kind == "candidature" and code.isdigit():
        manifestation = (
            candidats_for_departement(user=user, departement=departement)
            .filter(pk=int(code), persona=Persona.STRUCTURE)
            .first()
        )
        if manifestation is not None:
            return {
                "collectivite": None,
                "structure_nom": manifestation.structure_nom,
                "structure_siret": manifestation.structure_siret,
                "manifestation": manifestation,
            }
    if found is None:
        raise ValidationError(
            {
                "membres": "Une des collectivités choisies ne peut pas être membre de la gouvernance de ce département."
            }
        )
    manifestation = (
        candidats_for_departement(user=user, departement=departement)
        .filter(**{kind: found})
        .order_by("intention", "-confirmee_le")
        .first()
    )
    return {"collectivite": found, "structure_nom": "", "structure_siret": "", "manifestation": manifestation}


CONTACT_ATTRS = ("prenom", "nom", "fonction", "email")


def _set_contacts(membre: Membre, data: MembreInput) -> None:
    for prefix, contact in (("referent", data.referent), ("suppleant", data.suppleant)):
        for attr in CONTACT_ATTRS:
            setattr(membre, f"{prefix}_{attr}", (getattr(contact, attr) or "").strip())


def _is_blank(data: MembreInput) -> bool:
    return not any(
        (getattr(c, attr) or "").strip() for c in (data.referent, data.suppleant) for attr in CONTACT_ATTRS
    )


def _prefill_contacts(membre: Membre, manifestation) -> None:
    """A new member whose row gave no contact takes those of its own form: the contact politique
    (or the structure's) as référent, the contact technique as suppléant."""
    contacts = {
        c.type: c for c in manifestation.contacts.filter(perimetre__isnull=True, autre_structure__isnull=True)
    }
    referent = contacts.get(TypeContact.STRUCTURE) or contacts.get(TypeContact.POLITIQUE)
    for prefix, contact in (("referent", referent), ("suppleant", contacts.get(TypeContact.TECHNIQUE))):
        if contact is not None:
            for attr in CONTACT_ATTRS:
                setattr(membre, f"{prefix}_{attr}", getattr(contact, attr))


def _save(obj, *, user, section: Section) -> None:
    obj._change_reason = Section(section).label
    obj._history_user = user
    # Relations are checked by the service and the database; unique rows by the database.
    relations = [f.name for f in obj._meta.fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_unique=False)
    obj.save()


def _delete(obj, *, user, section: Section) -> None:
    obj._change_reason = Section(section).label
    obj._history_user = user
    obj.delete()


def _record_save(state: SectionState, *, user) -> SectionState:
    """Count one more save of the section, by `user`, in its state and its history."""
    state.touch(user=user)
    state._history_user = state.modifie_par
    state.save()
    return state


# --- Section writers (inside a transaction, the gouvernance row locked) ---------------------------


def _write_sous_prefet(g: Gouvernance, data: SousPrefetInput, *, user) -> None:
    g.sous_prefet_prenom = data.prenom.strip()
    g.sous_prefet_nom = data.nom.strip()
    g.sous_prefet_email = data.email.strip()
    _save(g, user=user, section=Section.SOUS_PREFET)


def _write_membres(
    g: Gouvernance, data: list[MembreInput], *, user, with_coporteurs: bool
) -> dict[str, Membre]:
    existing = {m.pk: m for m in g.membres.select_related(*selectors.MEMBRE_RELATED)}
    kept: dict[int, Membre] = {}
    new_members: list[Membre] = []
    seen_keys: set[str] = set()
    for item in data:
        if item.id is not None:
            membre = existing.get(item.id)
            if membre is None:
                raise ValidationError({"membres": "Un membre a été retiré entre-temps : rechargez la page."})
        else:
            membre = Membre(gouvernance=g)
            if item.key:
                resolved = _resolve_key(key=item.key, departement=g.departement, user=user)
                membre.set_collectivite(resolved["collectivite"])
                membre.structure_nom = resolved["structure_nom"]
                membre.structure_siret = resolved["structure_siret"]
                membre.manifestation = resolved["manifestation"]
            else:
                if not item.structure_nom.strip():
                    raise ValidationError(
                        {"membres": "Choisissez une collectivité ou indiquez le nom de la structure."}
                    )
                validate_siret(item.structure_siret)
                membre.structure_nom = item.structure_nom.strip()
                membre.structure_siret = normalize_siret(item.structure_siret)
                # Looked up in the State's register in the background; the typed name stays.
                siret_verification_request(siret=membre.structure_siret)
            new_members.append(membre)
        if membre.key in seen_keys:
            raise ValidationError({"membres": f"« {membre.nom} » figure deux fois parmi les membres."})
        seen_keys.add(membre.key)
        _set_contacts(membre, item)
        if item.id is None and membre.manifestation is not None and _is_blank(item):
            _prefill_contacts(membre, membre.manifestation)
        if with_coporteurs:
            membre.est_coporteur = item.est_coporteur and not membre.is_structure
        if item.id is not None:
            kept[membre.pk] = membre
    removed = [m for pk, m in existing.items() if pk not in kept]
    if removed:
        porteurs = feuilles_portees_par(removed)
        for membre in removed:
            if membre.pk in porteurs:
                raise ValidationError(
                    {
                        "membres": f"« {membre.nom} » porte la feuille de route « {porteurs[membre.pk]} » : "
                        "choisissez un autre porteur avant de le retirer des membres."
                    }
                )
        for membre in removed:
            try:
                with transaction.atomic():
                    _delete(membre, user=user, section=Section.MEMBRES)
            except RestrictedError as exc:
                # A bénéficiaire of a demande de subvention is held by a RESTRICT link.
                raise ValidationError(
                    {
                        "membres": f"« {membre.nom} » est bénéficiaire d'une demande de subvention : "
                        "retirez-le d'abord de la demande avant de le retirer des membres."
                    }
                ) from exc
    by_key = {}
    for membre in [*kept.values(), *new_members]:
        try:
            with transaction.atomic():
                _save(membre, user=user, section=Section.MEMBRES)
        except IntegrityError as exc:
            raise ValidationError(
                {"membres": f"« {membre.nom} » est déjà membre de la gouvernance."}
            ) from exc
        by_key[membre.key] = membre
    return by_key


def _write_coporteurs(g: Gouvernance, data: CoporteursInput, *, user) -> None:
    membres = list(g.membres.select_related(*selectors.MEMBRE_RELATED))
    keys = set(data.keys)
    choisis = [m for m in membres if m.key in keys and not m.is_structure]
    if len(choisis) != len(keys):
        raise ValidationError({"coporteurs": "Seules les collectivités membres peuvent être co-porteurs."})
    error = coporteur_error(nb_coporteurs=len(choisis), pas_de_coporteur=data.pas_de_coporteur)
    if error:
        raise ValidationError({"coporteurs": error})
    for membre in membres:
        value = membre.key in keys
        if membre.est_coporteur != value:
            membre.est_coporteur = value
            _save(membre, user=user, section=Section.COPORTEURS)
    g.pas_de_coporteur = data.pas_de_coporteur
    _save(g, user=user, section=Section.COPORTEURS)


def _check_coporteur_rule(g: Gouvernance) -> None:
    error = coporteur_error(
        nb_coporteurs=g.membres.filter(est_coporteur=True).count(), pas_de_coporteur=g.pas_de_coporteur
    )
    if error:
        raise ValidationError({"coporteurs": error})


def _write_comites(g: Gouvernance, data: list[ComiteInput], *, user) -> None:
    for comite in g.comites.all():
        _delete(comite, user=user, section=Section.COMITOLOGIE)
    for item in data:
        if item.type == TypeComite.AUTRE and not item.type_precision.strip():
            raise ValidationError({"comites": "Précisez le type du comité « Autre »."})
        comite = Comite(
            gouvernance=g,
            type=item.type,
            type_precision=item.type_precision.strip() if item.type == TypeComite.AUTRE else "",
            frequence=item.frequence,
            composition=item.composition.strip(),
            role=item.role.strip(),
        )
        _save(comite, user=user, section=Section.COMITOLOGIE)


def _write_feuilles(
    g: Gouvernance, data: list[FeuilleInput], *, user, membres_by_key: dict[str, Membre]
) -> None:
    feuilles_declare(
        gouvernance=g,
        items=data,
        porteurs=membres_by_key,
        allowed_epcis={code for code, _ in selectors.epcis_du_departement(g.departement)},
        user=user,
        reason=Section.FEUILLES_DE_ROUTE.label,
    )


def _write_coordination(g: Gouvernance, data: list[CoordinationInput], *, user) -> None:
    for coordination in g.coordinations.all():
        _delete(coordination, user=user, section=Section.COORDINATION)
    for item in data:
        validate_siret(item.structure_siret)
        coordination = Coordination(
            gouvernance=g,
            structure_nom=item.structure_nom.strip(),
            structure_siret=normalize_siret(item.structure_siret),
            nombre_postes=item.nombre_postes,
        )
        _save(coordination, user=user, section=Section.COORDINATION)
        siret_verification_request(siret=coordination.structure_siret)


def _write_note(g: Gouvernance, html: str, *, user) -> None:
    g.note_contexte = sanitize_note(html)
    _save(g, user=user, section=Section.NOTE_CONTEXTE)


# --- Public services -----------------------------------------------------------------------------


@transaction.atomic
def gouvernance_create(*, departement: Departement, user, data: GouvernanceInput) -> Gouvernance:
    """The first save: the whole form at once, every rule checked."""
    _check_open(gouvernance=None, departement=departement, user=user)
    existing = Gouvernance.objects.select_for_update().filter(departement=departement).first()
    if existing is not None:
        # Its creation saved every section: the first one names who created it, and when.
        first = existing.sections.select_related("modifie_par").filter(section=Section.SOUS_PREFET).first()
        raise StaleVersion(
            label="la gouvernance de ce département",
            par=first.modifie_par if first else None,
            le=first.modifie_le if first else None,
            current_version=first.version if first else 0,
            advice=CREATED_BY_SOMEONE_ELSE,
        )
    g = Gouvernance(departement=departement, pas_de_coporteur=data.pas_de_coporteur)
    g.note_contexte = sanitize_note(data.note_contexte)
    _write_sous_prefet(g, data.sous_prefet, user=user)
    membres_by_key = _write_membres(g, data.membres, user=user, with_coporteurs=True)
    _check_coporteur_rule(g)
    _write_comites(g, data.comites, user=user)
    _write_feuilles(g, data.feuilles, user=user, membres_by_key=membres_by_key)
    _write_coordination(g, data.coordinations, user=user)
    for section in Section:
        _record_save(SectionState(gouvernance=g, section=section), user=user)
    enqueue_member_notifications(g.pk)
    return g


def _lock_section(*, gouvernance: Gouvernance, section: Section, version: int) -> SectionState:
    """The section's state, locked, at the version the page was read at (created unsaved, at
    version 0, when nobody has saved the section yet)."""
    # The gouvernance row is locked first so that two first saves of a section queue up
    # instead of both creating its state.
    Gouvernance.objects.select_for_update().filter(pk=gouvernance.pk).first()
    state = lock_current(
        SectionState.objects.filter(gouvernance=gouvernance),
        version=version,
        label=_section_label(section),
        section=section,
    )
    return state or SectionState(gouvernance=gouvernance, section=section)


@transaction.atomic
def section_save(
    *, gouvernance: Gouvernance, user, section: Section | str, version: int, data
) -> Gouvernance:
    """Save one section alone. `version` is the section's version when the page was opened."""
    section = Section(section)
    g = Gouvernance.objects.select_related("departement__region").get(pk=gouvernance.pk)
    _check_open(gouvernance=g, departement=g.departement, user=user)
    state = _lock_section(gouvernance=g, section=section, version=version)
    if section == Section.SOUS_PREFET:
        _write_sous_prefet(g, data, user=user)
    elif section == Section.MEMBRES:
        _write_membres(g, data, user=user, with_coporteurs=False)
        _check_coporteur_rule(g)
    elif section == Section.COPORTEURS:
        _write_coporteurs(g, data, user=user)
    elif section == Section.COMITOLOGIE:
        _write_comites(g, data, user=user)
    elif section == Section.FEUILLES_DE_ROUTE:
        membres = {m.key: m for m in g.membres.select_related(*selectors.MEMBRE_RELATED)}
        _write_feuilles(g, data, user=user, membres_by_key=membres)
    elif section == Section.COORDINATION:
        _write_coordination(g, data, user=user)
    elif section == Section.NOTE_CONTEXTE:
        _write_note(g, data, user=user)
    _record_save(state, user=user)
    if section in (Section.MEMBRES, Section.COPORTEURS):
        enqueue_member_notifications(g.pk)
    return g


def gouvernance_problems(*, contenu: selectors.GouvernanceContenu) -> list[str]:
    """What keeps the gouvernance from being sent (each rule of the form, checked again, and
    those of the sending itself: a structure recruteuse des coordinateurs, the note de contexte),
    from the content its pages already read."""
    gouvernance = contenu.gouvernance
    problems = []
    if not (gouvernance.sous_prefet_nom and gouvernance.sous_prefet_email):
        problems.append("Renseignez le sous-préfet référent.")
    if not contenu.membres:
        problems.append("Ajoutez au moins un membre.")
    error = coporteur_error(
        nb_coporteurs=len(contenu.coporteurs), pas_de_coporteur=gouvernance.pas_de_coporteur
    )
    if error:
        problems.append(error)
    if not contenu.feuilles:
        problems.append("Déclarez au moins une feuille de route.")
    for feuille in contenu.feuilles:
        if not feuille.contrat_preexistant:
            problems.append(f"Indiquez si la feuille de route « {feuille.nom} » a un contrat préexistant.")
    if not contenu.coordinations:
        problems.append(
            "Indiquez au moins une structure recruteuse des coordinateurs de conseillers numériques."
        )
    if not sanitize_note(gouvernance.note_contexte):
        problems.append("Rédigez la note de contexte.")
    return problems


def gouvernance_reminders(*, contenu: selectors.GouvernanceContenu) -> list[str]:
    """What is asked for before sending without being forced: the members' référents and
    suppléants (a member may be saved, and the gouvernance sent, without them)."""
    reminders = []
    for attr, role in (("sans_referent", "référent"), ("sans_suppleant", "suppléant")):
        missing = sorted((m.nom for m in contenu.membres if getattr(m, attr)), key=sort_key)
        if missing:
            shown = ", ".join(missing[:10]) + (f" et {len(missing) - 10} autres" if len(missing) > 10 else "")
            reminders.append(f"{len(missing)} membre{'s' if len(missing) > 1 else ''} sans {role} : {shown}.")
    return reminders


@transaction.atomic
def gouvernance_submit(*, gouvernance: Gouvernance, user, statut: StatutGouvernance | str) -> Gouvernance:
    """Send the gouvernance pressentie, or the définitive one, to ANCT."""
    statut = StatutGouvernance(statut)
    g = Gouvernance.objects.select_for_update().select_related("departement__region").get(pk=gouvernance.pk)
    _check_open(gouvernance=g, departement=g.departement, user=user)
    if statut == StatutGouvernance.BROUILLON:
        raise ValidationError("Statut inconnu.")
    if statut == StatutGouvernance.PRESSENTIE and g.statut != StatutGouvernance.BROUILLON:
        raise ValidationError("La gouvernance pressentie a déjà été remontée.")
    if statut == StatutGouvernance.DEFINITIVE and g.statut == StatutGouvernance.DEFINITIVE:
        raise ValidationError("La gouvernance définitive a déjà été remontée.")
    problems = gouvernance_problems(contenu=selectors.gouvernance_contenu(gouvernance=g))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    g.statut = statut
    if statut == StatutGouvernance.PRESSENTIE:
        g.pressentie_remontee_le = now
    else:
        g.definitive_remontee_le = now
        g.pressentie_remontee_le = g.pressentie_remontee_le or now
    g._change_reason = statut.label
    g._history_user = user
    g.save()
    enqueue_member_notifications(g.pk)
    return g


@transaction.atomic
def gouvernance_reopen(*, gouvernance: Gouvernance, user, jusquau: datetime.date) -> Gouvernance:
    """An administrator reopens the form after the deadline, until `jusquau` included."""
    if not perms.is_admin(user):
        raise PermissionDenied("Seul un administrateur de l'ANCT peut rouvrir un formulaire.")
    if jusquau < timezone.localdate():
        raise ValidationError("La date de réouverture doit être aujourd'hui ou plus tard.")
    g = Gouvernance.objects.select_for_update().get(pk=gouvernance.pk)
    g.rouverte_jusquau = jusquau
    g._change_reason = "reouverture"
    g._history_user = user
    g.save()
    return g
