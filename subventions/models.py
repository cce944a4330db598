"""Instruction et attribution des moyens: the State's dotations per département and fund, the
préfecture's demandes de subvention (each on a fiche action of a feuille de route), their
bénéficiaires among the gouvernance's members, and the conventions generated for them.

Writes go through services.py; every editable row carries a version (core.versioning) and its
history (django-simple-history).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from besoins.enums import Item
from core.models import NOTE_CONTEXTE, TEXT_SECTION, TimeStampedModel
from core.versioning import VersionedModel
from feuilles_de_route.enums import EtatJob
from territoires.models import Departement

from .enums import Fonds, Instruction, StatutDemande, TypologieBeneficiaire

MONTANT = {"max_digits": 12, "decimal_places": 2}
CONTEXTE_MAX = 3000


class Dotation(TimeStampedModel):
    """What a fund gives a département for a campaign year. Edited by administrators (admin,
    CSV import); never lowered below what its demandes already ask (the service says so)."""

    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="dotations"
    )
    fonds = models.CharField("fonds", max_length=16, choices=Fonds.choices)
    annee = models.PositiveSmallIntegerField("année de campagne")
    montant = models.DecimalField("montant (€)", **MONTANT)
    source = models.CharField(
        "source",
        max_length=300,
        blank=True,
        help_text="Par exemple « Arrêté de répartition du 12 mars 2024 ».",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dotation"
        verbose_name_plural = "dotations"
        ordering = ["-annee", "fonds", "departement_id"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "fonds", "annee"], name="dotation_unique"),
            models.CheckConstraint(name="dotation_montant_positif", condition=Q(montant__gte=0)),
        ]

    def __str__(self):
        return f"{self.get_fonds_display()} {self.annee} — {self.departement.nom}"


class NoteSubventions(VersionedModel, TimeStampedModel):
    """The « note de contexte des subventions » of a gouvernance (sanitised HTML)."""

    gouvernance = models.OneToOneField(
        "gouvernances.Gouvernance",
        verbose_name="gouvernance",
        on_delete=models.CASCADE,
        related_name="note_subventions",
    )
    texte = models.TextField("note de contexte des subventions (HTML nettoyé)", max_length=NOTE_CONTEXTE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "note de contexte des subventions"
        verbose_name_plural = "notes de contexte des subventions"

    def __str__(self):
        return f"Note de contexte des subventions — {self.gouvernance.departement.nom}"


def _budget_path(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"subventions/{instance.gouvernance_id}/budgets/{uuid.uuid4().hex}.{extension}"


class Demande(VersionedModel, TimeStampedModel):
    """A demande de subvention. Ingénierie: on a fiche action of a feuille de route, with its
    budget; formation: one bénéficiaire for the fund's fixed amount."""

    gouvernance = models.ForeignKey(
        "gouvernances.Gouvernance",
        verbose_name="gouvernance",
        on_delete=models.CASCADE,
        related_name="demandes_subvention",
    )
    dotation = models.ForeignKey(
        Dotation, verbose_name="dotation", on_delete=models.PROTECT, related_name="demandes"
    )
    fonds = models.CharField("fonds", max_length=16, choices=Fonds.choices)
    # RESTRICT: a fiche action (or feuille de route) a demande hangs on is not deleted alone;
    # deleting the whole gouvernance deletes both.
    feuille_de_route = models.ForeignKey(
        "feuilles_de_route.FeuilleDeRoute",
        verbose_name="feuille de route",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="demandes_subvention",
    )
    fiche_action = models.ForeignKey(
        "feuilles_de_route.FicheAction",
        verbose_name="action",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="demandes_subvention",
    )
    contexte = models.CharField("contexte", max_length=CONTEXTE_MAX, blank=True)
    description = models.TextField("description (HTML nettoyé)", max_length=TEXT_SECTION, blank=True)
    budget_global = models.DecimalField("budget global de l'action (€)", null=True, blank=True, **MONTANT)
    budget_fichier = models.FileField("budget prévisionnel", upload_to=_budget_path, blank=True)
    budget_nom = models.CharField("nom du fichier du budget prévisionnel", max_length=255, blank=True)
    subvention_demandee = models.DecimalField("subvention demandée (€)", **MONTANT)
    montant_rh = models.DecimalField("dont ressources humaines (€)", null=True, blank=True, **MONTANT)
    montant_prestations = models.DecimalField("dont prestations (€)", null=True, blank=True, **MONTANT)
    statut = models.CharField(
        "statut", max_length=16, choices=StatutDemande.choices, default=StatutDemande.BROUILLON
    )
    validee_le = models.DateTimeField("validée et envoyée le", null=True, blank=True)
    validee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    instruction = models.CharField(
        "dernière décision de l'ANCT", max_length=16, choices=Instruction.choices, blank=True
    )
    instruction_commentaire = models.TextField("commentaire ou motif de l'ANCT", max_length=3000, blank=True)
    instruite_le = models.DateTimeField("instruite le", null=True, blank=True)
    instruite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="instruite par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "demande de subvention"
        verbose_name_plural = "demandes de subvention"
        ordering = ["gouvernance_id", "fonds", "id"]
        constraints = [
            models.CheckConstraint(
                name="demande_subvention_positive", condition=Q(subvention_demandee__gt=0)
            ),
            models.CheckConstraint(
                name="demande_ingenierie_complete",
                condition=Q(fonds=Fonds.FORMATION)
                | (
                    Q(fiche_action__isnull=False)
                    & Q(feuille_de_route__isnull=False)
                    & Q(budget_global__gt=0)
                    & Q(subvention_demandee__lte=F("budget_global"))
                    & Q(montant_rh__gte=0)
                    & Q(montant_prestations__gte=0)
                    & Q(subvention_demandee=F("montant_rh") + F("montant_prestations"))
                ),
            ),
            models.UniqueConstraint(
                fields=["dotation"],
                condition=Q(fonds=Fonds.FORMATION) & ~Q(statut=StatutDemande.REJETEE),
                name="une_demande_formation_en_cours",
            ),
        ]

    def __str__(self):
        return self.titre

    @property
    def est_formation(self) -> bool:
        return self.fonds == Fonds.FORMATION

    @property
    def titre(self) -> str:
        if self.est_formation:
            return "Fonds de formation"
        return self.fiche_action.nom if self.fiche_action_id else "Demande de subvention"

    @property
    def modifiable(self) -> bool:
        return self.statut == StatutDemande.BROUILLON

    @property
    def modification_demandee(self) -> bool:
        return self.statut == StatutDemande.BROUILLON and self.instruction == Instruction.MODIFICATION

    @property
    def statut_affiche(self) -> str:
        if self.modification_demandee:
            return "Modification demandée"
        return StatutDemande(self.statut).label

    @property
    def badge(self) -> str:
        """The DSFR badge's modifier for the derived status."""
        if self.modification_demandee:
            return "fr-badge--warning"
        return {
            StatutDemande.BROUILLON: "fr-badge--new",
            StatutDemande.VALIDEE: "fr-badge--info",
            StatutDemande.ACCEPTEE: "fr-badge--success",
            StatutDemande.REJETEE: "fr-badge--error",
        }[StatutDemande(self.statut)]

    @property
    def part_subvention(self) -> Decimal | None:
        """The share of the budget global the subvention asks for, in percent."""
        if not self.budget_global:
            return None
        return (self.subvention_demandee * 100 / self.budget_global).quantize(Decimal("0.1"))


