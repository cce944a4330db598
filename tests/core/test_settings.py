"""Settings read from the environment: production variables pass `check --deploy`, and an empty
environment gives the local defaults (SQLite, eager Celery).

Each case runs in a subprocess so that the environment is exactly the one under test.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Variables the settings (or Django) read: removed from the subprocess's environment before each case.
SETTINGS_VARIABLES = [
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "FNE_PRODUCTION",
    "FNE_BEHIND_PROXY",
    "FNE_MANIFEST_STATIC",
    "CONN_MAX_AGE",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "PROCONNECT_CLIENT_ID",
    "PROCONNECT_CLIENT_SECRET",
    "PROCONNECT_SERVER_URL",
    "FNE_TRUSTED_PROXY_COUNT",
    "FNE_TRUSTED_CLIENT_IP_HEADER",
    "FNE_PDF_TIME_LIMIT",
    # Set by the browser tests' conftest; check --deploy rightly warns about it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
]


def run_django(args: list[str], **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="fne.settings", **variables)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_reports_nothing_with_production_variables():
    result = run_django(
        ["manage.py", "check", "--deploy"],
        FNE_PRODUCTION="true",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="fne.example.gouv.fr",
        SITE_URL="https://fne.example.gouv.fr",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr


def test_production_refuses_the_local_secret_key():
    result = run_django(
        ["manage.py", "check"], FNE_PRODUCTION="true", DEBUG="false", ALLOWED_HOSTS="fne.example.gouv.fr"
    )
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini en production." in result.stderr


PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "from_email": settings.DEFAULT_FROM_EMAIL,
}))
"""


def read_settings(**variables: str) -> dict:
    result = run_django(["-c", PRINT_SETTINGS], **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_local_defaults_are_sqlite_and_eager_celery():
    values = read_settings()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["eager"] is True
    assert values["broker"] == "memory://localhost/"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_services_come_from_the_environment():
    values = read_settings(
        DATABASE_URL="postgres://fne:secret@db.example:5432/fne", REDIS_URL="redis://redis.example:6379/0"
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "fne"
    assert values["eager"] is False
    assert values["broker"] == "redis://redis.example:6379/0"
    assert values["cache"] == "core.cache.ResilientRedisCache"


def test_an_empty_variable_counts_as_unset():
    # docker-compose passes optional variables through as empty strings.
    values = read_settings(DATABASE_URL="", REDIS_URL="", DEFAULT_FROM_EMAIL="")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["from_email"].startswith("Espace France Numérique Ensemble <")


PRINT_SECURITY = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "hsts_subdomains": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "nosniff": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "frame": settings.X_FRAME_OPTIONS,
    "csp": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "max_body": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
    "rate_limits": settings.ACCOUNT_RATE_LIMITS,
}))
"""


def read_security(**variables: str) -> dict:
    result = run_django(["-c", PRINT_SECURITY], **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_secure():
    values = read_security(
        FNE_PRODUCTION="true",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="fne.example.gouv.fr",
    )
    assert values["session_secure"] is True
    assert values["csrf_secure"] is True
    assert values["session_httponly"] is True
    assert values["hsts"] >= 31536000
    assert values["hsts_subdomains"] is True
    assert values["ssl_redirect"] is True
    assert values["nosniff"] is True
    assert values["frame"] == "DENY"


def test_csp_allows_no_inline_code_and_no_other_origin():
    directives = read_security()["csp"]
    for directive in ("default-src", "script-src", "style-src"):
        assert directives[directive] == ["'self'"], directive
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_request_bodies_and_login_attempts_are_bounded():
    values = read_security()
    assert 0 < values["max_body"] <= 10 * 1024 * 1024
    assert 0 < values["max_fields"] <= 10000
    assert 0 < values["max_files"] <= 10
    assert values["rate_limits"]["login_failed"].startswith("10/m/ip")
    assert "signup" in values["rate_limits"]


PRINT_PERFORMANCE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
from django.template import engines
engine = engines["django"].engine
print(json.dumps({
    "loaders": [type(loader).__module__ + "." + type(loader).__name__ for loader in engine.template_loaders],
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
}))
"""


