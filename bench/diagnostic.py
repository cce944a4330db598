"""Benchmark of the diagnostic (not a test): national-size imports and the largest département's dashboard.

Needs the full territory referential. Run it on a scratch database, e.g.:

    DATABASE_URL=sqlite:////tmp/fne-bench.sqlite3 python manage.py migrate
    DATABASE_URL=sqlite:////tmp/fne-bench.sqlite3 python manage.py import_territoires
    DATABASE_URL=sqlite:////tmp/fne-bench.sqlite3 python bench/diagnostic.py

It generates, in a temporary folder, an IFN commune file of 35,000 rows and a lieux file of
20,000 rows in the published formats (made-up values on real commune codes), imports each twice
(first run: creations; second: nothing changes) and renders /departements/<largest>/donnees/.
"""

import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fne.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from diagnostic import services  # noqa: E402
from diagnostic.enums import Echelon  # noqa: E402
from diagnostic.parsers.ifn import COLUMNS as IFN_COLUMNS  # noqa: E402
from diagnostic.parsers.lieux import V1_COLUMNS  # noqa: E402
from territoires.models import Commune, Departement  # noqa: E402

IFN_ROWS = 35_000
LIEUX_ROWS = 20_000
TYPOLOGIES = ["RFS", "BIB", "CCAS", "EPN", "TIERS_LIEUX|ASSO", "MUNI", "CS", "PIMMS", "ASSO", "MJC"]
DISPOSITIFS = ["France Services|Conseillers numériques", "Conseillers numériques", "Aidants Connect", ""]


def write_ifn(path: Path, communes: list[tuple[str, str, str]], rng: random.Random) -> None:
    codes = [(code, nom) for code, nom, _ in communes]
    # Pad to 35,000 rows with former codes that the referential does not know (rejected rows).
    codes += [(f"99{i:03d}", f"Commune inconnue {i}") for i in range(IFN_ROWS - len(codes))]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(IFN_COLUMNS)
        for code, nom in codes[:IFN_ROWS]:
            subs = [round(rng.uniform(0, 10), 1) for _ in range(5)]
            writer.writerow([nom, "city", code, *subs, round(sum(subs) / 5, 1)])


def write_lieux(path: Path, communes: list[tuple[str, str, str]], rng: random.Random) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(V1_COLUMNS)
        for i in range(LIEUX_ROWS):
            code, nom, codes_postaux = rng.choice(communes)
            row = dict.fromkeys(V1_COLUMNS, "")
            row.update(
                id=f"bench-{i}",
                nom=f"Lieu numérique {i}",
                commune=nom,
                code_postal=codes_postaux.split()[0],
                # One lieu in ten without its INSEE code: recovered from postal code and name.
                code_insee="" if i % 10 == 0 else code,
                adresse=f"{i} place de la Mairie",
                typologie=rng.choice(TYPOLOGIES),
                source="Benchmark",
                date_maj=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                services="Aide aux démarches administratives|Maîtrise des outils numériques du quotidien",
                dispositif_programmes_nationaux=rng.choice(DISPOSITIFS),
            )
            writer.writerow(row.values())


def timed_import(label: str, service, path: Path, **options) -> None:
    for attempt in ("1er import", "2e import"):
        start = time.perf_counter()
        run = service(text=path.read_text(encoding="utf-8"), fichier=path.name, **options)
        elapsed = time.perf_counter() - start
        print(
            f"{label} — {attempt} : {elapsed:.2f} s ({run.lus} lus, {run.crees} créés, "
            f"{run.mis_a_jour} mis à jour, {run.inchanges} inchangés, {run.rejetes} rejetés)"
        )


def main() -> None:
    communes = list(Commune.objects.values_list("code", "nom", "codes_postaux").exclude(codes_postaux=""))
    if len(communes) < 30_000:
        sys.exit(
            "Référentiel incomplet : lancez d'abord `python manage.py import_territoires` (France entière)."
        )
    print(f"Base : {connection.vendor}, {len(communes)} communes avec code postal")
    rng = random.Random(2027)
    with tempfile.TemporaryDirectory() as tmp:
        ifn, lieux = Path(tmp) / "ifn_communes_2021_bench.csv", Path(tmp) / "lieux_bench.csv"
        write_ifn(ifn, communes, rng)
        write_lieux(lieux, communes, rng)
        timed_import(f"IFN communes ({IFN_ROWS} lignes)", services.ifn_import, ifn, echelon=Echelon.COMMUNE)
        timed_import(f"Lieux ({LIEUX_ROWS} lignes)", services.lieux_import, lieux)

    largest = Departement.objects.annotate(n=Count("communes")).order_by("-n").first()
    client = Client()
    url = f"/departements/{largest.code}/donnees/"
    client.get(url)  # warm-up (template loading)
    for query in ("", "?tri=-lieux", "?sans_lieu=true&ifn_min=7"):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url + query)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        print(
            f"Tableau de bord {largest.nom} ({largest.code}, {largest.n} communes) {url}{query} : "
            f"{elapsed * 1000:.0f} ms, {len(queries)} requêtes SQL, {len(response.content) // 1024} Ko"
        )
    start = time.perf_counter()
    response = client.get(f"/departements/{largest.code}/donnees/communes.xlsx")
    print(f"Export XLSX des {largest.n} communes : {(time.perf_counter() - start) * 1000:.0f} ms")
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        client.get("/national/donnees/")
        print(
            f"Tableau national : {(time.perf_counter() - start) * 1000:.0f} ms, {len(queries)} requêtes SQL"
        )


if __name__ == "__main__":
    main()
