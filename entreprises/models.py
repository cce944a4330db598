"""What the State's « recherche d'entreprises » service says about a SIRET, looked up in the
background (tasks.py) and kept as a cache: a SIRET typed again is not looked up again before
`settings.SIRENE_CACHE_DAYS`. The names people typed stay on their own rows (a structure, a
member, a coordination): this table only says what the register knows, next to them."""

from django.db import models

from core.models import TimeStampedModel

from .enums import CATEGORIES_JURIDIQUES, StatutVerification


class Etablissement(TimeStampedModel):
    siret = models.CharField("SIRET", max_length=14, primary_key=True)
    statut = models.CharField(
        "statut", max_length=16, choices=StatutVerification.choices, default=StatutVerification.EN_COURS
    )
    nom = models.CharField("nom de l'établissement", max_length=300, blank=True)
    adresse = models.CharField("adresse", max_length=500, blank=True)
    code_naf = models.CharField("code NAF", max_length=10, blank=True)
    nature_juridique = models.CharField("catégorie juridique (code)", max_length=4, blank=True)
    verifie_le = models.DateTimeField("vérifié le", null=True, blank=True)
    tentatives = models.PositiveIntegerField("tentatives depuis la dernière réponse", default=0)
    derniere_tentative_le = models.DateTimeField("dernière tentative le", null=True, blank=True)
    derniere_erreur = models.CharField("dernière erreur", max_length=300, blank=True)

    class Meta:
        verbose_name = "établissement (Sirene)"
        verbose_name_plural = "établissements (Sirene)"
        ordering = ["siret"]

    def __str__(self):
        return f"{self.siret} — {self.get_statut_display()}"

    @property
    def forme_juridique(self) -> str:
        """« Société commerciale (5710) », from the code's first digit."""
        if not self.nature_juridique:
            return ""
        categorie = CATEGORIES_JURIDIQUES.get(self.nature_juridique[:1])
        return f"{categorie} ({self.nature_juridique})" if categorie else self.nature_juridique
