"""Manifestations d'intérêt: the public forms by which collectivités and structures declare that
they want to carry a feuille de route (« porter ») or take part in it (« participer »).

Collectivités are always real foreign keys to the territory referential (never free text), so
that the gouvernance form can propose them as members and the counters can place them in the
right départements (see selectors.visible_in_departement).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import TEXT_SHORT, TimeStampedModel
from core.validators import validate_siret
from core.versioning import VersionedModel
from territoires.enums import TypeCollectivite
from territoires.models import Commune, Departement, Epci, Region

from .enums import PERSONAS_PORTEURS, EtapePorter, Intention, Persona, Statut, TypeContact, TypeStructure

# type_collectivite → the foreign key that holds it.
COLLECTIVITE_FIELDS = {
    TypeCollectivite.REGION: "region",
    TypeCollectivite.DEPARTEMENT: "departement",
    TypeCollectivite.EPCI: "epci",
    TypeCollectivite.COMMUNE: "commune",
}


def _only_matching_fk_set(*, required: bool) -> Q:
    """Each collectivité FK may be set only when type_collectivite names it; `required`: one must be."""
    condition = Q()
    for type_, field in COLLECTIVITE_FIELDS.items():
        condition &= Q(**{f"{field}__isnull": True}) | Q(type_collectivite=type_)
    if required:
        one_set = Q()
        for type_, field in COLLECTIVITE_FIELDS.items():
            one_set |= Q(type_collectivite=type_, **{f"{field}__isnull": False})
        condition &= one_set
    return condition


class CollectiviteRef(models.Model):
    """A reference to one collectivité of the referential: its type and the matching foreign key."""

    type_collectivite = models.CharField(
        "type de collectivité", max_length=16, choices=TypeCollectivite.choices, blank=True
    )
    region = models.ForeignKey(
        Region,
        verbose_name="région",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s",
    )
    departement = models.ForeignKey(
        Departement,
        verbose_name="département (conseil départemental)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s",
    )
    epci = models.ForeignKey(
        Epci,
        verbose_name="EPCI",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s",
    )

    class Meta:
        abstract = True

    @property
    def collectivite(self) -> Region | Departement | Epci | Commune | None:
        field = COLLECTIVITE_FIELDS.get(self.type_collectivite)
        return getattr(self, field) if field else None

    def set_collectivite(self, collectivite: Region | Departement | Epci | Commune | None) -> None:
        for field in COLLECTIVITE_FIELDS.values():
            setattr(self, field, None)
        if collectivite is None:
            return
        type_ = collectivite_type_of(collectivite)
        self.type_collectivite = type_
        setattr(self, COLLECTIVITE_FIELDS[type_], collectivite)

    @property
    def collectivite_nom(self) -> str:
        collectivite = self.collectivite
        if collectivite is None:
            return ""
        if self.type_collectivite == TypeCollectivite.REGION:
            return f"Conseil régional {collectivite.de_nom}"
        if self.type_collectivite == TypeCollectivite.DEPARTEMENT:
            return f"Conseil départemental {collectivite.de_nom}"
        return collectivite.nom

    @property
    def collectivite_code(self) -> str:
        collectivite = self.collectivite
        return collectivite.code if collectivite is not None else ""

    @property
    def collectivite_key(self) -> str:
        """The key used by territoires.search (« commune:58194 »)."""
        return f"{self.type_collectivite}:{self.collectivite_code}" if self.collectivite is not None else ""


def collectivite_type_of(collectivite) -> TypeCollectivite:
    for model, type_ in (
        (Region, TypeCollectivite.REGION),
        (Departement, TypeCollectivite.DEPARTEMENT),
        (Epci, TypeCollectivite.EPCI),
        (Commune, TypeCollectivite.COMMUNE),
    ):
        if isinstance(collectivite, model):
            return type_
    raise TypeError(f"Not a collectivité: {collectivite!r}")


class ManifestationInteret(CollectiviteRef, VersionedModel, TimeStampedModel):
    """One public form. A user has at most one active (draft or confirmed) form. Each save of a
    draft step carries the version its page was read at (two tabs, two machines)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposée par",
        on_delete=models.PROTECT,
        related_name="manifestations_interet",
    )
    persona = models.CharField("vous êtes", max_length=32, choices=Persona.choices)
    intention = models.CharField("vous souhaitez", max_length=16, choices=Intention.choices)
    statut = models.CharField("statut", max_length=16, choices=Statut.choices, default=Statut.BROUILLON)
    etape = models.CharField(
        "dernière étape enregistrée",
        max_length=16,
        choices=EtapePorter.choices,
        default=EtapePorter.INFORMATIONS,
        help_text="Formulaire « porter » uniquement.",
    )
    # « Autre personne morale »: the structure itself (no collectivité FK).
    structure_nom = models.CharField("nom de la structure", max_length=200, blank=True)
    structure_siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[validate_siret], db_index=True
    )
    structure_sans_siret = models.BooleanField("pas de SIRET", default=False)
    # Blank on forms confirmed before the form asked it.
    structure_type = models.CharField(
        "type de structure", max_length=32, choices=TypeStructure.choices, blank=True
    )
    structure_departement = models.ForeignKey(
        Departement,
        verbose_name="département de la structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="structures_candidates",
    )
    # « Porter »: existing local scheme (SDUN, CRTE…) and the périmètre contacts choice.
    dispositifs_existants = models.TextField(
        "schémas ou démarches existants",
        max_length=TEXT_SHORT,
        blank=True,
        help_text="Par exemple : SDUN, CRTE, SDAASaP, schéma départemental d'inclusion numérique…",
    )
    contacts_perimetre_plus_tard = models.BooleanField(
        "je n'ai pas encore les contacts des collectivités du périmètre", default=False
    )
    confirmee_le = models.DateTimeField("confirmée le", null=True, blank=True, db_index=True)
    annulee_le = models.DateTimeField("annulée le", null=True, blank=True)
    # E-mails (Celery): stored so that a retried task never sends twice.
    accuse_envoye_le = models.DateTimeField("accusé de réception envoyé le", null=True, blank=True)
    prefecture_notifiee_le = models.DateTimeField("préfecture informée le", null=True, blank=True)

    class Meta:
        verbose_name = "manifestation d'intérêt"
        verbose_name_plural = "manifestations d'intérêt"
        ordering = ["-confirmee_le", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=~Q(statut=Statut.ANNULEE),
                name="une_manifestation_active_par_utilisateur",
                violation_error_message="Vous avez déjà un formulaire en cours.",
            ),
            models.CheckConstraint(
                name="porter_reserve_aux_collectivites_porteuses",
                condition=~Q(intention=Intention.PORTER) | Q(persona__in=PERSONAS_PORTEURS),
            ),
            models.CheckConstraint(
                name="manifestation_collectivite_coherente",
                condition=_only_matching_fk_set(required=False)
                & (Q(persona=Persona.STRUCTURE, type_collectivite="") | ~Q(persona=Persona.STRUCTURE)),
            ),
            models.CheckConstraint(
                name="manifestation_confirmee_datee",
                condition=~Q(statut=Statut.CONFIRMEE) | Q(confirmee_le__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.nom} — {self.get_intention_display()}"

    @property
    def nom(self) -> str:
        if self.persona == Persona.STRUCTURE:
            return self.structure_nom or "Structure sans nom"
        return self.collectivite_nom or "Collectivité à préciser"

    @property
    def is_structure(self) -> bool:
        return self.persona == Persona.STRUCTURE

    @property
    def is_brouillon(self) -> bool:
        return self.statut == Statut.BROUILLON

    @property
    def is_confirmee(self) -> bool:
        return self.statut == Statut.CONFIRMEE

    @property
    def siret(self) -> str:
        if self.is_structure:
            return self.structure_siret
        return ""

    @property
    def code_insee(self) -> str:
        """INSEE code of the collectivité (communes, départements, régions); SIREN for an EPCI."""
        return self.collectivite_code


class PerimetreCollectivite(CollectiviteRef, TimeStampedModel):
    """A collectivité of a porteur's périmètre. These become the « partenaires suggérés »."""

    manifestation = models.ForeignKey(
        ManifestationInteret,
        verbose_name="manifestation d'intérêt",
        on_delete=models.CASCADE,
        related_name="perimetre",
    )
    hors_territoire = models.BooleanField("hors du territoire du porteur", default=False)

    class Meta:
        verbose_name = "collectivité du périmètre"
        verbose_name_plural = "collectivités du périmètre"
        ordering = ["type_collectivite", "id"]
        constraints = [
            models.CheckConstraint(
                name="perimetre_une_collectivite", condition=_only_matching_fk_set(required=True)
            ),
            *(
                models.UniqueConstraint(
                    fields=["manifestation", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"perimetre_{field}_unique",
                )
                for field in COLLECTIVITE_FIELDS.values()
            ),
        ]

    def __str__(self):
        return self.collectivite_nom


class AutreStructure(TimeStampedModel):
    """Another structure a porteur wants to involve (name + contact)."""

    manifestation = models.ForeignKey(
        ManifestationInteret,
        verbose_name="manifestation d'intérêt",
        on_delete=models.CASCADE,
        related_name="autres_structures",
    )
    nom = models.CharField("nom de la structure", max_length=200)

    class Meta:
        verbose_name = "autre structure à impliquer"
        verbose_name_plural = "autres structures à impliquer"
        ordering = ["id"]

    def __str__(self):
        return self.nom


class Contact(TimeStampedModel):
    """A person: the form's contact politique/technique/structure, or the contact of a
    collectivité of the périmètre, or of another structure to involve."""

    manifestation = models.ForeignKey(
        ManifestationInteret,
        verbose_name="manifestation d'intérêt",
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    type = models.CharField("type de contact", max_length=16, choices=TypeContact.choices)
    perimetre = models.OneToOneField(
        PerimetreCollectivite,
        verbose_name="collectivité du périmètre",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact",
    )
    autre_structure = models.OneToOneField(
        AutreStructure,
        verbose_name="autre structure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact",
    )
    nom = models.CharField("nom", max_length=100)
    prenom = models.CharField("prénom", max_length=100)
    fonction = models.CharField("fonction", max_length=200)
    email = models.EmailField("adresse e-mail")

    class Meta:
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        ordering = ["manifestation_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["manifestation", "type"],
                condition=Q(perimetre__isnull=True, autre_structure__isnull=True),
                name="contact_principal_unique_par_type",
            ),
            models.CheckConstraint(
                name="contact_rattache_a_un_seul_objet",
                condition=Q(perimetre__isnull=True) | Q(autre_structure__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom} ({self.get_type_display()})"

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}".strip()
