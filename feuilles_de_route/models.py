"""A feuille de route as the gouvernance declares it: nom, porteur, périmètre, contrat préexistant.

The document itself (the official template's sections) is added by the feuille de route editor;
the declaration fields below stay what the gouvernance form writes.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from territoires.models import Epci

from .enums import ContratPreexistant, TypePerimetre


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
        "contrat préexistant", max_length=16, choices=ContratPreexistant.choices, blank=True
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
    def portee_par_prefecture(self) -> bool:
        return self.porteur_id is None

    @property
    def is_infra_departementale(self) -> bool:
        return self.perimetre == TypePerimetre.EPCI
