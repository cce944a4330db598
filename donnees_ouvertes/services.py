"""Building the open-data files: every published data set, as CSV and JSON, into the default
storage, then switching the published rows to the new files in one transaction.

- A file is named by its content's SHA-256: a build that finds the same content keeps the same
  file, ETag and Last-Modified, so that reusers polling with conditional requests download
  nothing new.
- The file a build replaces stays one build longer (a download may be under way), then goes.
- One build at a time (the database refuses a second « en cours » row); a build whose worker
  died is marked « échec » after `INTERROMPUE_APRES`, so the next one can start.
- Storage is Django's `default_storage` (MEDIA_ROOT here, whatever STORAGES says elsewhere):
  never a path on disk.
"""

import datetime
import hashlib
import logging
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import selectors
from .demonstration import publier_demonstration
from .enums import Declencheur, EtatPublication, Format
from .jeux import PUBLIES
from .models import FichierPublie, Publication
from .schema import Filtres, Jeu
from .writers import DoubleEcriture

logger = logging.getLogger(__name__)

DOSSIER = "donnees-ouvertes"
LOT = 2000
INTERROMPUE_APRES = datetime.timedelta(hours=2)
INTERROMPUE = "Publication interrompue : le processus s'est arrêté avant la fin."


def lots_de_lignes(jeu: Jeu, *, demonstration: bool, lot: int = LOT) -> Iterator[list[dict]]:
    """The data set's rows, `lot` main objects at a time (a fixed number of queries each)."""
    objets = jeu.objets(filtres=Filtres(), demonstration=demonstration)
    debut = 0
    while True:
        tranche = selectors.tranche(objets, debut, debut + lot)
        if tranche:
            yield jeu.lignes(tranche, demonstration=demonstration)
        if len(tranche) < lot:
            return
        debut += lot


def publication_start(*, declencheur: Declencheur | str) -> Publication | None:
    """The new build's row, or None when another build is running."""
    now = timezone.now()
    Publication.objects.filter(etat=EtatPublication.EN_COURS, debut__lt=now - INTERROMPUE_APRES).update(
        etat=EtatPublication.ECHEC, fin=now, raison=INTERROMPUE
    )
    try:
        with transaction.atomic():
            return Publication.objects.create(
                declencheur=Declencheur(declencheur), avec_demonstration=publier_demonstration()
            )
    except IntegrityError:
        return None


def publication_fail(*, publication_id: int, raison: str) -> None:
    Publication.objects.filter(pk=publication_id, etat=EtatPublication.EN_COURS).update(
        etat=EtatPublication.ECHEC, fin=timezone.now(), raison=raison
    )


def _write(jeu: Jeu, *, demonstration: bool) -> list[tuple[str, bytes, int]]:
    ecriture = DoubleEcriture(jeu.noms)
    for lignes in lots_de_lignes(jeu, demonstration=demonstration):
        ecriture.ecrire(lignes)
    return [(Format.CSV, ecriture.csv(), ecriture.lignes), (Format.JSON, ecriture.json(), ecriture.lignes)]


def _store(jeu: Jeu, fmt: str, contenu: bytes) -> tuple[str, str]:
    empreinte = hashlib.sha256(contenu).hexdigest()
    nom = f"{DOSSIER}/{jeu.slug}-{empreinte[:20]}.{fmt}"
    if not default_storage.exists(nom):
        nom = default_storage.save(nom, ContentFile(contenu))
    return nom, empreinte


@transaction.atomic
def _switch(publication: Publication, produits: list[dict]) -> list[str]:
    """Point each data set's row at its new file; return the files no row needs any more."""
    now = timezone.now()
    existants = {(f.jeu, f.format): f for f in FichierPublie.objects.select_for_update()}
    obsoletes = []
    for produit in produits:
        fichier = existants.get((produit["jeu"], produit["format"]))
        if fichier is None:
            FichierPublie.objects.create(**produit, modifie_le=now, publication=publication)
            continue
        if fichier.empreinte != produit["empreinte"]:
            if fichier.precedent and fichier.precedent not in (produit["nom"], fichier.nom):
                obsoletes.append(fichier.precedent)
            fichier.precedent = fichier.nom
            fichier.nom = produit["nom"]
            fichier.empreinte = produit["empreinte"]
            fichier.modifie_le = now
        fichier.taille = produit["taille"]
        fichier.lignes = produit["lignes"]
        fichier.publication = publication
        fichier.save()
    Publication.objects.filter(pk=publication.pk).update(etat=EtatPublication.TERMINEE, fin=now)
    return obsoletes


def publication_build(*, publication: Publication) -> Publication:
    """Write every published data set and publish the new files."""
    produits = []
    for jeu in PUBLIES.values():
        for fmt, contenu, lignes in _write(jeu, demonstration=publication.avec_demonstration):
            nom, empreinte = _store(jeu, fmt, contenu)
            produits.append(
                {
                    "jeu": jeu.slug,
                    "format": fmt,
                    "nom": nom,
                    "empreinte": empreinte,
                    "taille": len(contenu),
                    "lignes": lignes,
                }
            )
    for nom in _switch(publication, produits):
        default_storage.delete(nom)
    publication.refresh_from_db()
    return publication


def publication_run(*, declencheur: Declencheur | str) -> Publication | None:
    """One build, from start to end (None when another one is running). A failure is recorded
    on the build's row, then raised again (the task's retry policy decides what follows)."""
    publication = publication_start(declencheur=declencheur)
    if publication is None:
        logger.info("Publication des données ouvertes déjà en cours : rien à faire.")
        return None
    try:
        return publication_build(publication=publication)
    except Exception as exc:
        publication_fail(publication_id=publication.pk, raison=f"{type(exc).__name__} : {exc}"[:1000])
        raise


def publication_after_remontee() -> Publication | None:
    """For Celery beat, every few minutes: build when a gouvernance was sent since the last
    build started (or when nothing was ever built); otherwise do nothing."""
    derniere = selectors.derniere_publication()
    if derniere is None:
        return publication_run(declencheur=Declencheur.PREMIERE)
    remontee = selectors.derniere_remontee()
    if remontee is not None and remontee >= derniere.debut:
        return publication_run(declencheur=Declencheur.REMONTEE)
    return None
