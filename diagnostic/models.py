"""Open data behind the diagnostic territorial, and the record of each import.

Every imported row points at the territory referential (commune, EPCI or département) so that
the indicators are plain aggregate queries. `ImportRun` keeps what each import did: the file,
the date of the data, the counts and every rejected line with its reason.
"""

from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel

from .enums import Source, typologie_label


class ImportRun(models.Model):
    source = models.CharField("source", max_length=32, choices=Source.choices, db_index=True)
    fichier = models.CharField("fichier", max_length=255)
    empreinte = models.CharField("empreinte SHA-256 du fichier", max_length=64)
    date_donnees = models.DateField("date des données", null=True, blank=True)
    # "2021" for a yearly index, a full date for an export: how to show date_donnees.
    date_donnees_annee_seule = models.BooleanField("seule l'année est connue", default=False)
    started_at = models.DateTimeField("début", auto_now_add=True)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    lus = models.PositiveIntegerField("enregistrements lus", default=0)
    crees = models.PositiveIntegerField("créés", default=0)
    mis_a_jour = models.PositiveIntegerField("mis à jour", default=0)
    inchanges = models.PositiveIntegerField("inchangés", default=0)
    rejetes = models.PositiveIntegerField("rejetés", default=0)
    # [{"ligne": 12, "motif": "...", "extrait": "..."}]: every rejected record.
    rejets = models.JSONField("lignes rejetées", default=list, blank=True)
    # [{"ligne": 12, "message": "..."}]: records imported with a correction or a missing value.
    avertissements = models.JSONField("avertissements", default=list, blank=True)

    class Meta:
        verbose_name = "import de données"
        verbose_name_plural = "imports de données"
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.get_source_display()} — {self.fichier} ({self.started_at:%d/%m/%Y %H:%M})"

    @property
    def date_donnees_affichage(self) -> str:
        if self.date_donnees is None:
            return "non indiquée"
        if self.date_donnees_annee_seule:
            return str(self.date_donnees.year)
        return self.date_donnees.strftime("%d/%m/%Y")


class LieuMediation(TimeStampedModel):
    """A lieu de médiation numérique, keyed by its producer (`source`) and its id there."""

    source = models.CharField("producteur de la donnée", max_length=200, blank=True)
    identifiant = models.CharField("identifiant chez le producteur", max_length=200)
    nom = models.CharField("nom", max_length=300)
    commune = models.ForeignKey(
        "territoires.Commune",
        verbose_name="commune",
        on_delete=models.CASCADE,
        related_name="lieux_mediation",
    )
    adresse = models.CharField("adresse", max_length=500)
    complement_adresse = models.CharField("complément d'adresse", max_length=500, blank=True)
    code_postal = models.CharField("code postal", max_length=5)
    pivot = models.CharField("SIRET ou RNA", max_length=14, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    # The first typology listed is the lieu's main one: charts count each lieu once, by it.
    typologie = models.CharField("typologie principale", max_length=32, blank=True, db_index=True)
    typologies = models.JSONField("typologies", default=list, blank=True)
    services = models.JSONField("services", default=list, blank=True)
    dispositifs = models.JSONField("dispositifs et programmes nationaux", default=list, blank=True)
    conseillers_numeriques = models.BooleanField("avec conseillers numériques", default=False)
    france_services = models.BooleanField("labellisé France services", default=False)
    aidants_connect = models.BooleanField("habilité Aidants Connect", default=False)
    en_qpv = models.BooleanField("signalé en quartier prioritaire (QPV)", default=False)
    en_zrr = models.BooleanField("signalé en zone de revitalisation rurale (ZRR)", default=False)
    itinerant = models.BooleanField("itinérant", default=False)
    date_maj = models.DateField("mis à jour par le producteur le", null=True, blank=True)

    class Meta:
        verbose_name = "lieu de médiation numérique"
        verbose_name_plural = "lieux de médiation numérique"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(fields=["source", "identifiant"], name="lieu_unique_par_source")
        ]

    def __str__(self):
        return self.nom

    @property
    def typologie_libelle(self) -> str:
        return typologie_label(self.typologie)

    @property
    def labels(self) -> list[str]:
        """The national labels the dashboards count, in their order."""
        return [
            label
            for label, present in (
                ("France services", self.france_services),
                ("Conseillers numériques", self.conseillers_numeriques),
                ("Aidants Connect", self.aidants_connect),
            )
            if present
        ]


