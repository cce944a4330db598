"""Benchmark of the national consolidation (not a test): time and query count of /national/ and of
each table page, and time of each full export, for 10 and for 101 départements of seed_national.

Needs the full territory referential on a scratch database:

    export DATABASE_URL=sqlite:////tmp/bench-national.sqlite3
    python manage.py migrate && python manage.py import_territoires
    python bench/national.py            # runs seed_national --reset for 10, then for 101

The point to check: the query count of every page is the same for 10 and 101 départements.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fne.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from comptes.enums import Role  # noqa: E402
from comptes.models import User  # noqa: E402
from national import seed  # noqa: E402
from national.views import TABLES  # noqa: E402

RUNS = 3


def measure(client: Client, url: str) -> tuple[float, int, int, int, float]:
    """Best of RUNS: (milliseconds, queries, status, bytes, CPU milliseconds of this process — what
    an idle machine would show when others compete for the cores, the database server's aside)."""
    best = None
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start, cpu_start = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
            cpu = (time.process_time() - cpu_start) * 1000
        content = b"".join(response.streaming_content) if response.streaming else response.content
        result = (elapsed, len(queries), response.status_code, len(content), cpu)
        if best is None or result[0] < best[0]:
            best = result
    return best


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    admin, _ = User.objects.get_or_create(email="bench-admin@anct.example", defaults={"role": Role.ADMIN})
    client = Client()
    client.force_login(admin)
    pages = [("/national/", reverse("national:tableau_de_bord"))] + [
        (f"table {name}", reverse("national:table", args=[name])) for name in TABLES
    ]
    exports = [
        (f"export {name}.{fmt}", reverse("national:export", args=[name, fmt]))
        for name in TABLES
        for fmt in ("csv", "xlsx")
    ]
    results = {}
    for nombre in (10, 101):
        seed.reset()
        start = time.perf_counter()
        counts = seed.seed_national(nombre=nombre, seed=42)
        print(f"seed_national {nombre}: {time.perf_counter() - start:.1f} s — {counts}")
        for label, url in pages + exports:
            results.setdefault(label, {})[nombre] = measure(client, url)
    print()
    print(f"{'page':<30} {'10 dép.':>36} {'101 dép.':>36}")
    for label, by_size in results.items():
        cells = [
            f"{ms:6.0f} ms (CPU {cpu:4.0f}) {q:3d} req. {size // 1024:4d} Ko"
            for ms, q, status, size, cpu in by_size.values()
        ]
        statuses = {status for _, _, status, _, _ in by_size.values()}
        print(f"{label:<30} {cells[0]:>36} {cells[1]:>36}  {'OK' if statuses == {200} else statuses}")
    grew = [label for label, s in results.items() if not label.startswith("export") and s[10][1] != s[101][1]]
    print()
    print("Pages dont le nombre de requêtes augmente :", ", ".join(grew) or "aucune")
    slow = [label for label, s in results.items() if label.startswith("export") and s[101][0] >= 1000]
    slow_cpu = [label for label, s in results.items() if label.startswith("export") and s[101][4] >= 1000]
    print("Exports de plus d'une seconde à 101 départements (objectif : aucun) :", ", ".join(slow) or "aucun")
    print("… en temps CPU :", ", ".join(slow_cpu) or "aucun")


if __name__ == "__main__":
    main()
