"""Test guard rails and the fixtures every app's tests share.

- An unknown template variable fails the test instead of rendering as an empty string.
- Warnings are errors (pyproject's filterwarnings keeps a narrow ignore list).
- The test database holds a real subset of the territory referential, loaded once per session
  from the file the project ships: Bourgogne-Franche-Comté, the Allier (CA Moulins Communauté
  straddles Allier and Nièvre), the Creuse and the Charente (open-data samples).
- Safe in parallel (scripts/test runs pytest-xdist): each worker has its own cache keys, test
  database and MEDIA_ROOT. SQLite's test database is a file (WAL needs one; the concurrency
  tests open several connections to it), one per worker.
"""

import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from comptes.enums import Role

# The Nièvre data set of the access matrix and the page audits (module-scoped fixtures).
pytest_plugins = ["tests.nievre", "tests.s3_fake"]

TEST_DEPARTEMENTS = ["21", "25", "39", "58", "70", "71", "89", "90", "03", "23", "16", "93"]


class InvalidTemplateVariable(str):
    def __mod__(self, other):
        raise AssertionError(f"Variable de gabarit inconnue : {other!r}")


def _flush_with_deletes() -> None:
    """The transactional tests (live server journeys, real workers) empty every table when they
    end. PostgreSQL's TRUNCATE gives each of the ninety tables new files: four seconds for empty
    tables, after each such test. DELETE empties them in a few tens of milliseconds; Django's
    foreign keys are deferred to the commit, so the order does not matter. A flush that resets
    the sequences keeps TRUNCATE … RESTART IDENTITY."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences:
            return truncate(self, style, tables, reset_sequences=True, allow_cascade=allow_cascade)
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]  # noqa: S608 - model tables

    DatabaseOperations.sql_flush = sql_flush


def pytest_configure(config):
    # Each pytest-xdist worker gets its own cache keys (tests/worker_cache.py). Its own database
    # comes from pytest-django (test database name suffixed with the worker's name; SQLite's test
    # database is in memory, so per process anyway) and its own MEDIA_ROOT from tmp_path below.
    from django.test.utils import override_settings

    # SQLite's test database is a file (fne/settings.py): its folder must exist. A throwaway
    # database needs no durability: without synchronous writes, building it (migrations, the
    # territory subset) takes seconds instead of minutes of disk flushes. WAL and the immediate
    # transactions, which the concurrency tests rely on, stay.
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and database.get("TEST", {}).get("NAME"):
        Path(database["TEST"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        database["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
    # PostgreSQL's counterpart: a commit does not wait for its WAL to reach the disk (a crash could
    # lose the last commits of a test database, never corrupt it). The transactional tests empty
    # every table after each test and the workers build their databases through a few hundred
    # commits: each commit was a disk flush.
    if database["ENGINE"].endswith("postgresql"):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
        _flush_with_deletes()

    from tests.worker_cache import worker_caches

    # The fast hasher for the whole session, not only inside each test (`_test_settings`): the
    # accounts of the module-scoped data sets (tests/nievre.py) are created before any test's
    # settings apply, and Django's default hasher spends most of a second on each password.
    override_settings(
        CACHES=worker_caches(settings.CACHES),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ).enable()


@pytest.fixture(autouse=True, scope="session")
def _strict_templates():
    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["string_if_invalid"] = InvalidTemplateVariable("%s")
    return


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No SIRET lookup unless a test serves the fake service (`sirene`): never the internet.
    settings.SIRENE_API_URL = ""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# Cleared while the fake « recherche d'entreprises » service is answering slowly: it answers one
# request at a time, so a test waits for a slow answer to end before the next test asks.
sirene_busy = threading.Event()
sirene_busy.set()


@pytest.fixture
def sirene(httpserver, settings):
    """The « recherche d'entreprises » service, faked by a local HTTP server (pytest-httpserver)."""
    settings.SIRENE_API_URL = httpserver.url_for("/")
    settings.SIRENE_TIMEOUT = 5
    yield httpserver
    sirene_busy.wait(timeout=10)


