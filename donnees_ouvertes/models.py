"""The published open-data files and the builds that produce them.

A build (`Publication`) is a Celery job whose state lives here: the data sets page says when the
files were last built, and a build that failed says why. Each data set's current file, per
format, is a `FichierPublie`: where it is in storage, its size, row count and SHA-256 (the ETag),
and when its content last changed (Last-Modified). Requests only read these rows and the stored
files: they never build a file.
"""

from django.db import models
from django.db.models import Q

from .enums import Declencheur, EtatPublication, Format


class Publication(models.Model):
    declencheur = models.CharField("déclencheur", max_length=16, choices=Declencheur.choices)
    etat = models.CharField(
        "état", max_length=16, choices=EtatPublication.choices, default=EtatPublication.EN_COURS
    )
    debut = models.DateTimeField("début", auto_now_add=True)
    fin = models.DateTimeField("fin", null=True, blank=True)
    raison = models.TextField("raison de l'échec", max_length=1000, blank=True)
    # Whether the files hold the platform's demonstration data (a demonstration environment only).
    avec_demonstration = models.BooleanField("avec les données de démonstration", default=False)

    class Meta:
        verbose_name = "publication des données ouvertes"
        verbose_name_plural = "publications des données ouvertes"
        ordering = ["-debut", "-id"]
        constraints = [
            # Two builds never run at once: the second one cannot even start.
            models.UniqueConstraint(
                fields=["etat"],
                condition=Q(etat=EtatPublication.EN_COURS),
                name="une_seule_publication_en_cours",
            )
        ]

    def __str__(self):
        return f"{self.get_declencheur_display()} — {self.debut:%d/%m/%Y %H:%M} ({self.get_etat_display()})"


class FichierPublie(models.Model):
    jeu = models.SlugField("jeu de données", max_length=50)
    format = models.CharField("format", max_length=8, choices=Format.choices)
    nom = models.CharField("fichier dans le stockage", max_length=255)
    # The file replaced by `nom`, kept one build longer for downloads already under way.
    precedent = models.CharField("fichier précédent", max_length=255, blank=True)
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    taille = models.PositiveBigIntegerField("taille (octets)")
    lignes = models.PositiveIntegerField("nombre de lignes")
    modifie_le = models.DateTimeField("contenu modifié le")
    publication = models.ForeignKey(
        Publication, verbose_name="dernière publication", on_delete=models.PROTECT, related_name="fichiers"
    )

    class Meta:
        verbose_name = "fichier publié"
        verbose_name_plural = "fichiers publiés"
        ordering = ["jeu", "format"]
        constraints = [models.UniqueConstraint(fields=["jeu", "format"], name="un_fichier_par_jeu_et_format")]

    def __str__(self):
        return f"{self.jeu}.{self.format}"
