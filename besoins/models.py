"""Besoins en ingénierie of a département: one set per gouvernance, one row per selected item,
the stored priority order of step 2. Writes go through services.py."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.versioning import VersionedModel

from . import rules
from .enums import Categorie, Item


class Besoins(VersionedModel, TimeStampedModel):
    """Both steps are saved from pages that carry the version they were read at."""

    gouvernance = models.OneToOneField(
        "gouvernances.Gouvernance",
        verbose_name="gouvernance",
        on_delete=models.CASCADE,
        related_name="besoins",
    )
    chef_de_projet = models.BooleanField(
        "besoin d'un chef de projet « Financement de l'inclusion numérique »", null=True, blank=True
    )
    chef_de_projet_structure = models.CharField(
        "structure(s) envisagée(s) pour porter le poste", max_length=300, blank=True
    )
    etudes = models.JSONField(
        "études d'ingénierie spécifiques", default=list, blank=True, help_text="Une étude par élément."
    )
    priorites = models.JSONField(
        "ordre de priorité",
        default=list,
        blank=True,
        help_text="Clés des cartes classées : codes des besoins, « ressource_humaine » pour la carte commune.",
    )
    priorisee_le = models.DateTimeField("priorisation enregistrée le", null=True, blank=True)
    # An explicit answer: the département has no besoin en ingénierie (then no row is selected).
    aucun_besoin = models.BooleanField("aucun besoin en ingénierie", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "besoins en ingénierie"
        verbose_name_plural = "besoins en ingénierie"
        ordering = ["gouvernance_id"]

    def __str__(self):
        return f"Besoins en ingénierie — {self.gouvernance.departement.nom}"


class Besoin(TimeStampedModel):
    """One selected item, with how it would be met."""

    besoins = models.ForeignKey(
        Besoins, verbose_name="besoins", on_delete=models.CASCADE, related_name="lignes"
    )
    categorie = models.CharField("catégorie", max_length=16, choices=Categorie.choices)
    item = models.CharField("besoin", max_length=32, choices=Item.choices)
    ressource_humaine = models.BooleanField("ressource humaine", default=False)
    etp = models.DecimalField("estimation en ETP", max_digits=5, decimal_places=2, null=True, blank=True)
    prestation = models.BooleanField("prestation de service", default=False)
    personnes_a_former = models.PositiveIntegerField("nombre de personnes à former", null=True, blank=True)
    precision = models.CharField("précision", max_length=300, blank=True)
    forme_des_personnes = models.BooleanField(
        "il s'agit de former des personnes",
        default=False,
        help_text="« Autre besoin de formation » uniquement : le nombre de personnes à former est alors demandé.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "besoin"
        verbose_name_plural = "besoins"
        ordering = ["besoins_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["besoins", "item"], name="besoin_unique_par_item"),
            models.CheckConstraint(
                name="besoin_etp_si_ressource_humaine",
                condition=(Q(ressource_humaine=True) & Q(etp__gt=0))
                | (Q(ressource_humaine=False) & Q(etp__isnull=True)),
            ),
            models.CheckConstraint(
                name="besoin_personnes_positif",
                condition=Q(personnes_a_former__isnull=True) | Q(personnes_a_former__gt=0),
            ),
        ]

    def __str__(self):
        return self.get_item_display()

    def as_ligne(self) -> rules.Ligne:
        return rules.Ligne(
            item=self.item,
            ressource_humaine=self.ressource_humaine,
            etp=self.etp,
            prestation=self.prestation,
            personnes_a_former=self.personnes_a_former,
            precision=self.precision,
            forme_des_personnes=self.forme_des_personnes,
        )

    @property
    def trains_people(self) -> bool:
        return self.as_ligne().trains_people

    @property
    def etp_affiche(self) -> str:
        return rules.format_etp(self.etp)
