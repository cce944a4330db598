"""Reads. Every selector takes the viewer and applies the visibility rule once.

Where a form is seen:
- a commune's form in the commune's département; a Conseil départemental's in its département;
- a Conseil régional's in every département of its région;
- an EPCI's in every département it touches (EPCI may straddle départements);
- a structure's in the département it declared.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from comptes import perms
from territoires.models import Departement, Epci

from .enums import Intention, Persona, Statut
from .models import AutreStructure, Contact, ManifestationInteret, PerimetreCollectivite


def _collectivite_in_departement(departement: Departement, *, prefix: str = "") -> Q:
    """Q for a CollectiviteRef (at `prefix`) whose collectivité lies in or covers the département."""
    return (
        Q(**{f"{prefix}commune__departement_id": departement.code})
        | Q(**{f"{prefix}departement_id": departement.code})
        | Q(**{f"{prefix}region_id": departement.region_id})
        | Q(**{f"{prefix}epci__in": Epci.objects.filter(departements=departement).values("code")})
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


def compteurs_for_departement(*, user, departement: Departement) -> Compteurs:
    """Three queries whatever the number of forms."""
    if not perms.can_read_departement(user, departement):
        return Compteurs(0, 0, 0, 0, 0)
    forms = ManifestationInteret.objects.filter(_confirmed() & visible_in_departement(departement))
    counts = forms.aggregate(
        porteurs=Count("id", filter=Q(intention=Intention.PORTER)),
        participants_collectivites=Count(
            "id", filter=Q(intention=Intention.PARTICIPER) & ~Q(persona=Persona.STRUCTURE)
        ),
        participants_structures=Count(
            "id", filter=Q(intention=Intention.PARTICIPER, persona=Persona.STRUCTURE)
        ),
    )
    porteurs = forms.filter(intention=Intention.PORTER).values("id")
    # A collectivité named in several périmètres counts once; only those of this département count.
    partenaires = (
        PerimetreCollectivite.objects.filter(manifestation__in=porteurs)
        .filter(_collectivite_in_departement(departement))
        .values("type_collectivite", "region", "departement", "epci", "commune")
        .distinct()
        .count()
    )
    structures = AutreStructure.objects.filter(manifestation__in=porteurs).count()
    return Compteurs(
        porteurs_collectivites=counts["porteurs"],
        partenaires_collectivites=partenaires,
        partenaires_structures=structures,
        participants_collectivites=counts["participants_collectivites"],
        participants_structures=counts["participants_structures"],
    )


def contacts_for_export(*, user, departement: Departement) -> QuerySet[Contact]:
    """One row per contact of the confirmed forms seen in the département (the contacts export)."""
    if not perms.can_read_departement(user, departement):
        return Contact.objects.none()
    return (
        Contact.objects.filter(
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