class IndiceFragilite(TimeStampedModel):
    """Indice de fragilité numérique (0–10) of a commune or an EPCI, with its five sub-indices."""

    commune = models.OneToOneField(
        "territoires.Commune",
        verbose_name="commune",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indice_fragilite",
    )
    epci = models.OneToOneField(
        "territoires.Epci",
        verbose_name="EPCI",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indice_fragilite",
    )
    code_source = models.CharField("code dans le fichier source", max_length=9)
    score = models.FloatField("indice de fragilité numérique")
    sans_tres_haut_debit = models.FloatField(
        "sous-indice : absence de très haut débit", null=True, blank=True
    )
    sans_4g = models.FloatField("sous-indice : absence de couverture 4G", null=True, blank=True)
    pauvrete = models.FloatField("sous-indice : taux de pauvreté", null=True, blank=True)
    plus_de_65_ans = models.FloatField("sous-indice : part des plus de 65 ans", null=True, blank=True)
    non_diplomes = models.FloatField(
        "sous-indice : part des non-diplômés de 15 ans et plus", null=True, blank=True
    )

    class Meta:
        verbose_name = "indice de fragilité numérique"
        verbose_name_plural = "indices de fragilité numérique"
        constraints = [
            models.CheckConstraint(
                name="ifn_commune_xor_epci",
                condition=Q(commune__isnull=False, epci__isnull=True)
                | Q(commune__isnull=True, epci__isnull=False),
            ),
            models.CheckConstraint(name="ifn_score_0_10", condition=Q(score__gte=0, score__lte=10)),
        ]

    def __str__(self):
        return f"IFN {self.commune_id or self.epci_id} : {self.score}"


class AidantsConnectStructure(TimeStampedModel):
    uuid = models.UUIDField("identifiant Aidants Connect", unique=True)
    identifiant = models.PositiveIntegerField("numéro Aidants Connect")
    nom = models.CharField("nom", max_length=300)
    actif = models.BooleanField("active", default=True)
    commune = models.ForeignKey(
        "territoires.Commune",
        verbose_name="commune",
        on_delete=models.CASCADE,
        related_name="structures_aidants_connect",
    )
    adresse = models.CharField("adresse", max_length=500, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    france_services = models.BooleanField("labellisée France services", default=False)
    nb_aidants = models.PositiveIntegerField("aidants habilités", null=True, blank=True)
    nb_usagers = models.PositiveIntegerField("usagers uniques", null=True, blank=True)
    nb_demarches = models.PositiveIntegerField("démarches", null=True, blank=True)
    demarches_par_theme = models.JSONField("démarches par thème", default=dict, blank=True)

    class Meta:
        verbose_name = "structure Aidants Connect"
        verbose_name_plural = "structures Aidants Connect"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class ConseillersNumeriquesActivite(TimeStampedModel):
    """Activity reports of the conseillers numériques, aggregated for one département."""

    departement = models.OneToOneField(
        "territoires.Departement",
        verbose_name="département",
        on_delete=models.CASCADE,
        related_name="activite_conseillers_numeriques",
    )
    usagers = models.PositiveIntegerField("usagers accompagnés", default=0)
    accompagnements = models.PositiveIntegerField("accompagnements", default=0)
    accompagnements_individuels = models.PositiveIntegerField("accompagnements individuels", default=0)
    ateliers = models.PositiveIntegerField("participations à des ateliers", default=0)
    redirections = models.PositiveIntegerField("redirections", default=0)
    details = models.JSONField("détail (activité, statut, thèmes, âges)", default=dict, blank=True)

    class Meta:
        verbose_name = "activité des conseillers numériques"
        verbose_name_plural = "activités des conseillers numériques"
        ordering = ["departement"]

    def __str__(self):
        return f"Conseillers numériques — {self.departement_id}"
