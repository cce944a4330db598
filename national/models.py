"""ANCT's own records about the départements: follow-up notes and the reminders already sent.

Neither is ever shown to a préfecture (comptes/perms.py decides who reads them).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import TEXT_PARAGRAPH, TEXT_SHORT, TimeStampedModel
from territoires.models import Departement


class SuiviDepartement(TimeStampedModel):
    """Follow-up notes an ANCT administrator keeps about one département."""

    departement = models.OneToOneField(
        Departement, verbose_name="département", on_delete=models.CASCADE, related_name="suivi_anct"
    )
    commentaire = models.TextField("commentaire de suivi", max_length=TEXT_PARAGRAPH, blank=True)
    probleme = models.TextField("problème identifié", max_length=TEXT_PARAGRAPH, blank=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "suivi d'un département (ANCT)"
        verbose_name_plural = "suivis des départements (ANCT)"
        ordering = ["departement_id"]

    def __str__(self):
        return f"Suivi — {self.departement_id}"


class RappelEnvoye(models.Model):
    """A deadline reminder sent to a département's préfecture: at most one per (département, échéance)."""

    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.CASCADE, related_name="rappels_anct"
    )
    echeance = models.ForeignKey(
        "gouvernances.Echeance", verbose_name="échéance", on_delete=models.CASCADE, related_name="rappels"
    )
    envoye_le = models.DateTimeField("envoyé le", auto_now_add=True)
    # The préfecture's addresses, written by the reminder task (a few accounts).
    destinataires = models.TextField("destinataires", max_length=TEXT_SHORT, blank=True)

    class Meta:
        verbose_name = "rappel d'échéance envoyé"
        verbose_name_plural = "rappels d'échéance envoyés"
        ordering = ["-envoye_le"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "echeance"], name="rappel_unique_par_echeance"),
        ]

    def __str__(self):
        return f"Rappel {self.echeance_id} — {self.departement_id}"