def test_production_caches_templates_and_keeps_connections():
    result = run_django(
        ["-c", PRINT_PERFORMANCE],
        FNE_PRODUCTION="true",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="fne.example.gouv.fr",
        DATABASE_URL="postgres://fne:pw@127.0.0.1:5432/fne",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    # Templates compiled once per process; one connection per worker, checked before reuse.
    assert values["loaders"] == ["django.template.loaders.cached.Loader"]
    assert values["conn_max_age"] >= 60
    assert values["health_checks"] is True


def test_production_refuses_debug():
    result = run_django(
        ["manage.py", "check"],
        FNE_PRODUCTION="true",
        DEBUG="true",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="fne.example.gouv.fr",
    )
    assert result.returncode != 0
    assert "DEBUG doit être désactivé en production (FNE_PRODUCTION)." in result.stderr


PRINT_RELIABILITY = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "options": db.get("OPTIONS", {}),
    "proxy_count": settings.ALLAUTH_TRUSTED_PROXY_COUNT,
    "ip_header": settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER,
    "visibility": settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout"),
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
    "pdf_time_limit": settings.FNE_PDF_TIME_LIMIT,
    "retry_max": settings.FNE_TASK_RETRY_MAX_DELAY,
    "reject_lost": settings.CELERY_TASK_REJECT_ON_WORKER_LOST,
    "acks_late": settings.CELERY_TASK_ACKS_LATE,
    "beat": sorted(entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()),
    "csrf_view": settings.CSRF_FAILURE_VIEW,
}))
"""


def read_reliability(**variables: str) -> dict:
    result = run_django(["-c", PRINT_RELIABILITY], **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sqlite_is_configured_for_concurrent_requests():
    options = read_reliability()["options"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]


def test_postgresql_gets_no_sqlite_option_and_no_jit():
    # The connection's only option sets the planner: no JIT compilation (slower than the pages'
    # queries themselves), join orders searched in small groups (the national tables' planning).
    options = read_reliability(DATABASE_URL="postgres://fne:secret@db.example:5432/fne")["options"]
    assert options == {"options": "-c jit=off -c join_collapse_limit=4 -c from_collapse_limit=4"}


def test_the_trusted_proxies_come_from_the_environment():
    direct = read_reliability()
    assert direct["proxy_count"] == 0
    assert direct["ip_header"] is None
    proxied = read_reliability(FNE_TRUSTED_PROXY_COUNT="1", FNE_TRUSTED_CLIENT_IP_HEADER="X-Real-IP")
    assert proxied["proxy_count"] == 1
    assert proxied["ip_header"] == "X-Real-IP"


def test_the_broker_outlasts_the_longest_silent_task_and_a_lost_worker_gives_the_task_back():
    values = read_reliability(REDIS_URL="redis://redis.example:6379/0")
    # A retry waits at most retry_max, then runs at most the longest hard limit, unacknowledged.
    longest = values["retry_max"] + max(values["time_limit"], values["pdf_time_limit"])
    assert longest < values["visibility"] <= 3600
    assert values["acks_late"] is True
    assert values["reject_lost"] is True
    assert "feuilles_de_route.tasks.sweep_stale_pdf_jobs" in values["beat"]
    assert values["csrf_view"] == "core.views.csrf_failure"


@pytest.mark.django_db
@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').split(':', 1)[0] not in ('postgres', 'postgresql')")
def test_a_postgresql_connection_runs_without_jit_and_with_small_join_searches():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW join_collapse_limit")
        assert cursor.fetchone()[0] == "4"
        cursor.execute("SHOW from_collapse_limit")
        assert cursor.fetchone()[0] == "4"
