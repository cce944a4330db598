"""A feuille de route as the gouvernance declares it: nom, porteur, périmètre, contrat préexistant.

The document itself (the official template's sections) is added by the feuille de route editor;
the declaration fields below stay what the gouvernance form writes.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import TEXT_PARAGRAPH, TEXT_SECTION, TEXT_SHORT, TimeStampedModel
from core.validators import validate_campaign_date
from core.versioning import VersionedModel
from territoires.models import Epci

from .enums import (
    ContratPreexistant,
    EtatJob,
    Indicateur,
    SectionDocument,
    StatutDocument,
    TypeFinanceur,
    TypePerimetre,
)

# Bounds of the numbers a document holds. Coordinateurs: a département counts a handful (the
# gouvernance's coordination asks 50 at most per structure). Indicator targets count people,
# places, devices or accompaniments in one territory: the largest, accompaniments by 2027, stays
# well under a million even for the most populous département.
COORDINATEURS_MAX = 50
CIBLE_MAX = 1_000_000


class FeuilleDeRoute(TimeStampedModel):
    gouvernance = models.ForeignKey(
        "gouvernances.Gouvernance",
        verbose_name="gouvernance",
        on_delete=models.CASCADE,
        related_name="feuilles_de_route",
    )
    nom = models.CharField("nom de la feuille de route", max_length=200)
    # No porteur: « portée par la préfecture seule ».
    porteur = models.ForeignKey(
        "gouvernances.Membre",
        verbose_name="porteur",
        # A member who carries a feuille de route cannot be removed alone (the service says so);
        # deleting the whole gouvernance deletes both.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="feuilles_de_route_portees",
    )
    perimetre = models.CharField("périmètre", max_length=16, choices=TypePerimetre.choices)
    epcis = models.ManyToManyField(Epci, verbose_name="EPCI du périmètre", blank=True, related_name="+")
    contrat_preexistant = models.CharField(
        "contrat préexistant",
        max_length=16,
        choices=ContratPreexistant.choices,
        blank=True,
        help_text="Vide : pas encore renseigné (« Aucun » est une réponse).",
    )
    contrat_description = models.CharField("précisez le contrat", max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[epcis])

    class Meta:
        verbose_name = "feuille de route"
        verbose_name_plural = "feuilles de route"
        ordering = ["gouvernance_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="contrat_autre_decrit",
                condition=~Q(contrat_preexistant=ContratPreexistant.AUTRE) | ~Q(contrat_description=""),
            ),
        ]

    def __str__(self):
        return self.nom

    @property
    def contrat_declare(self) -> bool:
        """A contract exists and is named (neither « Aucun » nor unanswered)."""
        return self.contrat_preexistant not in ("", ContratPreexistant.AUCUN)

    @property
    def portee_par_prefecture(self) -> bool:
        return self.porteur_id is None

    @property
    def is_infra_departementale(self) -> bool:
        return self.perimetre == TypePerimetre.EPCI


# --- The document written along the official model ---------------------------------------------
# One Document per version of a feuille de route: an approved version is frozen and a new one
# starts as a copy. Each section carries its own version (SectionState; axes and fiches carry
# theirs) so that a save made from a stale page is refused instead of overwriting a colleague.


def _private_pdf_path(instance, filename: str) -> str:
    return f"feuilles_de_route/{instance.document_id}/pdf/{uuid.uuid4().hex}.pdf"


def _private_signed_path(instance, filename: str) -> str:
    return f"feuilles_de_route/{instance.document_id}/signees/{uuid.uuid4().hex}.pdf"


class Document(TimeStampedModel):
    feuille_de_route = models.ForeignKey(
        FeuilleDeRoute, verbose_name="feuille de route", on_delete=models.CASCADE, related_name="documents"
    )
    numero = models.PositiveSmallIntegerField("version", default=1)
    statut = models.CharField(
        "statut", max_length=16, choices=StatutDocument.choices, default=StatutDocument.REDACTION
    )
    soumise_le = models.DateTimeField("soumise à la gouvernance le", null=True, blank=True)
    approuvee_le = models.DateField(
        "approuvée le", null=True, blank=True, validators=[validate_campaign_date]
    )
    # Introduction
    specificites = models.TextField(
        "spécificités du territoire en lien avec l'inclusion numérique", blank=True, max_length=TEXT_SECTION
    )
    # I. Méthode d'élaboration
    historique = models.TextField(
        "historique des politiques d'inclusion numérique sur le territoire",
        blank=True,
        max_length=TEXT_SECTION,
    )
    etapes = models.TextField("grandes étapes de l'élaboration", blank=True, max_length=TEXT_SECTION)
    parties_prenantes = models.TextField("parties prenantes mobilisées", blank=True, max_length=TEXT_SECTION)
    # II. Synthèse du diagnostic
    besoins_publics = models.TextField(
        "éléments de diagnostic sur les besoins des publics", blank=True, max_length=TEXT_SECTION
    )
    offre = models.TextField(
        "éléments de diagnostic sur l'offre d'accompagnement", blank=True, max_length=TEXT_SECTION
    )
    enjeux = models.TextField("enjeux territoriaux identifiés", blank=True, max_length=TEXT_SECTION)
    # III. Ambition et positionnement
    positionnement = models.TextField(
        "positionnement du territoire sur l'inclusion numérique", blank=True, max_length=TEXT_SECTION
    )
    lien_coordinateur = models.TextField(
        "liens entre le coordinateur conseiller numérique et la gouvernance",
        blank=True,
        max_length=TEXT_SECTION,
    )
    # Publics cibles prioritaires
    publics_cibles = models.TextField(
        "publics prioritaires des actions de médiation numérique", blank=True, max_length=TEXT_SECTION
    )
    structures_prioritaires = models.TextField(
        "structures employeuses prioritaires", blank=True, max_length=TEXT_SECTION
    )
    # Moyens sollicités
    coordinateurs_postes = models.PositiveSmallIntegerField(
        "nombre de postes de conseillers numériques coordinateurs sollicités",
        null=True,
        blank=True,
        validators=[MaxValueValidator(COORDINATEURS_MAX)],
    )
    coordinateurs_structures = models.TextField(
        "structures employeuses de conseillers numériques coordinateurs", blank=True, max_length=TEXT_SECTION
    )
    chef_de_projet_besoin = models.BooleanField(
        "besoin d'un chef de projet « Financement de l'inclusion numérique »", default=False
    )
    chef_de_projet_structure = models.TextField(
        "structure(s) envisagée(s) pour porter ce poste", blank=True, max_length=TEXT_SECTION
    )
    etudes_ingenierie = models.TextField(
        "besoins en études d'ingénierie spécifiques", blank=True, max_length=TEXT_SECTION
    )
    appui_diagnostic = models.TextField(
        "besoins en diagnostic et en appui à la réalisation des feuilles de route",
        blank=True,
        max_length=TEXT_SECTION,
    )
    # Financements
    mutualisation = models.TextField(
        "stratégie de mutualisation des coûts", blank=True, max_length=TEXT_SECTION
    )
    # Véhicule contractuel
    vehicule_contractuel = models.TextField("véhicule contractuel local", blank=True, max_length=TEXT_SECTION)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "document de feuille de route"
        verbose_name_plural = "documents de feuille de route"
        ordering = ["feuille_de_route_id", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["feuille_de_route", "numero"], name="document_version_unique"),
            models.CheckConstraint(
                name="document_approuve_date",
                condition=~Q(statut=StatutDocument.APPROUVEE) | Q(approuvee_le__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.feuille_de_route} — version {self.numero}"

    @property
    def est_fige(self) -> bool:
        return self.statut == StatutDocument.APPROUVEE


class SectionState(VersionedModel):
    """The version of one section of a document: counted by every save of that section."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    section = models.CharField("section", max_length=32, choices=SectionDocument.choices)

    class Meta:
        verbose_name = "état d'une section du document"
        verbose_name_plural = "états des sections du document"
        constraints = [models.UniqueConstraint(fields=["document", "section"], name="etat_section_unique")]

    def __str__(self):
        return f"{self.get_section_display()} v{self.version}"


