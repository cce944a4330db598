"""The territory referential: régions, départements, EPCI and communes.

Loaded by `manage.py import_territoires` from the compact file derived from
@etalab/decoupage-administratif (see territoires/data/README.md). Codes are the primary keys:
INSEE codes for régions, départements and communes, the SIREN for EPCI.
`nom_recherche` holds the name folded for search (lower case, no accents, no punctuation).

`Epci` holds the EPCI à fiscalité propre and, under the Métropole du Grand Paris (their
`parent`), its twelve territoires: the eleven établissements publics territoriaux, which are
EPCI too, and the Ville de Paris's own territoire. A commune of the Métropole has both: its
`epci` (the Métropole) and its `ept` (its territoire). A périmètre made of EPCI and EPT covers
the communes of either (`Commune.objects.in_groupements`).
"""

from collections.abc import Iterable

from django.db import models
from django.db.models import Q

from . import articles
from .enums import TERRITOIRES_GRAND_PARIS, TypeEpci, Zone


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    nom_recherche = models.CharField(max_length=100, db_index=True, editable=False)
    zone = models.CharField("zone", max_length=8, choices=Zone.choices, default=Zone.METRO)

    class Meta:
        verbose_name = "région"
        verbose_name_plural = "régions"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    @property
    def de_nom(self) -> str:
        """« de Bourgogne-Franche-Comté », « des Hauts-de-France », « d'Occitanie »."""
        return articles.de_nom(articles.tncc_region(self.code, self.nom), self.nom)


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    nom_recherche = models.CharField(max_length=100, db_index=True, editable=False)
    region = models.ForeignKey(
        Region, verbose_name="région", on_delete=models.PROTECT, related_name="departements"
    )
    zone = models.CharField("zone", max_length=8, choices=Zone.choices, default=Zone.METRO)
    chef_lieu = models.CharField("chef-lieu (code INSEE)", max_length=5, blank=True)
    population = models.PositiveIntegerField("population municipale", default=0)

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"

    @property
    def de_nom(self) -> str:
        """« de la Nièvre », « du Nord », « des Landes », « d'Eure-et-Loir »."""
        return articles.de_nom(articles.tncc_departement(self.code, self.nom), self.nom)


class EpciQuerySet(models.QuerySet):
    def collectivites(self) -> "EpciQuerySet":
        """The EPCI and EPT that are collectivités of their own (members, candidates, partners):
        the Ville de Paris's territoire is the Ville de Paris, offered as its commune and its
        département."""
        return self.exclude(type=TypeEpci.PARIS)


class Epci(models.Model):
    code = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField("nom", max_length=200)
    nom_recherche = models.CharField(max_length=200, db_index=True, editable=False)
    type = models.CharField("nature juridique", max_length=8, choices=TypeEpci.choices)
    population = models.PositiveIntegerField("population municipale", default=0)
    # Every département with at least one member commune: an EPCI may straddle two or more.
    departements = models.ManyToManyField(Departement, verbose_name="départements", related_name="epcis")
    # A territoire of the Grand Paris → the Métropole du Grand Paris.
    parent = models.ForeignKey(
        "self",
        verbose_name="métropole de rattachement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="territoires",
    )

    objects = EpciQuerySet.as_manager()

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    @property
    def is_territoire(self) -> bool:
        """One of the twelve territoires of the Métropole du Grand Paris (an EPT or Paris)."""
        return self.type in TERRITOIRES_GRAND_PARIS

    @property
    def sigle(self) -> str:
        """« EPT » or « EPCI », after a name in a list."""
        return "EPT" if self.type == TypeEpci.EPT else "EPCI"

    @property
    def de_nom(self) -> str:
        """« de la CA de Nevers », « de l'EPT Est Ensemble »."""
        return articles.de_epci(self.nom, ept=self.type == TypeEpci.EPT)

    @property
    def type_label(self) -> str:
        """What kind of groupement it is, for a reader: « EPCI » or « Établissement public territorial »."""
        return TypeEpci(self.type).label if self.is_territoire else "EPCI"


class CommuneQuerySet(models.QuerySet):
    def in_groupements(self, codes: Iterable[str]) -> "CommuneQuerySet":
        """Communes of any of these EPCI or territoires of the Grand Paris."""
        codes = list(codes)
        return self.filter(Q(epci_id__in=codes) | Q(ept_id__in=codes))


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField("nom", max_length=200)
    nom_recherche = models.CharField(max_length=200, db_index=True, editable=False)
    siren = models.CharField("SIREN", max_length=9, blank=True, db_index=True)
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="communes"
    )
    epci = models.ForeignKey(
        Epci, verbose_name="EPCI", on_delete=models.SET_NULL, null=True, blank=True, related_name="communes"
    )
    # Its territoire inside the Métropole du Grand Paris (an EPT, or Paris), besides its `epci`.
    ept = models.ForeignKey(
        Epci,
        verbose_name="territoire du Grand Paris",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes_territoire",
    )
    population = models.PositiveIntegerField("population municipale", default=0)
    # Space-separated postal codes ("58000 58660"), searched with `contains`.
    codes_postaux = models.CharField("codes postaux", max_length=200, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["nom"]

    def __str__(self):
        return f"{self.nom} ({self.code})"

    @property
    def codes_postaux_list(self) -> list[str]:
        return self.codes_postaux.split()

    @property
    def groupement_id(self) -> str | None:
        """The smallest groupement it belongs to: its territoire in the Grand Paris, else its EPCI."""
        return self.ept_id or self.epci_id


class AncienCodeCommune(models.Model):
    """A former INSEE code (merged commune, commune déléguée or associée) → its current commune."""

    code = models.CharField("ancien code INSEE", max_length=5, primary_key=True)
    nom = models.CharField("nom", max_length=200, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name="commune actuelle", on_delete=models.CASCADE, related_name="anciens_codes"
    )

    class Meta:
        verbose_name = "ancien code de commune"
        verbose_name_plural = "anciens codes de communes"

    def __str__(self):
        return f"{self.code} → {self.commune_id}"
