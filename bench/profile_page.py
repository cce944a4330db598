"""Profile of single requests (not a test): where the time of one page goes, with cProfile.

    DATABASE_URL=postgres://… python bench/profile_page.py /departements/58/ --role prefecture
    python bench/profile_page.py /national/ --role admin --runs 20 --top 40
    python bench/profile_page.py /national/ --role admin --time-only --recompute   # without the cache

Runs on a database filled like bench/load.sh's (seed_demo + seed_national 101). The page is
requested once to warm the caches, then `runs` times under the profiler through Django's test
client (the middleware, the view, the templates: what gunicorn runs, without the network). Prints
the mean time per request without and with the profiler, the SQL queries, then the functions by cumulative and by own time.
"""

import argparse
import cProfile
import io
import os
import pstats
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

from comptes.enums import Role  # noqa: E402
from comptes.services import account_create_or_update  # noqa: E402
from core.cache import invalidate_all  # noqa: E402
from territoires.models import Departement  # noqa: E402

DOMAIN = "profile-bench.example"


def client_for(role: str) -> Client:
    client = Client()
    if role == "admin":
        user, _ = account_create_or_update(email=f"admin@{DOMAIN}", role=Role.ADMIN)
        client.force_login(user)
    elif role == "prefecture":
        user, _ = account_create_or_update(
            email=f"prefecture-58@{DOMAIN}",
            role=Role.PREFECTURE,
            departement=Departement.objects.get(code="58"),
        )
        client.force_login(user)
    return client


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path")
    parser.add_argument("--role", choices=["anonyme", "prefecture", "admin"], default="anonyme")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--time-only", action="store_true", help="the times and queries, no profile")
    parser.add_argument(
        "--recompute",
        action="store_true",
        help="renew every cached page's generation before each request: the cost of computing the page",
    )
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    client = client_for(args.role)

    def get():
        if args.recompute:
            invalidate_all()
        return client.get(args.path)

    response = get()
    with CaptureQueriesContext(connection) as context:
        get()
    queries = list(context.captured_queries)  # the context reads the log lazily: copy it now
    start = time.perf_counter()
    for _ in range(args.runs):
        get()
    plain = (time.perf_counter() - start) * 1000 / args.runs
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(args.runs):
        get()
    profiler.disable()
    elapsed = (time.perf_counter() - start) * 1000 / args.runs
    print(f"{args.path} ({args.role}) : HTTP {response.status_code}, {len(queries)} requêtes SQL")
    print(
        f"{plain:.1f} ms par requête sans profileur, {elapsed:.1f} ms sous le profileur (moyennes de {args.runs})"
    )
    if args.time_only:
        return
    for query in queries:
        print(f"  {query['time']}s  {query['sql'][:160]}")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
