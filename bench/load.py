"""Helpers of bench/load.sh (not a test): accounts and sessions for wrk, the pages measured and
their query counts, 200 concurrent submissions of the « participer » form against gunicorn, the
row count after them, and the final table.

    python bench/load.py sessions --out sessions.json
    python bench/load.py pages --sessions sessions.json        # role, label, path (tab-separated)
    python bench/load.py queries --sessions sessions.json --out queries.json
    python bench/load.py participer-prepare --count 200 --out users.json
    python bench/load.py participer-submit --url http://127.0.0.1:8000 --users users.json
    python bench/load.py participer-check --users users.json
    python bench/load.py table results.jsonl --queries queries.json

Sessions are opened server-side (`Client.force_login`) rather than through the login page: the
login is rate-limited, and seed_national's accounts have no usable password.

Each submitting client connects from its own loopback address (127.0.1.x): the platform
rate-limits public form posts per IP, and 200 agents of 200 structures do not share one.
"""

import argparse
import http.client
import json
import os
import re
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DOMAIN = "load-bench.example"
DEPARTEMENT = "58"


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fne.settings")
    import django

    django.setup()


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def cmd_sessions(args) -> None:
    _django()
    from comptes.enums import Role
    from comptes.services import account_create_or_update
    from feuilles_de_route.models import FeuilleDeRoute
    from territoires.models import Departement

    admin, _ = account_create_or_update(email=f"admin@{BENCH_DOMAIN}", role=Role.ADMIN)
    prefecture, _ = account_create_or_update(
        email=f"prefecture-{DEPARTEMENT}@{BENCH_DOMAIN}",
        role=Role.PREFECTURE,
        departement=Departement.objects.get(code=DEPARTEMENT),
    )
    # The feuille de route that seed_demo writes (axes, fiches, cibles): the editor's heaviest page.
    feuille = (
        FeuilleDeRoute.objects.filter(gouvernance__departement_id=DEPARTEMENT, documents__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    Path(args.out).write_text(
        json.dumps(
            {
                "admin": _session_cookie(admin),
                "prefecture": _session_cookie(prefecture),
                "feuille": feuille,
            }
        )
    )


# The pages of the main journeys, each with the role that opens it: (role, label, path).
# The floor of a role is /sante/ with that role's session cookie (the session and the user are
# loaded on every request, even on a public view), measured around each of its pages.
PAGES = [
    ("anonyme", "Accueil", "/"),
    ("anonyme", "Entrée du formulaire public", "/gouvernance/"),
    ("anonyme", "Données du département (public)", f"/departements/{DEPARTEMENT}/donnees/"),
    ("prefecture", "Accueil du département", f"/departements/{DEPARTEMENT}/"),
    ("prefecture", "Candidats", f"/departements/{DEPARTEMENT}/candidats/"),
    (
        "prefecture",
        "Candidats filtrés",
        f"/departements/{DEPARTEMENT}/candidats/?intention=participer&typologie=commune",
    ),
    ("prefecture", "Gouvernance", f"/departements/{DEPARTEMENT}/gouvernance/"),
    ("prefecture", "Besoins en ingénierie", f"/departements/{DEPARTEMENT}/besoins/"),
    ("prefecture", "Éditeur de feuille de route", "/feuilles-de-route/{feuille}/"),
    ("admin", "Tableau de bord national", "/national/"),
    ("admin", "Table nationale : gouvernances", "/national/tableaux/gouvernances/"),
    ("admin", "Table nationale : membres", "/national/tableaux/membres/"),
    ("admin", "Table nationale : feuilles de route", "/national/tableaux/feuilles-de-route/"),
    ("admin", "Table nationale : candidats", "/national/tableaux/candidats/"),
    ("admin", "Consolidation des besoins", "/national/besoins/"),
]
ROLES = {"anonyme": "non connecté", "prefecture": "préfecture", "admin": "administrateur"}
FLOOR = "/sante/"


def _pages(sessions: dict) -> list[tuple[str, str, str]]:
    return [(role, label, path.format(feuille=sessions["feuille"])) for role, label, path in PAGES]


def cmd_pages(args) -> None:
    """The pages to measure, one per line: role, label, path (tab-separated), grouped by role."""
    sessions = json.loads(Path(args.sessions).read_text())
    for role, label, path in _pages(sessions):
        print(f"{role}\t{label}\t{path}")


def cmd_queries(args) -> None:
    """SQL queries of one request to each page, with the session wrk sends (caches warm: the
    page is requested once before the counted request, as wrk's warm-up does)."""
    _django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    sessions = json.loads(Path(args.sessions).read_text())
    counts = {}
    for role, _label, path in [(r, "", FLOOR) for r in ROLES] + _pages(sessions):
        client = Client()
        if role != "anonyme":
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts[f"{role} {path}"] = {"queries": len(queries), "status": response.status_code}
    Path(args.out).write_text(json.dumps(counts))


def cmd_participer_prepare(args) -> None:
    _django()
    from comptes.enums import Role
    from comptes.services import account_create_or_update

    users = []
    for index in range(args.count):
        user, _ = account_create_or_update(email=f"structure-{index:03d}@{BENCH_DOMAIN}", role=Role.STRUCTURE)
        users.append({"email": user.email, "session": _session_cookie(user)})
    Path(args.out).write_text(json.dumps(users))


class Agent:
    """One structure's agent: its own connection from its own loopback address, cookies kept."""

    def __init__(self, base_url: str, index: int, session: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.source = f"127.0.1.{index + 1}" if index < 254 else f"127.0.2.{index - 253}"
        self.cookies = {"sessionid": session}
        self.index = index

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120, source_address=(self.source, 0))
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers.get("Location", ""), text
        finally:
            conn.close()

    def csrf(self, path: str) -> str:
        status, _, text = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if status != 200 or not match:
            raise RuntimeError(f"agent {self.index}: GET {path} → {status}, pas de jeton CSRF")
        return match.group(1)

    def submit(self, token: str) -> list[str]:
        """Entry page, « participer » form, confirmation, as a browser goes through them: each
        page read, then its form posted with every field the page renders (the platform refuses
        a body that lacks one), filled with this agent's answers. Returns the problems met."""
        problems = []
        steps = [
            (
                "/gouvernance/",
                "persona",
                {"persona": "structure", "intention": "participer"},
                "/gouvernance/formulaire/",
            ),
            (
                "/gouvernance/formulaire/participer/",
                "version",
                {
                    "structure_nom": f"Structure de charge {self.index:03d}",
                    "structure_siret": "",
                    "structure_sans_siret": "on",
                    "structure_type": "association",
                    "departement": DEPARTEMENT,
                    "contact_structure-prenom": "Camille",
                    "contact_structure-nom": f"Agent {self.index:03d}",
                    "contact_structure-fonction": "Coordinatrice",
                    "contact_structure-email": f"agent-{self.index:03d}@{BENCH_DOMAIN}",
                },
                "/gouvernance/formulaire/recapitulatif/",
            ),
            (
                "/gouvernance/formulaire/recapitulatif/",
                "/gouvernance/formulaire/confirmer/",
                {},
                "/gouvernance/formulaire/",
            ),
        ]
        sys.path.insert(0, str(ROOT))
        from tests.browser_form import forms_of

        # Each step: the page, the form to send (the one with that field, or that action), the
        # agent's answers, where the platform should send the agent next.
        for page, form_key, answers, expected in steps:
            status, _, text = self.request("GET", page)
            forms = [
                f
                for f in forms_of(text)
                if f.method == "post"
                and (
                    form_key in f.names
                    if not form_key.startswith("/")
                    else urlsplit(f.action).path == form_key
                )
            ]
            if status != 200 or not forms:
                problems.append(f"agent {self.index}: GET {page} → {status}, formulaire introuvable")
                break
            form = forms[0]
            body = {**form.as_post(), **answers}
            path = urlsplit(form.action).path or page
            status, location, _ = self.request("POST", path, body)
            if status != 302 or urlsplit(location).path != expected:
                problems.append(f"agent {self.index}: POST {path} → {status} {location}")
                break
        return problems


def cmd_participer_submit(args) -> None:
    users = json.loads(Path(args.users).read_text())
    agents = [Agent(args.url, i, u["session"]) for i, u in enumerate(users)]
    tokens = [agent.csrf("/gouvernance/") for agent in agents]  # sequential: not measured
    barrier = threading.Barrier(len(agents))
    problems: list[str] = []
    durations: list[float] = []
    lock = threading.Lock()

    def run(agent: Agent, token: str) -> None:
        barrier.wait()
        start = time.perf_counter()
        try:
            found = agent.submit(token)
        except Exception as exc:  # a refused or reset connection is a result, not a crash
            found = [f"agent {agent.index}: {exc!r}"]
        with lock:
            durations.append(time.perf_counter() - start)
            problems.extend(found)

    threads = [threading.Thread(target=run, args=(a, t)) for a, t in zip(agents, tokens, strict=True)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    durations.sort()
    print(
        f"{len(agents)} soumissions simultanées (chacune : 3 pages lues, entrée, formulaire, récapitulatif, et leurs 3 POST) "
        f"en {elapsed:.1f} s ; durée par agent p50 {durations[len(durations) // 2]:.2f} s, "
        f"max {durations[-1]:.2f} s ; erreurs : {len(problems)}"
    )
    for problem in problems[:20]:
        print("  " + problem)
    if problems:
        sys.exit(1)


def cmd_participer_check(args) -> None:
    _django()
    from django.db.models import Count

    from candidatures.enums import Statut
    from candidatures.models import Contact, ManifestationInteret

    users = json.loads(Path(args.users).read_text())
    emails = [u["email"] for u in users]
    manifestations = ManifestationInteret.objects.filter(user__email__in=emails)
    per_user = manifestations.values("user").annotate(n=Count("id"))
    confirmed = manifestations.filter(statut=Statut.CONFIRMEE, structure_departement_id=DEPARTEMENT).count()
    contacts = Contact.objects.filter(manifestation__in=manifestations)
    per_manifestation = contacts.values("manifestation").annotate(n=Count("id"))
    facts = {
        "comptes": len(emails),
        "formulaires": manifestations.count(),
        "formulaires confirmés": confirmed,
        "comptes avec plus d'un formulaire": sum(1 for row in per_user if row["n"] > 1),
        "contacts": contacts.count(),
        "formulaires avec plus d'un contact": sum(1 for row in per_manifestation if row["n"] > 1),
    }
    print("Lignes en base : " + ", ".join(f"{k} {v}" for k, v in facts.items()))
    expected = len(emails)
    ok = (
        facts["formulaires"] == facts["formulaires confirmés"] == facts["contacts"] == expected
        and facts["comptes avec plus d'un formulaire"] == facts["formulaires avec plus d'un contact"] == 0
    )
    print(
        f"Chaque soumission enregistrée exactement une fois : {'oui' if ok else 'NON'} ({expected} attendues)."
    )
    if not ok:
        sys.exit(1)


def _p50_of_floor(floors: list[dict], index: int) -> float:
    """The floor of a page: the mean p50 of the floor runs just before and just after it."""
    around = [row["p50"] for row in floors if row["index"] in (index - 1, index + 1)]
    return sum(around) / len(around)


def cmd_table(args) -> None:
    rows = [json.loads(line) for line in Path(args.results).read_text().splitlines() if line.strip()]
    queries = json.loads(Path(args.queries).read_text()) if args.queries else {}
    for index, row in enumerate(rows):
        row["index"] = index
    floors = [row for row in rows if row["url"] == FLOOR]
    header = (
        f"{'Page':<38} {'Rôle':<15} {'requêtes':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'plancher p50':>12} {'ratio':>6} {'erreurs':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        if row["url"] == FLOOR:
            continue
        floor = _p50_of_floor([f for f in floors if f["role"] == row["role"]], row["index"])
        counted = queries.get(f"{row['role']} {row['url']}", {})
        errors = row["status_errors"] + row["socket_errors"]
        print(
            f"{row['label']:<38} {ROLES[row['role']]:<15} {counted.get('queries', '?'):>8} "
            f"{row['rps']:>7.0f} {row['p50']:>7.1f} {row['p99']:>7.1f} {floor:>9.1f} ms "
            f"{row['p50'] / floor if floor else 0:>5.1f}× {errors:>7}"
        )
    print()
    for role, label in ROLES.items():
        p50s = [f"{f['p50']:.1f}" for f in floors if f["role"] == role]
        counted = queries.get(f"{role} {FLOOR}", {})
        print(
            f"Plancher {FLOOR} ({label}, {counted.get('queries', '?')} requêtes SQL) : "
            f"p50 successifs {', '.join(p50s)} ms"
        )
    print(
        "ratio = p50 de la page ÷ p50 du plancher du même rôle (moyenne des mesures juste avant et "
        "juste après la page) ; requêtes = requêtes SQL d'un appel, caches chauds."
    )
    print(
        "Pendant la mesure rien n'est écrit : les pages dont le contenu est gardé en cache jusqu'à la "
        "prochaine écriture (toutes celles du tableau ; les pages publiques entières pour les visiteurs "
        "sans session) sont lues dans Redis ; leur calcul se mesure avec bench/profile_page.py --recompute."
    )
    for row in rows:
        if row["status_errors"] + row["socket_errors"]:
            print(f"Attention : {row['url']} ({ROLES[row['role']]}) a eu des réponses en erreur.")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(required=True)
    p = sub.add_parser("sessions")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_sessions)
    p = sub.add_parser("pages")
    p.add_argument("--sessions", required=True)
    p.set_defaults(func=cmd_pages)
    p = sub.add_parser("queries")
    p.add_argument("--sessions", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_queries)
    p = sub.add_parser("participer-prepare")
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_participer_prepare)
    p = sub.add_parser("participer-submit")
    p.add_argument("--url", required=True)
    p.add_argument("--users", required=True)
    p.set_defaults(func=cmd_participer_submit)
    p = sub.add_parser("participer-check")
    p.add_argument("--users", required=True)
    p.set_defaults(func=cmd_participer_check)
    p = sub.add_parser("table")
    p.add_argument("results")
    p.add_argument("--queries")
    p.set_defaults(func=cmd_table)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