class BesoinVise(models.Model):
    """A besoin en ingénierie item the demande answers."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="besoins")
    item = models.CharField("besoin", max_length=32, choices=Item.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "besoin auquel répond la demande"
        verbose_name_plural = "besoins auxquels répond la demande"
        ordering = ["demande_id", "id"]
        constraints = [models.UniqueConstraint(fields=["demande", "item"], name="besoin_vise_unique")]

    def __str__(self):
        return self.get_item_display()


class Beneficiaire(models.Model):
    """A member of the gouvernance who receives part of the subvention."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="beneficiaires")
    # RESTRICT: a member who receives a subvention is not removed from the gouvernance alone.
    membre = models.ForeignKey(
        "gouvernances.Membre",
        verbose_name="membre bénéficiaire",
        on_delete=models.RESTRICT,
        related_name="subventions",
    )
    montant = models.DecimalField("montant (€)", **MONTANT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bénéficiaire"
        verbose_name_plural = "bénéficiaires"
        ordering = ["demande_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["demande", "membre"], name="beneficiaire_unique"),
            models.CheckConstraint(name="beneficiaire_montant_positif", condition=Q(montant__gt=0)),
        ]

    def __str__(self):
        return f"{self.membre} — {self.montant} €"

    @property
    def typologie(self) -> str:
        return TypologieBeneficiaire(self.membre.type_collectivite or TypologieBeneficiaire.STRUCTURE).label


def _modele_path(instance, filename: str) -> str:
    return f"subventions/modeles/{uuid.uuid4().hex}.docx"


class ModeleConvention(TimeStampedModel):
    """A DOCX template (docxtpl) of the convention de subvention, uploaded by an administrator to
    replace the one shipped with the platform. The latest active one is used."""

    nom = models.CharField("nom", max_length=200)
    fichier = models.FileField(
        "modèle DOCX",
        upload_to=_modele_path,
        help_text="Document Word (.docx) avec les balises docxtpl décrites dans le README.",
    )
    actif = models.BooleanField("utilisé pour les nouvelles conventions", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "modèle de convention"
        verbose_name_plural = "modèles de convention"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.nom


def _convention_path(instance, filename: str) -> str:
    return f"subventions/{instance.gouvernance_id}/conventions/{uuid.uuid4().hex}-{filename}"


class ConventionJob(TimeStampedModel):
    """A convention asked for one bénéficiaire: rendered by a Celery job whose state lives here
    (the same pattern as the feuilles de route's PDF jobs)."""

    gouvernance = models.ForeignKey(
        "gouvernances.Gouvernance", on_delete=models.CASCADE, related_name="convention_jobs"
    )
    membre = models.ForeignKey(
        "gouvernances.Membre", verbose_name="bénéficiaire", on_delete=models.CASCADE, related_name="+"
    )
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandée par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    etat = models.CharField("état", max_length=16, choices=EtatJob.choices, default=EtatJob.EN_ATTENTE)
    raison = models.TextField("raison de l'échec", max_length=1000, blank=True)
    file_indisponible = models.BooleanField("file de traitement indisponible à la demande", default=False)
    tentatives = models.PositiveSmallIntegerField("tentatives", default=0)
    fichier_docx = models.FileField("convention (DOCX)", upload_to=_convention_path, blank=True)
    fichier_pdf = models.FileField("convention (PDF)", upload_to=_convention_path, blank=True)
    nom_fichier = models.CharField("nom du fichier", max_length=255, blank=True)
    montant = models.DecimalField("montant de la convention (€)", null=True, blank=True, **MONTANT)
    debut = models.DateTimeField("début du rendu", null=True, blank=True)
    fin = models.DateTimeField("fin du rendu", null=True, blank=True)

    class Meta:
        verbose_name = "génération de convention"
        verbose_name_plural = "générations de conventions"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Convention {self.membre} — {self.get_etat_display()}"

    @property
    def en_cours(self) -> bool:
        return self.etat in (EtatJob.EN_ATTENTE, EtatJob.EN_COURS)
