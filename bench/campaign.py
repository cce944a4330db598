"""Deadline-day load test (not a test): the platform under gunicorn with N workers, on the given
PostgreSQL and Redis, loaded by Locust (headless, loopback only, bounded in time) with the mix of
the last day of a campaign:

- préfectures open and save a section of their gouvernance, and ask for their feuille de route's
  PDF (queued: no worker runs, the bench measures the web side);
- local structures (associations; collectivités answer the same form) submit the « participer »
  interest form (entry, form, confirmation), each account once;
- ANCT exports the national table of the gouvernances (CSV).

For each N it prints the throughput, p50/p99 per action, the errors, and the rows stored
against the rows sent (nothing lost, nothing twice).

    DATABASE_URL=postgres://user:pw@127.0.0.1:5432/base REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/campaign.py [--duree 60] [--workers 2 4] [--utilisateurs 40]

The role of DATABASE_URL needs CREATEDB: the bench creates its own database (the given name with
« _campagne ») and drops it at the end; the given database is never touched. Redis: this run's
own key prefix and queues (bench/settings.py), deleted at the end. Everything listens on
127.0.0.1; every process started is stopped. Output and logs in bench/out/campagne/.
"""

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "campagne"
DOMAIN = "campagne-bench.example"
SECTION = "note-de-contexte"
EXPORT = "/national/tableaux/gouvernances/export.csv"


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def _session(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# --- Steps run in a Django process (subcommands) ------------------------------------------------


def cmd_prepare(args) -> None:
    """Accounts and their sessions: one préfecture per département whose gouvernance can be
    edited, structures for the interest forms, one ANCT administrator."""
    _django()
    from django.test import Client

    from comptes.enums import Role
    from comptes.services import account_create_or_update
    from feuilles_de_route.models import Document
    from gouvernances.models import Gouvernance

    prefectures = []
    for gouvernance in Gouvernance.objects.select_related("departement").order_by("departement__code"):
        code = gouvernance.departement.code
        user, _ = account_create_or_update(
            email=f"prefecture-{code.lower()}@{DOMAIN}",
            role=Role.PREFECTURE,
            departement=gouvernance.departement,
        )
        session = _session(user)
        client = Client()
        client.cookies["sessionid"] = session
        if client.get(f"/departements/{code}/gouvernance/{SECTION}/").status_code != 200:
            continue  # already sent or closed: not editable on the last day
        document = Document.objects.filter(feuille_de_route__gouvernance=gouvernance).order_by("id").first()
        prefectures.append(
            {"code": code, "session": session, "feuille": document.feuille_de_route_id if document else None}
        )
    structures = []
    for index in range(args.structures):
        user, _ = account_create_or_update(email=f"structure-{index:05d}@{DOMAIN}", role=Role.STRUCTURE)
        structures.append({"email": user.email, "session": _session(user)})
    admin, _ = account_create_or_update(email=f"anct@{DOMAIN}", role=Role.ADMIN)
    plan = {"prefectures": prefectures, "structures": structures, "admin": _session(admin)}
    Path(args.out).write_text(json.dumps(plan))
    print(
        f"{len(prefectures)} préfectures (gouvernance modifiable), {len(structures)} structures, 1 administrateur"
    )


def _counts(plan: dict) -> dict:
    from django.db.models import Count, Sum

    from candidatures.enums import Statut
    from candidatures.models import Contact, ManifestationInteret
    from feuilles_de_route.enums import EtatJob
    from feuilles_de_route.models import PdfJob
    from gouvernances.models import SectionState

    emails = [s["email"] for s in plan["structures"]]
    manifestations = ManifestationInteret.objects.filter(user__email__in=emails)
    codes = [p["code"] for p in plan["prefectures"]]
    versions = SectionState.objects.filter(gouvernance__departement_id__in=codes, section=SECTION)
    return {
        "formulaires": manifestations.filter(statut=Statut.CONFIRMEE).count(),
        # A journey cut by the end of the run leaves its draft: not a loss, shown apart.
        "brouillons": manifestations.exclude(statut=Statut.CONFIRMEE).count(),
        "comptes_en_double": manifestations.values("user").annotate(n=Count("id")).filter(n__gt=1).count(),
        "contacts": Contact.objects.filter(
            manifestation__in=manifestations.filter(statut=Statut.CONFIRMEE)
        ).count(),
        "versions_sections": versions.aggregate(total=Sum("version"))["total"] or 0,
        "pdf_jobs": PdfJob.objects.count(),
        # No worker runs: a feuille de route asked for keeps its one job « en attente ».
        "pdf_feuilles_en_attente": sorted(
            set(
                PdfJob.objects.filter(etat=EtatJob.EN_ATTENTE).values_list(
                    "document__feuille_de_route_id", flat=True
                )
            )
        ),
        "pdf_documents_en_double": PdfJob.objects.values("document")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
    }


def cmd_counts(args) -> None:
    _django()
    plan = json.loads(Path(args.plan).read_text())
    print(json.dumps(_counts(plan)))


# --- The driver -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: list[str], env: dict, *, timeout: int, log: Path | None = None) -> str:
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if log is not None:
        log.write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        raise SystemExit(
            f"Échec de {' '.join(command[:4])}… :\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/sante/pret/", timeout=2) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn n'est pas prêt sur {url}")


def one_run(*, workers: int, env: dict, plan_file: Path, tranche: tuple[int, int], args) -> dict:
    before = json.loads(run([sys.executable, __file__, "counts", "--plan", str(plan_file)], env, timeout=120))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    gunicorn_log = (OUT / f"gunicorn-{workers}.log").open("w")
    command = [sys.executable, "-m", "gunicorn", "fne.wsgi:application", "--workers", str(workers)]
    command += [
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    gunicorn = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=gunicorn_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    sent_file = OUT / f"envoyes-{workers}.json"
    prefix = OUT / f"locust-{workers}"
    try:
        wait_ready(url)
        locust_env = {
            **env,
            "CAMPAIGN_PLAN": str(plan_file),
            "CAMPAIGN_SENT": str(sent_file),
            "CAMPAIGN_STRUCTURES": f"{tranche[0]}:{tranche[1]}",
        }
        start = time.monotonic()
        users = str(args.utilisateurs)
        locust = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "campaign_locust.py"),
            "--headless",
        ]
        # The users still in a journey when the time is up finish it (45 s at most, then stopped).
        locust += ["--host", url, "-u", users, "-r", users, "-t", f"{args.duree}s", "--stop-timeout", "45"]
        # Failed requests are results to print, not a reason to stop: exit code 0 whatever happens.
        locust += [
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ]
        run(
            locust,
            locust_env,
            timeout=args.duree + 180,
            log=OUT / f"locust-{workers}.log",
        )
        elapsed = time.monotonic() - start
    finally:
        stop(gunicorn)
        gunicorn_log.close()
    after = json.loads(run([sys.executable, __file__, "counts", "--plan", str(plan_file)], env, timeout=120))
    sent = json.loads(sent_file.read_text())
    return {
        "workers": workers,
        "before": before,
        "after": after,
        "sent": sent,
        "elapsed": elapsed,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def figures(result: dict) -> dict[str, dict]:
    """Per action (and in all): requests per second, p50 and p99 (ms), failures, requests."""
    sent = result["sent"]
    timings, failures, elapsed = sent["timings"], sent["failures"], sent["elapsed"]
    rows = {}
    for name in [*sorted(timings), "Total"]:
        values = timings[name] if name != "Total" else [v for vs in timings.values() for v in vs]
        failed = failures.get(name, 0) if name != "Total" else sum(failures.values())
        rows[name] = {
            "rps": len(values) / elapsed,
            "p50": percentile(values, 0.50),
            "p99": percentile(values, 0.99),
            "failed": failed,
            "count": len(values),
        }
    return rows


def print_table(results: list[dict], args) -> None:
    tables = [figures(result) for result in results]
    actions = list(tables[0])
    print()
    print(
        f"Campagne, jour d'échéance : {args.utilisateurs} utilisateurs Locust simultanés, {args.duree} s par "
        f"mesure, gunicorn sur 127.0.0.1, PostgreSQL et Redis ({os.cpu_count()} cœurs partagés)"
    )
    print()
    print(
        "| Action | "
        + " | ".join(f"N = {r['workers']} : req/s ; p50 ; p99 (ms) ; erreurs" for r in results)
        + " |"
    )
    print("|---|" + "---|" * len(results))
    for action in actions:
        cells = []
        for table in tables:
            row = table.get(action)
            cells.append(
                "—"
                if row is None
                else f"{row['rps']:.1f} ; {row['p50']:.0f} ; {row['p99']:.0f} ; {row['failed']}/{row['count']}"
            )
        print(f"| {action} | " + " | ".join(cells) + " |")
    print()
    print(
        "Lignes enregistrées contre lignes envoyées (réponses acceptées, comptées par les utilisateurs Locust) :"
    )
    for result in results:
        before, after, sent = result["before"], result["after"], result["sent"]
        formulaires = after["formulaires"] - before["formulaires"]
        sections = after["versions_sections"] - before["versions_sections"]
        jobs = after["pdf_jobs"] - before["pdf_jobs"]
        asked = set(sent["pdf_feuilles"])
        # A feuille asked for again while its job waits finds that job: only the others make a row.
        new_asked = asked - set(before["pdf_feuilles_en_attente"])
        pdf_ok = (
            asked <= set(after["pdf_feuilles_en_attente"])
            and jobs == len(new_asked)
            and after["pdf_documents_en_double"] == 0
        )
        ok = (
            formulaires == sent["formulaires"]
            and after["contacts"] - before["contacts"] == sent["formulaires"]
            and after["comptes_en_double"] == 0
            and sections == sent["sections"]
            and pdf_ok
        )
        print(
            f"- N = {result['workers']} : formulaires confirmés {formulaires} enregistrés / {sent['formulaires']} "
            f"envoyés ({after['brouillons'] - before['brouillons']} brouillons de parcours interrompus par la fin "
            f"de la mesure ; aucun compte en double : {'oui' if after['comptes_en_double'] == 0 else 'NON'}) ; "
            f"sections {sections} enregistrées / {sent['sections']} envoyées ({sent['conflits']} refus 409 "
            f"de version périmée) ; PDF : {sent['pdf']} clics sur {len(asked)} feuilles de route, chacune avec "
            f"une seule demande en attente : {'oui' if pdf_ok else 'NON'} ({jobs} ligne(s) nouvelle(s) pour "
            f"{len(new_asked)} feuille(s) demandée(s) pour la première fois) ; exports {sent['exports']} ; "
            f"rien de perdu, rien en double : {'oui' if ok else 'NON'}"
        )


def main_driver(args) -> None:
    given = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not given.startswith("postgres") or not redis_url:
        raise SystemExit("DATABASE_URL (PostgreSQL) et REDIS_URL sont nécessaires.")
    OUT.mkdir(parents=True, exist_ok=True)
    bench_db = urlsplit(given).path.lstrip("/") + "_campagne"
    database_url = urlsplit(given)._replace(path="/" + bench_db).geturl()
    prefix = f"fne-campagne-{secrets.token_hex(5)}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FNE_S3_", "PYTEST_"))},
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "FNE_BENCH_PREFIX": prefix,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(OUT / "media"),
    }
    import psycopg

    with psycopg.connect(given, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{bench_db}"')
    try:
        start = time.monotonic()
        manage = [sys.executable, "manage.py"]
        run([*manage, "migrate", "--no-input", "-v", "0"], env, timeout=900)
        run([*manage, "seed_demo"], env, timeout=900, log=OUT / "seed_demo.log")
        print(
            run([*manage, "seed_national", "--departements", "101"], env, timeout=900)
            .strip()
            .splitlines()[-1]
        )
        plan_file = OUT / "plan.json"
        structures = args.structures_par_mesure * len(args.workers)
        print(
            run(
                [
                    sys.executable,
                    __file__,
                    "prepare",
                    "--out",
                    str(plan_file),
                    "--structures",
                    str(structures),
                ],
                env,
                timeout=900,
            ).strip()
        )
        print(f"Données prêtes en {time.monotonic() - start:.0f} s")
        results = []
        for index, workers in enumerate(args.workers):
            tranche = (index * args.structures_par_mesure, (index + 1) * args.structures_par_mesure)
            print(f"Mesure : gunicorn {workers} workers, {args.duree} s…", flush=True)
            results.append(one_run(workers=workers, env=env, plan_file=plan_file, tranche=tranche, args=args))
        print_table(results, args)
        (OUT / "resultats.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    finally:
        with psycopg.connect(given, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        import redis

        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
        for i in range(0, len(keys), 500):
            client.delete(*keys[i : i + 500])
        print(f"Base {bench_db} supprimée ; {len(keys)} clés Redis de ce banc supprimées")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("prepare")
    p.add_argument("--out", required=True)
    p.add_argument("--structures", type=int, required=True)
    p.set_defaults(func=cmd_prepare)
    p = sub.add_parser("counts")
    p.add_argument("--plan", required=True)
    p.set_defaults(func=cmd_counts)
    parser.add_argument("--duree", type=int, default=60, help="secondes par mesure (60 par défaut)")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4], help="workers gunicorn (2 4)")
    parser.add_argument("--utilisateurs", type=int, default=40, help="utilisateurs Locust simultanés")
    parser.add_argument("--structures-par-mesure", type=int, default=600)
    args = parser.parse_args()
    if args.command:
        args.func(args)
    else:
        main_driver(args)


if __name__ == "__main__":
    main()
