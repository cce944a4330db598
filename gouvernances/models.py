"""The gouvernance of a département: its sections, its members, its comités, the coordination
of conseillers numériques, and the campaign calendar it answers to.

Writes go through services.py; each section carries its own version (SectionState) so that a
save made on a stale page is refused instead of silently overwriting a colleague's work.
"""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from candidatures.models import COLLECTIVITE_FIELDS, CollectiviteRef
from core.models import NOTE_CONTEXTE, TEXT_SHORT, TimeStampedModel
from core.validators import validate_campaign_date, validate_siret
from core.versioning import VersionedModel
from territoires.models import Departement
from territoires.search import collectivite_label

from .enums import Frequence, Section, StatutGouvernance, TypeComite


class Echeance(TimeStampedModel):
    """A date of the campaign calendar, edited by administrators in the admin."""

    code = models.SlugField("code", max_length=50, unique=True)
    libelle = models.CharField("libellé court", max_length=200)
    texte = models.TextField("texte affiché sur la page d'accueil", max_length=TEXT_SHORT, blank=True)
    date_limite = models.DateField("date limite", validators=[validate_campaign_date])
    date_affichee = models.CharField(
        "date affichée",
        max_length=50,
        blank=True,
        help_text="Par exemple « Juin 2024 » ; vide : la date limite est affichée.",
    )
    statut = models.CharField(
        "gouvernance attendue à cette date",
        max_length=16,
        choices=StatutGouvernance.choices,
        blank=True,
        help_text="Le formulaire de gouvernance se ferme après la dernière échéance qui en attend un statut.",
    )
    # What else the deadline expects: the préfectures that have not done it are reminded before.
    besoins_attendus = models.BooleanField(
        "besoins en ingénierie attendus à cette date",
        default=False,
        help_text="Les préfectures dont les besoins ne sont pas exprimés et priorisés sont relancées.",
    )
    feuilles_attendues = models.BooleanField(
        "feuilles de route approuvées attendues à cette date",
        default=False,
        help_text="Les préfectures dont une feuille de route n'est pas approuvée (ou qui n'en ont aucune) sont relancées.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "échéance de la campagne"
        verbose_name_plural = "échéances de la campagne"
        ordering = ["date_limite", "id"]

    def __str__(self):
        return f"{self.libelle} ({self.date_limite:%d/%m/%Y})"


class Gouvernance(TimeStampedModel):
    departement = models.OneToOneField(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="gouvernance"
    )
    statut = models.CharField(
        "statut", max_length=16, choices=StatutGouvernance.choices, default=StatutGouvernance.BROUILLON
    )
    sous_prefet_prenom = models.CharField("prénom du sous-préfet référent", max_length=100)
    sous_prefet_nom = models.CharField("nom du sous-préfet référent", max_length=100)
    sous_prefet_email = models.EmailField("e-mail du sous-préfet référent")
    pas_de_coporteur = models.BooleanField("pas de co-porteur", default=False)
    note_contexte = models.TextField("note de contexte (HTML nettoyé)", max_length=NOTE_CONTEXTE, blank=True)
    pressentie_remontee_le = models.DateTimeField("gouvernance pressentie remontée le", null=True, blank=True)
    definitive_remontee_le = models.DateTimeField("gouvernance définitive remontée le", null=True, blank=True)
    rouverte_jusquau = models.DateField(
        "rouverte jusqu'au",
        null=True,
        blank=True,
        validators=[validate_campaign_date],
        help_text="Après l'échéance, la préfecture peut de nouveau modifier le formulaire jusqu'à cette date incluse.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "gouvernance"
        verbose_name_plural = "gouvernances"
        ordering = ["departement_id"]

    def __str__(self):
        return f"Gouvernance — {self.departement.nom}"

    @property
    def sous_prefet_nom_complet(self) -> str:
        return f"{self.sous_prefet_prenom} {self.sous_prefet_nom}".strip()


class SectionState(VersionedModel):
    """The version of one section: counted by every save, checked against the page's version."""

    gouvernance = models.ForeignKey(Gouvernance, on_delete=models.CASCADE, related_name="sections")
    section = models.CharField("section", max_length=32, choices=Section.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "état d'une section"
        verbose_name_plural = "états des sections"
        constraints = [
            models.UniqueConstraint(fields=["gouvernance", "section"], name="section_unique_par_gouvernance")
        ]

    def __str__(self):
        return f"{self.get_section_display()} v{self.version}"


def structure_label(nom: str, siret: str) -> str:
    """What a structure member or candidate shows, like a collectivité's label."""
    return f"{nom} (structure, SIRET {siret})" if siret else f"{nom} (structure sans SIRET)"


class Membre(CollectiviteRef, TimeStampedModel):
    """A member: a collectivité of the referential, or a structure (name + SIRET)."""

    gouvernance = models.ForeignKey(Gouvernance, on_delete=models.CASCADE, related_name="membres")
    structure_nom = models.CharField("nom de la structure", max_length=200, blank=True)
    structure_siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    manifestation = models.ForeignKey(
        "candidatures.ManifestationInteret",
        verbose_name="manifestation d'intérêt d'origine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membres_gouvernance",
    )
    est_coporteur = models.BooleanField("co-porteur", default=False)
    # A member is saved without its contacts: they are asked for, not forced, before the
    # gouvernance is sent (pre-filled from the member's own form when it sent one).
    referent_prenom = models.CharField("prénom du référent", max_length=100, blank=True)
    referent_nom = models.CharField("nom du référent", max_length=100, blank=True)
    referent_fonction = models.CharField("fonction du référent", max_length=200, blank=True)
    referent_email = models.EmailField("e-mail du référent", blank=True)
    suppleant_prenom = models.CharField("prénom du suppléant", max_length=100, blank=True)
    suppleant_nom = models.CharField("nom du suppléant", max_length=100, blank=True)
    suppleant_fonction = models.CharField("fonction du suppléant", max_length=200, blank=True)
    suppleant_email = models.EmailField("e-mail du suppléant", blank=True)
    # When the member was told by e-mail (notifications.py): never twice, even when a task is retried.
    avis_membre_envoye_le = models.DateTimeField("avis d'adhésion envoyé le", null=True, blank=True)
    avis_coporteur_envoye_le = models.DateTimeField("avis de co-portage envoyé le", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["avis_membre_envoye_le", "avis_coporteur_envoye_le"])

    class Meta:
        verbose_name = "membre"
        verbose_name_plural = "membres"
        ordering = ["gouvernance_id", "type_collectivite", "structure_nom", "id"]
        constraints = [
            models.CheckConstraint(
                name="membre_collectivite_ou_structure",
                condition=(Q(type_collectivite="") & ~Q(structure_nom=""))
                | (~Q(type_collectivite="") & Q(structure_nom="")),
            ),
            models.CheckConstraint(
                name="coporteur_est_une_collectivite",
                condition=Q(est_coporteur=False) | ~Q(type_collectivite=""),
            ),
            *(
                models.UniqueConstraint(
                    fields=["gouvernance", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"membre_{field}_unique",
                )
                for field in COLLECTIVITE_FIELDS.values()
            ),
            models.UniqueConstraint(
                fields=["gouvernance", "structure_siret"],
                condition=~Q(structure_siret=""),
                name="membre_siret_unique",
            ),
        ]

    def __str__(self):
        return self.nom

    @property
    def is_structure(self) -> bool:
        return not self.type_collectivite

    @property
    def nom(self) -> str:
        return self.structure_nom if self.is_structure else self.collectivite_nom

    @property
    def key(self) -> str:
        """Stable key of the member's identity (« epci:200067106 », « candidature:12 », « siret:… »)."""
        if not self.is_structure:
            return self.collectivite_key
        if self.manifestation_id:
            return f"candidature:{self.manifestation_id}"
        return f"siret:{self.structure_siret}"

    @property
    def peut_porter(self) -> bool:
        """Any collectivité member may carry a feuille de route, communes included; a structure
        may not."""
        return not self.is_structure

    @property
    def label(self) -> str:
        """« Nevers (Commune, 58194) », « La Poste (structure, SIRET 35600000000048) »."""
        if self.is_structure:
            return structure_label(self.structure_nom, self.structure_siret)
        return collectivite_label(self.collectivite)

    @property
    def sans_referent(self) -> bool:
        return not (self.referent_nom.strip() and self.referent_email.strip())

    @property
    def sans_suppleant(self) -> bool:
        return not (self.suppleant_nom.strip() and self.suppleant_email.strip())

    @property
    def referent_nom_complet(self) -> str:
        return f"{self.referent_prenom} {self.referent_nom}".strip()

    @property
    def suppleant_nom_complet(self) -> str:
        return f"{self.suppleant_prenom} {self.suppleant_nom}".strip()


class Comite(TimeStampedModel):
    gouvernance = models.ForeignKey(Gouvernance, on_delete=models.CASCADE, related_name="comites")
    type = models.CharField("type de comité", max_length=16, choices=TypeComite.choices)
    type_precision = models.CharField("précisez le type", max_length=200, blank=True)
    frequence = models.CharField("fréquence", max_length=16, choices=Frequence.choices)
    # Asked again, in detail, by the feuille de route document: optional here.
    composition = models.TextField("composition", max_length=TEXT_SHORT, blank=True)
    role = models.TextField("rôle", max_length=TEXT_SHORT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "comité"
        verbose_name_plural = "comités"
        ordering = ["gouvernance_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="comite_autre_precise",
                condition=~Q(type=TypeComite.AUTRE) | ~Q(type_precision=""),
            )
        ]

    def __str__(self):
        return self.libelle

    @property
    def libelle(self) -> str:
        if self.type == TypeComite.AUTRE:
            return self.type_precision
        return self.get_type_display()


# Posts of coordinateur one structure asks for: a département counts a few; 50 is far above any.
POSTES_MAX = 50


class Coordination(TimeStampedModel):
    """A structure recruiting a coordinateur de conseillers numériques."""

    gouvernance = models.ForeignKey(Gouvernance, on_delete=models.CASCADE, related_name="coordinations")
    structure_nom = models.CharField("structure ou collectivité recruteuse", max_length=200)
    structure_siret = models.CharField("SIRET", max_length=14, validators=[validate_siret])
    nombre_postes = models.PositiveSmallIntegerField(
        "nombre de postes demandés", validators=[MaxValueValidator(POSTES_MAX)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "coordination des conseillers numériques"
        verbose_name_plural = "coordinations des conseillers numériques"
        ordering = ["gouvernance_id", "id"]
        constraints = [
            models.CheckConstraint(name="coordination_postes_positif", condition=Q(nombre_postes__gte=1)),
        ]

    def __str__(self):
        return f"{self.structure_nom} ({self.nombre_postes})"