class Axe(VersionedModel, TimeStampedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="axes")
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    nom = models.CharField("nom de l'axe stratégique", max_length=250)
    description = models.TextField(
        "description de l'axe et lien avec les enjeux identifiés sur le territoire",
        blank=True,
        max_length=TEXT_PARAGRAPH,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "axe prioritaire"
        verbose_name_plural = "axes prioritaires"
        ordering = ["document_id", "ordre", "id"]

    def __str__(self):
        return self.nom


class FicheAction(VersionedModel, TimeStampedModel):
    axe = models.ForeignKey(Axe, on_delete=models.CASCADE, related_name="fiches")
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    nom = models.CharField("nom de l'action", max_length=250)
    objectifs = models.TextField("objectifs", blank=True, max_length=TEXT_PARAGRAPH)
    description = models.TextField("description", blank=True, max_length=TEXT_PARAGRAPH)
    pilote = models.CharField("pilote", max_length=250, blank=True)
    partenaires = models.TextField("partenaires impliqués", blank=True, max_length=TEXT_PARAGRAPH)
    cibles = models.TextField("cibles", blank=True, max_length=TEXT_PARAGRAPH)
    indicateurs = models.TextField("indicateurs de réussite", blank=True, max_length=TEXT_PARAGRAPH)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches action"
        ordering = ["axe_id", "ordre", "id"]

    def __str__(self):
        return self.nom


class IndicateurCible(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="indicateurs")
    indicateur = models.CharField("indicateur", max_length=32, choices=Indicateur.choices)
    cible_2023 = models.PositiveIntegerField(
        "cible 2023", null=True, blank=True, validators=[MaxValueValidator(CIBLE_MAX)]
    )
    cible_2025 = models.PositiveIntegerField(
        "cible 2025", null=True, blank=True, validators=[MaxValueValidator(CIBLE_MAX)]
    )
    cible_2027 = models.PositiveIntegerField(
        "cible 2027", null=True, blank=True, validators=[MaxValueValidator(CIBLE_MAX)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "cible d'indicateur"
        verbose_name_plural = "cibles des indicateurs"
        constraints = [models.UniqueConstraint(fields=["document", "indicateur"], name="indicateur_unique")]

    def __str__(self):
        return self.get_indicateur_display()


class Cofinancement(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="cofinancements")
    type_financeur = models.CharField("type de financeur", max_length=16, choices=TypeFinanceur.choices)
    montant = models.DecimalField(
        "montant envisagé (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    description = models.TextField("financeurs et engagements", blank=True, max_length=TEXT_SHORT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "co-financement"
        verbose_name_plural = "co-financements"
        constraints = [
            models.UniqueConstraint(fields=["document", "type_financeur"], name="cofinancement_unique")
        ]

    def __str__(self):
        return self.get_type_financeur_display()


class Signataire(TimeStampedModel):
    """A signatory added by the writers; the préfet and the porteur are derived from the
    gouvernance (stored here with `requis` only when a version is approved, to freeze them)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signataires")
    organisation = models.CharField("organisation", max_length=250)
    qualite = models.CharField("qualité du signataire", max_length=250, blank=True)
    nom = models.CharField("nom du signataire", max_length=200, blank=True)
    requis = models.BooleanField("signataire obligatoire", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "signataire"
        verbose_name_plural = "signataires"
        ordering = ["document_id", "-requis", "id"]

    def __str__(self):
        return self.organisation


class CoRedacteur(TimeStampedModel):
    """A person of the porteur collectivité invited by the préfecture to co-write its feuilles de route."""

    membre = models.ForeignKey(
        "gouvernances.Membre",
        verbose_name="membre porteur",
        on_delete=models.CASCADE,
        related_name="coredacteurs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="coredactions",
    )
    invite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="invité par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "co-rédacteur"
        verbose_name_plural = "co-rédacteurs"
        constraints = [models.UniqueConstraint(fields=["membre", "user"], name="coredacteur_unique")]

    def __str__(self):
        return f"{self.user} — {self.membre}"


class PdfJob(TimeStampedModel):
    """A PDF rendering asked by a user: its state lives here so that the page can show it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pdf_jobs")
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    etat = models.CharField("état", max_length=16, choices=EtatJob.choices, default=EtatJob.EN_ATTENTE)
    # What the page shows: a sentence the user can act on, never a path or an error number.
    raison = models.TextField("raison de l'échec", max_length=1000, blank=True)
    # The exception itself, for the team (admin and logs only).
    detail_technique = models.TextField("détail technique (administration)", max_length=2000, blank=True)
    file_indisponible = models.BooleanField("file de traitement indisponible à la demande", default=False)
    tentatives = models.PositiveSmallIntegerField("tentatives", default=0)
    # The Celery task running the job: a redelivered message (its pool child died) carries the
    # same id, a requeue by the sweeper a new one (see services.pdf_job_start).
    tache = models.CharField("tâche Celery", max_length=64, blank=True)
    fichier = models.FileField("fichier PDF", upload_to=_private_pdf_path, blank=True)
    pages = models.PositiveIntegerField("pages", null=True, blank=True)
    debut = models.DateTimeField("début du rendu", null=True, blank=True)
    fin = models.DateTimeField("fin du rendu", null=True, blank=True)

    class Meta:
        verbose_name = "génération de PDF"
        verbose_name_plural = "générations de PDF"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One job waits or runs per version of a document: asking again returns that job.
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(etat__in=[EtatJob.EN_ATTENTE, EtatJob.EN_COURS]),
                name="pdf_job_un_seul_en_cours_par_document",
            )
        ]

    def __str__(self):
        return f"PDF {self.document} — {self.get_etat_display()}"

    @property
    def en_cours(self) -> bool:
        return self.etat in (EtatJob.EN_ATTENTE, EtatJob.EN_COURS)


class CopieSignee(TimeStampedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="copies_signees")
    fichier = models.FileField("copie signée (PDF)", upload_to=_private_signed_path)
    nom_original = models.CharField("nom du fichier déposé", max_length=255)
    taille = models.PositiveBigIntegerField("taille (octets)")
    deposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposée par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "copie signée"
        verbose_name_plural = "copies signées"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.nom_original
