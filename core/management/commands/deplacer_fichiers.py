"""Move the files kept on the local disk into the configured storage (the object store):

    python manage.py deplacer_fichiers [--source DOSSIER]

Every file under the source folder (MEDIA_ROOT by default) is copied to `default_storage` under
the same name (the name the database rows hold), then read back from the store and checked: same
size, same SHA-256. Idempotent: a file already in the store with the same content is counted
« déjà présent » and not sent again. A name the store holds with other content is never
overwritten: it is reported, and the command ends in error so that the operator looks at it.
The local files are left in place (remove the volume once the report is clean).
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from core.formats import french_number

CHUNK = 1024 * 1024


def _n(count: int, singular: str, plural: str) -> str:
    return f"{french_number(count)} {singular if count <= 1 else plural}"


def _checksum_local(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _checksum_stored(name: str) -> tuple[int, str]:
    handle, _ = default_storage.open_stream(name)
    digest = hashlib.sha256()
    size = 0
    try:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    finally:
        handle.close()
    return size, digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Copie les fichiers du disque local vers le stockage configuré et vérifie chacun (taille, SHA-256)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", help="dossier des fichiers à déplacer (par défaut MEDIA_ROOT)")

    def handle(self, *args, source=None, **options):
        root = Path(source or settings.MEDIA_ROOT)
        if not root.is_dir():
            raise CommandError(f"Dossier source introuvable : {root}")
        target = getattr(default_storage, "location", "")
        if not settings.FNE_S3_BUCKET and Path(target).resolve() == root.resolve():
            raise CommandError(
                "Le stockage configuré est ce même dossier : définissez FNE_S3_BUCKET (et ses "
                "variables) pour déplacer les fichiers vers le stockage objet."
            )
        counts = {"copiés": 0, "déjà présents": 0, "différents": 0, "échecs": 0}
        octets = 0
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            size = path.stat().st_size
            checksum = _checksum_local(path)
            if default_storage.exists(name):
                if _checksum_stored(name) == (size, checksum):
                    counts["déjà présents"] += 1
                else:
                    counts["différents"] += 1
                    self.stderr.write(f"Contenu différent dans le stockage, laissé tel quel : {name}")
                continue
            with path.open("rb") as handle:
                saved = default_storage.save(name, File(handle, name=path.name))
            if saved != name:
                counts["échecs"] += 1
                self.stderr.write(f"Enregistré sous un autre nom ({saved}) : {name}")
                continue
            if _checksum_stored(name) != (size, checksum):
                counts["échecs"] += 1
                self.stderr.write(f"Vérification en échec (taille ou empreinte) après copie : {name}")
                continue
            counts["copiés"] += 1
            octets += size
        total = sum(counts.values())
        self.stdout.write(
            f"{_n(total, 'fichier examiné', 'fichiers examinés')} dans {root} : "
            f"{_n(counts['copiés'], 'copié et vérifié', 'copiés et vérifiés')} ({french_number(octets)} octets), "
            f"{_n(counts['déjà présents'], 'déjà présent', 'déjà présents')}, "
            f"{_n(counts['différents'], 'différent', 'différents')}, "
            f"{counts['échecs']} en échec."
        )
        if counts["différents"] or counts["échecs"]:
            raise CommandError(
                "Des fichiers n'ont pas été déplacés (voir ci-dessus) : les fichiers locaux restent en place."
            )
