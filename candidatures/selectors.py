"""Reads. Every selector takes the viewer and applies the visibility rule once.

Where a form is seen:
- a commune's form in the commune's département; a Conseil départemental's in its département;
- a Conseil régional's in every département of its région;
- an EPCI's in every département it touches (EPCI may straddle départements);
- a structure's in the département it declared.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat

from comptes import perms
from core.cache import cached
from core.db import SubqueryCount
from territoires.models import Commune, Departement, Epci
from territoires.signals import REFERENTIEL

from .enums import Intention, Persona, Statut
from .models import AutreStructure, Contact, ManifestationInteret, PerimetreCollectivite
from .signals import CANDIDATURES

# What the préfecture's candidates pages show: the forms, placed in a département by the referential.
DEPENDS_ON = (CANDIDATURES, REFERENTIEL)


def _collectivite_in_departement(departement: Departement, *, prefix: str = "") -> Q:
    """Q for a CollectiviteRef (at `prefix`) whose collectivité lies in or covers the département.

    The communes and EPCI are subqueries on the département's own rows (indexed): a join on
    `commune__departement` would make the database read all 35,000 communes for each query."""
    return (
        Q(**{f"{prefix}commune_id__in": Commune.objects.filter(departement=departement).values("code")})
        | Q(**{f"{prefix}departement_id": departement.code})
        | Q(**{f"{prefix}region_id": departement.region_id})
        | Q(
            **{
                f"{prefix}epci_id__in": Epci.departements.through.objects.filter(
                    departement=departement
                ).values("epci_id")
            }
        )
    )


def visible_in_departement(departement: Departement, *, prefix: str = "") -> Q:
    """Q for the manifestations (at `prefix`) seen by the préfecture of `departement`."""
    return _collectivite_in_departement(departement, prefix=prefix) | Q(
        **{f"{prefix}persona": Persona.STRUCTURE, f"{prefix}structure_departement_id": departement.code}
    )


def _confirmed() -> Q:
    return Q(statut=Statut.CONFIRMEE)


def candidats_for_departement(*, user, departement: Departement) -> QuerySet[ManifestationInteret]:
    """Confirmed, non-cancelled forms seen in the département, with what a list needs loaded.

    Used by the candidates page and by the gouvernance form (members are chosen among them;
    `intention`, `persona`, the collectivité FKs and `nom` are there). Empty for a viewer who may
    not read the département.
    """
    if not perms.can_read_departement(user, departement):
        return ManifestationInteret.objects.none()
    return (
        ManifestationInteret.objects.filter(_confirmed() & visible_in_departement(departement))
        .select_related("region", "departement", "epci", "commune", "structure_departement")
        .order_by("-confirmee_le", "-id")
    )


def candidats_with_details(*, user, departement: Departement) -> QuerySet[ManifestationInteret]:
    """The same forms with their contacts, périmètre and other structures prefetched."""
    return candidats_for_departement(user=user, departement=departement).prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.select_related("perimetre", "autre_structure")),
        Prefetch(
            "perimetre",
            queryset=PerimetreCollectivite.objects.select_related("region", "departement", "epci", "commune"),
        ),
        "autres_structures",
    )


@dataclass(frozen=True)
class Compteurs:
    """The three counters of the préfecture home, as the webinar of 14 November 2023 lists them."""

    porteurs_collectivites: int
    partenaires_collectivites: int
    partenaires_structures: int
    participants_collectivites: int
    participants_structures: int

    @property
    def total(self) -> int:
        return (
            self.porteurs_collectivites
            + self.partenaires_collectivites
            + self.partenaires_structures
            + self.participants_collectivites
            + self.participants_structures
        )


def _collectivite_key():
    """One text value per collectivité of a CollectiviteRef (type and codes; NULL codes as '')."""
    parts = []
    for name in ("type_collectivite", "region_id", "departement_id", "epci_id", "commune_id"):
        parts += [Coalesce(F(name), Value("")), Value(":")]
    return Concat(*parts[:-1])


def compteurs_for_departement(*, user, departement: Departement) -> Compteurs:
    """The counters of the préfecture home and candidates page, for a viewer who may read the
    département: computed once per generation of the candidatures and of the referential (which
    places the collectivités in the département), renewed by every write of either."""
    if not perms.can_read_departement(user, departement):
        return Compteurs(0, 0, 0, 0, 0)
    return cached(
        f"candidatures:compteurs:{departement.code}",
        lambda: _compteurs(departement),
        depends_on=DEPENDS_ON,
    )


def _compteurs(departement: Departement) -> Compteurs:
    """Two queries whatever the number of forms: one grouped aggregation of the forms by intention
    and persona, then (when there are porteurs) the partners of their périmètres and the other
    structures they named, as two scalar subqueries of one query."""
    forms = ManifestationInteret.objects.filter(_confirmed() & visible_in_departement(departement))
    groups = forms.order_by().values("intention", "persona").annotate(n=Count("id"))
    porteurs = participants_collectivites = participants_structures = 0
    for row in groups:
        if row["intention"] == Intention.PORTER:
            porteurs += row["n"]
        elif row["persona"] == Persona.STRUCTURE:
            participants_structures += row["n"]
        else:
            participants_collectivites += row["n"]
    partenaires = {"collectivites": 0, "structures": 0}
    if porteurs:
        porteurs_ids = forms.filter(intention=Intention.PORTER).values("id")
        # A collectivité named in several périmètres counts once; only those of this département count.
        perimetres = PerimetreCollectivite.objects.filter(manifestation__in=porteurs_ids).filter(
            _collectivite_in_departement(departement)
        )
        partenaires = (
            Departement.objects.filter(pk=departement.pk)
            .values(
                collectivites=SubqueryCount(perimetres, _collectivite_key(), distinct=True),
                structures=SubqueryCount(AutreStructure.objects.filter(manifestation__in=porteurs_ids)),
            )
            .get()
        )
    return Compteurs(
        porteurs_collectivites=porteurs,
        partenaires_collectivites=partenaires["collectivites"],
        partenaires_structures=partenaires["structures"],
        participants_collectivites=participants_collectivites,
        participants_structures=participants_structures,
    )


def contacts_for_export(*, user, departement: Departement, candidats=None) -> QuerySet[Contact]:
    """One row per contact of the confirmed forms seen in the département (the contacts export);
    `candidats`: the candidates list as filtered, to export only their contacts."""
    if not perms.can_read_departement(user, departement):
        return Contact.objects.none()
    contacts = (
        Contact.objects.all()
        if candidats is None
        else Contact.objects.filter(manifestation__in=candidats.order_by().values("pk"))
    )
    return (
        contacts.filter(
            Q(manifestation__statut=Statut.CONFIRMEE)
            & visible_in_departement(departement, prefix="manifestation__")
        )
        .select_related(
            "manifestation__region",
            "manifestation__departement",
            "manifestation__epci",
            "manifestation__commune",
            "perimetre__region",
            "perimetre__departement",
            "perimetre__epci",
            "perimetre__commune",
            "autre_structure",
        )
        .order_by("manifestation__confirmee_le", "manifestation_id", "id")
    )


@dataclass(frozen=True)
class ContactDepartement:
    """A contact of the export of several départements, with the département it is exported for
    (a form seen in two départements is exported in each, as in each département's file)."""

    contact: Contact
    departement: Departement

    def __getattr__(self, name):
        return getattr(self.contact, name)


def _departements_of(manifestation: ManifestationInteret, scope: dict[str, Departement]) -> list[Departement]:
    """Where the form is seen among `scope` (same rule as `visible_in_departement`), from what
    is already loaded."""
    if manifestation.persona == Persona.STRUCTURE:
        codes = [manifestation.structure_departement_id]
    elif manifestation.commune_id:
        codes = [manifestation.commune.departement_id]
    elif manifestation.departement_id:
        codes = [manifestation.departement_id]
    elif manifestation.region_id:
        codes = [code for code, d in scope.items() if d.region_id == manifestation.region_id]
    elif manifestation.epci_id:
        codes = [d.code for d in manifestation.epci.departements.all()]
    else:
        codes = []
    return [scope[code] for code in sorted(set(codes)) if code in scope]


def contacts_for_export_departements(*, user) -> list[ContactDepartement]:
    """The contacts export of every département the viewer reads, in one file: a préfecture de
    région's région, the whole country for ANCT. The rows of each département's own export, one
    département after the other. Three queries whatever the number of départements."""
    if not perms.can_read_several_departements(user):
        return []
    scope = {d.code: d for d in perms.departements_readable_by(user).order_by("code")}
    contacts = Contact.objects.filter(manifestation__statut=Statut.CONFIRMEE)
    if not perms.is_national(user):
        visible = Q()
        for departement in scope.values():
            visible |= visible_in_departement(departement, prefix="manifestation__")
        contacts = contacts.filter(visible)
    contacts = (
        contacts.select_related(
            "manifestation__region",
            "manifestation__departement",
            "manifestation__epci",
            "manifestation__commune",
            "perimetre__region",
            "perimetre__departement",
            "perimetre__epci",
            "perimetre__commune",
            "autre_structure",
        )
        .prefetch_related("manifestation__epci__departements")
        .order_by("manifestation__confirmee_le", "manifestation_id", "id")
    )
    rows = [
        ContactDepartement(contact, departement)
        for contact in contacts
        for departement in _departements_of(contact.manifestation, scope)
    ]
    return sorted(rows, key=lambda row: row.departement.code)  # stable: each file's order is kept


def active_manifestation_for(*, user) -> ManifestationInteret | None:
    """The user's draft or confirmed form, if any (at most one, a database constraint)."""
    if not user.is_authenticated:
        return None
    return (
        ManifestationInteret.objects.filter(user=user)
        .exclude(statut=Statut.ANNULEE)
        .select_related("region", "departement", "epci", "commune", "structure_departement")
        .first()
    )


def manifestations_of(*, user) -> list[ManifestationInteret]:
    """The user's own forms, drafts and confirmed ones (cancelled ones are gone for them), for
    « Mon espace »."""
    if not user.is_authenticated:
        return []
    return list(
        ManifestationInteret.objects.filter(user=user)
        .exclude(statut=Statut.ANNULEE)
        .select_related("region", "departement", "epci", "commune", "structure_departement")
        .order_by("-created_at")
    )


# The form's own contacts (politique, technique, structure), for list pages.
MAIN_CONTACTS_PREFETCH = (
    Prefetch(
        "contacts",
        queryset=Contact.objects.filter(perimetre__isnull=True, autre_structure__isnull=True).order_by(
            "type"
        ),
        to_attr="contacts_principaux",
    ),
)