def load_test_territoires() -> None:
    call_command("import_territoires", departements=TEST_DEPARTEMENTS, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_test_territoires()


@pytest.fixture(autouse=True)
def _cache_clear():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- Accounts, one per role -------------------------------------------------------------------

PASSWORD = "mot-de-passe-de-test"


def make_user(email, role, *, departement=None, region=None):
    from comptes.services import account_create_or_update
    from territoires.models import Departement, Region

    user, _ = account_create_or_update(
        email=email,
        role=role,
        departement=Departement.objects.get(code=departement) if departement else None,
        region=Region.objects.get(code=region) if region else None,
        password=PASSWORD,
    )
    return user


@pytest.fixture
def admin_user(db):
    return make_user("admin@anct.test", Role.ADMIN)


@pytest.fixture
def demo_user(db):
    return make_user("demo@anct.test", Role.DEMO)


@pytest.fixture
def prefecture_58(db):
    return make_user("agent@nievre.test", Role.PREFECTURE, departement="58")


@pytest.fixture
def prefecture_21(db):
    return make_user("agent@cote-d-or.test", Role.PREFECTURE, departement="21")


@pytest.fixture
def prefecture_23(db):
    return make_user("agent@creuse.test", Role.PREFECTURE, departement="23")


@pytest.fixture
def region_bfc(db):
    return make_user("sgar@bfc.test", Role.PREFECTURE_REGION, region="27")


@pytest.fixture
def region_naq(db):
    return make_user("sgar@nouvelle-aquitaine.test", Role.PREFECTURE_REGION, region="75")


@pytest.fixture
def structure_user(db):
    return make_user("secretariat@mairie.test", Role.STRUCTURE)


@pytest.fixture
def users(admin_user, demo_user, prefecture_58, prefecture_21, region_bfc, region_naq, structure_user):
    """Every role, by the name role × access tests use."""
    return {
        "admin": admin_user,
        "demo": demo_user,
        "prefecture": prefecture_58,
        "prefecture_autre": prefecture_21,
        "region": region_bfc,
        "region_autre": region_naq,
        "structure": structure_user,
        "anonyme": None,
    }


@pytest.fixture
def client_for(client, users):
    """`client_for("prefecture")` returns the test client logged in with that role."""

    def _client(role):
        user = users[role]
        if user is not None:
            client.force_login(user)
        return client

    return _client


# --- Reliability figures ------------------------------------------------------------------------
# Tests of tests/reliability record what they tried (`figures` fixture); the run ends with one
# table of them (also under pytest-xdist: user_properties travel with each test's report).

FIGURES_KEY = "fiabilite"


@pytest.fixture
def figures(record_property):
    """`figures(classe="…", requetes=12, erreurs_500=0, lignes_perdues=0, detail="…")`."""

    def record(**values):
        record_property(FIGURES_KEY, values)

    return record


def pytest_terminal_summary(terminalreporter):
    rows = [
        value
        for report in terminalreporter.getreports("passed") + terminalreporter.getreports("failed")
        for name, value in getattr(report, "user_properties", [])
        if name == FIGURES_KEY and report.when == "call"
    ]
    if not rows:
        return
    terminalreporter.section("Fiabilité : ce que les tests ont essayé")
    totals = {"requetes": 0, "erreurs_500": 0, "lignes_perdues": 0}
    for row in sorted(rows, key=lambda r: r.get("classe", "")):
        for key in totals:
            totals[key] += row.get(key, 0)
        terminalreporter.write_line(
            f"{row.get('classe', '?'):<28} requêtes {row.get('requetes', 0):>5}  "
            f"500 {row.get('erreurs_500', 0):>3}  lignes perdues {row.get('lignes_perdues', 0):>3}  "
            f"{row.get('detail', '')}"
        )
    terminalreporter.write_line(
        f"{'TOTAL':<28} requêtes {totals['requetes']:>5}  500 {totals['erreurs_500']:>3}  "
        f"lignes perdues {totals['lignes_perdues']:>3}"
    )
