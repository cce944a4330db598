"""Settings for Espace France Numérique Ensemble, read from the environment.

Local defaults are safe and need nothing installed: a SQLite file, Celery tasks run eagerly,
e-mails printed on the console. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY,
ALLOWED_HOSTS and DEBUG=false (see README, « Mise en production »).
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    # An empty variable counts as unset (docker-compose passes `${VAR:-}` through as "").
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
_LOCAL_SECRET = "insecure-local-only-secret-key-do-not-use-in-production-0123456789"  # noqa: S105 - local default, refused in production
SECRET_KEY = env("SECRET_KEY", _LOCAL_SECRET)
if env_bool("FNE_PRODUCTION"):
    # DEBUG shows settings, SQL and stack traces to anyone who triggers an error: never in production.
    if DEBUG:
        raise ImproperlyConfigured("DEBUG doit être désactivé en production (FNE_PRODUCTION).")
    if SECRET_KEY == _LOCAL_SECRET:
        raise ImproperlyConfigured("SECRET_KEY doit être défini en production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    # django-dsfr must come before django.forms so that its widget templates win.
    "widget_tweaks",
    "dsfr",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_filters",
    "import_export",
    "django_htmx",
    "simple_history",
    "csp",
    "corsheaders",
    # Project apps, from the ground floor up (tests/test_layering.py keeps imports in this order):
    # core imports no app; territoires only core; espace, the site's own pages, sits on top.
    "core",
    "territoires",
    "entreprises",
    "comptes",
    "diagnostic",
    "candidatures",
    "feuilles_de_route",
    "gouvernances",
    "besoins",
    "subventions",
    "national",
    "donnees_ouvertes",
    "espace",
]

MIDDLEWARE = [
    # First: the request id and the one log record per request cover every other middleware.
    "core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, so that the open data's redirects carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After authentication: personal pages are never kept by a browser or a shared cache.
    "core.middleware.NoStoreForUsersMiddleware",
    # No view of the platform handles PUT, PATCH, DELETE… : 405 before any view runs.
    "core.middleware.SafeMethodsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "fne.urls"
WSGI_APPLICATION = "fne.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.site_config",
                "espace.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database: DATABASE_URL, or a SQLite file (the embedded default) --------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serves several requests at once only when configured for it: every transaction
    # takes the write lock when it begins (IMMEDIATE, so two writers queue up instead of failing
    # with « database is locked » half-way), waits up to 20 s for it, and WAL lets readers go on
    # while one request writes. Row locks (select_for_update) do not exist on SQLite: the
    # immediate write lock is what serialises the versioned saves there.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # A file, not SQLite's in-memory default: the concurrency tests open several connections
    # (threads, a Celery worker), which an in-memory database cannot share with WAL.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the pages' queries are aggregates over a few tens of thousands of rows
    # at most, whose cost estimates cross PostgreSQL's JIT threshold although they run in
    # milliseconds; compiling them took longer than running them (340 of the 820 ms of the
    # national map's coverage query).
    # Join orders searched in groups of four relations at most: the national tables select a row
    # with its gouvernance, département, région and four territory references (ten relations),
    # whose exhaustive join-order search took 30 to 70 ms of planning for 2 ms of execution; the
    # order Django writes (the row, then each foreign key) is the good one for these lookups.
    DATABASES["default"]["OPTIONS"] = {
        "options": "-c jit=off -c join_collapse_limit=4 -c from_collapse_limit=4",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery: REDIS_URL, or local memory and eager tasks --------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # core.cache: a Redis outage degrades to a per-process cache instead of raising (pages read
    # the database, rate limits count per process); Redis is given half a second to answer.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            # Several platforms (or test runs) sharing one Redis keep their keys apart.
            "KEY_PREFIX": env("FNE_CACHE_KEY_PREFIX"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
# A task is acknowledged when it ends, not when it starts: a worker that dies mid-task (killed,
# out of memory) leaves its message to be delivered again, and a pool child that dies has its
# message put back at once instead of being counted as done.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queues: one per kind of work, each with its own workers (README, « Passer à l'échelle »), so
# that a slow PDF never delays a password e-mail nor an open-data build a SIRET lookup. Every
# task of the platform is named here (a test checks it); core.tasks.route_task reads this table
# when a task is sent. FNE_CELERY_QUEUE_PREFIX keeps apart several platforms (or test runs)
# sharing one Redis: the queues become « <prefix>documents »…
FNE_CELERY_QUEUE_PREFIX = env("FNE_CELERY_QUEUE_PREFIX")
FNE_TASK_QUEUES = {
    # PDF and document rendering: long, CPU-bound.
    "documents": [
        "feuilles_de_route.tasks.render_pdf_job",
        "feuilles_de_route.tasks.requeue_waiting_pdf_jobs",
        "feuilles_de_route.tasks.sweep_stale_pdf_jobs",
        "subventions.tasks.render_convention_job",
        "subventions.tasks.requeue_waiting_convention_jobs",
    ],
    # E-mails: short, waiting on the mail server.
    "emails": [
        "comptes.tasks.send_role_decision",
        "candidatures.tasks.send_accuse_reception",
        "candidatures.tasks.notify_prefectures",
        "gouvernances.tasks.notify_new_members",
        "feuilles_de_route.tasks.send_invitation",
        "subventions.tasks.send_modification_email",
        "national.tasks.send_reopening_email",
        "national.tasks.send_echeance_reminders",
    ],
    # Data brought in from outside: the SIRET lookups of the « recherche d'entreprises » service.
    "imports": [
        "entreprises.tasks.verify_siret",
        "entreprises.tasks.requeue_pending_lookups",
    ],
    # Open-data builds: long, reading the whole database.
    "donnees_ouvertes": [
        "donnees_ouvertes.tasks.publish_open_data",
        "donnees_ouvertes.tasks.publish_open_data_after_remontee",
    ],
}
CELERY_TASK_DEFAULT_QUEUE = f"{FNE_CELERY_QUEUE_PREFIX}defaut"
CELERY_TASK_ROUTES = ("core.tasks.route_task",)
CELERY_TIMEZONE = "Europe/Paris"
# Time limits (seconds): the soft one raises inside the task, which records why it stopped; the
# hard one kills the pool child. The PDF rendering has its own (FNE_PDF_TIME_LIMIT).
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 270
FNE_PDF_TIME_LIMIT = int(env("FNE_PDF_TIME_LIMIT", "120"))
FNE_PDF_SOFT_TIME_LIMIT = FNE_PDF_TIME_LIMIT - max(1, FNE_PDF_TIME_LIMIT // 8)
# A job « en cours » this long after its start has lost its worker (the hard limit would have
# ended it): the sweeper (below) requeues it, or fails it after FNE_PDF_MAX_ATTEMPTS starts.
FNE_PDF_STALE_AFTER = FNE_PDF_TIME_LIMIT + int(env("FNE_PDF_STALE_GRACE", "30"))
FNE_PDF_MAX_ATTEMPTS = 3
# The longest wait between two tries of a failing task (core.tasks' retry policy).
FNE_TASK_RETRY_MAX_DELAY = 480
# Redis hands an unacknowledged message to another worker after the visibility timeout (kombu's
# default: one hour, which left a killed worker's job waiting an hour). It must outlast the
# longest a message stays unacknowledged without anything wrong: a retry waiting for its
# countdown, then running to its hard limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": FNE_TASK_RETRY_MAX_DELAY + max(CELERY_TASK_TIME_LIMIT, FNE_PDF_TIME_LIMIT) + 120,
    # A broker that does not answer must not hang a web request: fail fast, the caller reports the delay.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
}
# Periodic jobs, run by `celery -A fne beat` (see docker-compose.yml).
CELERY_BEAT_SCHEDULE = {
    # PDF jobs asked for while the broker was unreachable stay « en attente »: send them again.
    "feuilles-de-route-relancer-pdf-en-attente": {
        "task": "feuilles_de_route.tasks.requeue_waiting_pdf_jobs",
        "schedule": 60.0,
    },
    # Conventions de subvention asked for while the broker was unreachable: the same.
    "subventions-relancer-conventions-en-attente": {
        "task": "subventions.tasks.requeue_waiting_convention_jobs",
        "schedule": 60.0,
    },
    # SIRET lookups left « en cours de vérification » (a lost task, a long outage): ask again.
    "entreprises-relancer-verifications": {
        "task": "entreprises.tasks.requeue_pending_lookups",
        "schedule": crontab(minute=30),
    },
    # PDF jobs whose worker died (« en cours » past their time limit): requeue them, or fail them
    # with a reason, so that no page waits for ever.
    "feuilles-de-route-balayer-pdf-bloques": {
        "task": "feuilles_de_route.tasks.sweep_stale_pdf_jobs",
        "schedule": 60.0,
    },
    # Deadline reminders to late préfectures (daily; idempotent: running twice sends nothing twice).
    "rappels-echeances-campagne": {
        "task": "national.tasks.send_echeance_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Open data: every file rebuilt each night (the data sets page names this time)…
    "donnees-ouvertes-publication-nocturne": {
        "task": "donnees_ouvertes.tasks.publish_open_data",
        "schedule": crontab(hour=3, minute=30),
    },
    # … and a few minutes after a gouvernance is sent (the task checks, builds only then).
    "donnees-ouvertes-apres-remontee": {
        "task": "donnees_ouvertes.tasks.publish_open_data_after_remontee",
        "schedule": 300.0,
    },
}

# --- Authentication: django-allauth, e-mail only ---------------------------------------------
AUTH_USER_MODEL = "comptes.User"
# Django's and allauth's backends, loading the user with its département and région (comptes/backends.py).
AUTHENTICATION_BACKENDS = [
    "comptes.backends.ModelBackend",
    "comptes.backends.AuthenticationBackend",
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "espace:mon_espace"
LOGOUT_REDIRECT_URL = "espace:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Espace France Numérique Ensemble] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG and SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# The client's address behind the reverse proxy: with FNE_TRUSTED_PROXY_COUNT proxies in front
# (1 behind docker-compose's proxy), the address is read in X-Forwarded-For, that many hops from
# the right; or in the header FNE_TRUSTED_CLIENT_IP_HEADER names (e.g. X-Real-IP) when the proxy
# sets one. Unset: REMOTE_ADDR, and X-Forwarded-For is never believed (anyone can write it).
# allauth's limits and the project's (core.ratelimit) both read the address this way.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("FNE_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("FNE_TRUSTED_CLIENT_IP_HEADER") or None
ACCOUNT_ADAPTER = "comptes.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "comptes.forms.FneLoginForm",
    "signup": "comptes.forms.FneSignupForm",
    "request_login_code": "comptes.forms.FneRequestLoginCodeForm",
    "reset_password": "comptes.forms.FneResetPasswordForm",
    "confirm_login_code": "comptes.forms.FneConfirmLoginCodeForm",
    "confirm_email_verification_code": "comptes.forms.FneConfirmEmailVerificationCodeForm",
    "reset_password_from_key": "comptes.forms.FneResetPasswordKeyForm",
    "change_password": "comptes.forms.FneChangePasswordForm",
}
SOCIALACCOUNT_ADAPTER = "comptes.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

# ProConnect (OpenID Connect), the State agents' login. Switched on only when configured.
PROCONNECT_CLIENT_ID = env("PROCONNECT_CLIENT_ID")
PROCONNECT_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET")
PROCONNECT_SERVER_URL = env("PROCONNECT_SERVER_URL")  # e.g. https://auth.agentconnect.gouv.fr/api/v2
PROCONNECT_ENABLED = bool(PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET and PROCONNECT_SERVER_URL)
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []}}
if PROCONNECT_ENABLED:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": "proconnect",
            "name": "ProConnect",
            "client_id": PROCONNECT_CLIENT_ID,
            "secret": PROCONNECT_CLIENT_SECRET,
            "settings": {
                "server_url": PROCONNECT_SERVER_URL,
                "token_auth_method": "client_secret_post",
                "scope": ["openid", "email", "given_name", "usual_name"],
            },
        }
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "Espace France Numérique Ensemble <ne-pas-repondre@inclusion-numerique.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Private uploads and generated PDFs: served only through views that check access. On the local
# disk (MEDIA_ROOT) by default; in an S3-compatible object store when FNE_S3_BUCKET is set, so that
# every web instance and worker, on any machine, reads the same files (core/storage.py).
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-prive/"
FNE_S3_BUCKET = env("FNE_S3_BUCKET")
if FNE_S3_BUCKET:
    from botocore.config import Config as _BotoConfig

    _default_storage = {
        "BACKEND": "core.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": FNE_S3_BUCKET,
            "endpoint_url": env("FNE_S3_ENDPOINT_URL") or None,
            "region_name": env("FNE_S3_REGION", env("AWS_DEFAULT_REGION")) or None,
            "access_key": env("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
            # A prefix inside the bucket (several platforms sharing one bucket).
            "location": env("FNE_S3_PREFIX"),
            # « path » for most S3-compatible stores outside AWS (MinIO, Garage…), « virtual » on AWS.
            "addressing_style": env("FNE_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            # A store that does not answer must not hold a request for ever: bounded connect and
            # read waits, two tries more on a transient error.
            "client_config": _BotoConfig(
                connect_timeout=float(env("FNE_S3_CONNECT_TIMEOUT", "3")),
                read_timeout=float(env("FNE_S3_READ_TIMEOUT", "30")),
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }
else:
    _default_storage = {"BACKEND": "core.storage.PrivateFileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("FNE_MANIFEST_STATIC", default=not DEBUG and env_bool("FNE_PRODUCTION"))
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Request bodies (files aside) stay small; the largest form is a gouvernance's creation form,
# about 14 fields per member: 5,000 fields leave room for ~350 members, and no more.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security --------------------------------------------------------------------------------
# A refused CSRF token gets the French DSFR page (core.views), not Django's English one.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG and env_bool("FNE_PRODUCTION"))
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG and env_bool("FNE_PRODUCTION"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if env_bool("FNE_PRODUCTION") else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("FNE_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): no inline script; DSFR ships its own files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- Open data and API --------------------------------------------------------------------------
# Requests per client and per window on /api/v1/ (core.ratelimit's limiter).
FNE_API_LIMITE = env("FNE_API_LIMITE", "600/m")
# A demonstration site may publish its demonstration data (fictional) as open data; never in
# production, where they are left out (see donnees_ouvertes/demonstration.py).
DONNEES_OUVERTES_DEMONSTRATION = env_bool("FNE_DONNEES_OUVERTES_DEMONSTRATION")
# CORS (django-cors-headers): anyone may read the open data and the API from a browser, never
# with credentials, never to write.
CORS_URLS_REGEX = r"^/(api/v1|donnees-ouvertes)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

# --- Logging ---------------------------------------------------------------------------------
# In production, one JSON object per line (python-json-logger), which log collectors read as is:
# every record carries the request id (core.logs); `fne.requetes` writes one record per request.
# Locally, plain lines, and no record per request (the development server prints its own).
FNE_JSON_LOGS = env_bool("FNE_JSON_LOGS", default=env_bool("FNE_PRODUCTION"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if FNE_JSON_LOGS else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "fne.requetes": {"level": "INFO" if FNE_JSON_LOGS else "WARNING"},
    },
}
# Celery workers keep this configuration instead of installing their own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reports to a Sentry-compatible service, only when SENTRY_DSN is set; nothing personal is
# sent (core.logs.scrub_event: no body, no cookie, no e-mail address, the user's id only).
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    from core.logs import init_error_reports

    init_error_reports(dsn=SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", "production"))

# --- Project ---------------------------------------------------------------------------------
FNE_SITE_TITLE = "Espace France Numérique Ensemble"
# The territory file shipped with the project (see territoires/data/README.md).
TERRITOIRES_FILE = BASE_DIR / "territoires" / "data" / "territoires-2026.json.gz"
# The State's public « recherche d'entreprises » service (no key), which SIRET are looked up in
# (entreprises/), e.g. https://recherche-entreprises.api.gouv.fr ; unset: no lookup.
SIRENE_API_URL = env("SIRENE_API_URL")
SIRENE_TIMEOUT = float(env("SIRENE_TIMEOUT", "5"))
# An answer is kept this long before the SIRET is looked up again.
SIRENE_CACHE_DAYS = int(env("SIRENE_CACHE_DAYS", "30"))
# The établissements publics territoriaux of the Grand Paris, same source and vintage.
EPT_FILE = BASE_DIR / "territoires" / "data" / "ept-2026.csv"
# The map geometry shipped with the project (see territoires/data/geo/README.md).
GEO_DIR = BASE_DIR / "territoires" / "data" / "geo"
