"""Django settings for the StackOne Candidate Admin.

Every value is read once through one django-environ ``env``. A ``.env`` file in the project
root is read when present; real environment variables win over it. The contract (names,
defaults, the sandbox rule) is documented in docs/operations/configuration.md.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from candidates.limits import EDITOR_MAX_POSTED_FIELDS
from stackone_admin.log_config import logging_config
from stackone_admin.oidc_grants import grants_mapping
from stackone_admin.sandbox_key import sandbox_key_file
from stackone_admin.sentry import sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Django core ---------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)

# Local development (DEBUG on) may run without a secret; anything else must be given one,
# so a forgotten variable stops the process instead of signing sessions with a known key.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or DEBUG=true for local development)."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "candidates",
    "candidates.bulk",
    "candidates.directory",
    "django.contrib.postgres",
    "candidates.health",
    "django_tasks",
    "django_tasks_db",
    # "sandbox" is added below in sandbox mode only (the test settings run in sandbox mode).
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (docs/operations/monitoring.md).
    "stackone_admin.request_id.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # /healthz answers probes addressed by IP (a Host outside ALLOWED_HOSTS) before anything below
    # checks the Host; every other path goes on to that check.
    "stackone_admin.health.HealthCheckMiddleware",
    # /metrics likewise: Prometheus scrapes each instance by its address.
    "stackone_admin.metrics.MetricsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form over the size limits gets the app's 400 page, with DEBUG (make run) too (it reads the
    # form before the CSRF check's process_view does).
    "stackone_admin.errors.RequestLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Pages and exports with personal data: no copy in a shared machine's browser cache.
    "stackone_admin.no_store.NoStoreMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stackone_admin.urls"
WSGI_APPLICATION = "stackone_admin.wsgi.application"

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
                "stackone_admin.context_processors.sandbox_mode",
            ],
        },
    },
]
# Pages are Django templates; the app's forms draw their inputs through Django's Jinja2 form
# renderer, set on each form (candidates/form_renderer.py), not FORM_RENDERER: the admin's
# widgets are Django templates.

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Keep each worker thread's connection between requests (opening one per request cost several
# milliseconds a page, on PostgreSQL more); a health check replaces one the server dropped.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Bulk workers write while requests write: take the write lock up front and wait for it,
    # rather than failing at once with "database is locked" (SQLite's deferred lock upgrade).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # WAL lets readers go on while one writer writes (web requests beside a bulk job). secure_delete
    # zeroes what a delete frees, so a purged candidate's text does not stay readable in the file
    # (candidates/directory/storage.py; many builds have it on by default, not all).
    DATABASES["default"]["OPTIONS"].setdefault("init_command",
                                               "PRAGMA journal_mode=WAL;PRAGMA secure_delete=ON;")
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses password sign-ins while locked out; PasswordBackend then checks the
# password (superusers only with PASSWORD_SIGNIN=off); GrantBackend answers the app's permissions
# per linked account from the grants (docs/operations/access.md); ProviderBackend signs in with
# OpenID Connect when OIDC_ISSUER is set (and does nothing otherwise).
AUTHENTICATION_BACKENDS = [
    "stackone_admin.signin.SignInThrottleBackend",
    "stackone_admin.signin.PasswordBackend",
    "candidates.access.GrantBackend",
    "stackone_admin.oidc.ProviderBackend",
]
# Local passwords: off leaves them to superusers only (break-glass), everyone else signs in with
# the identity provider.
PASSWORD_SIGNIN = env.bool("PASSWORD_SIGNIN", default=True)

# Sign-in with an OpenID Connect provider (mozilla-django-oidc; stackone_admin/oidc.py): on when
# OIDC_ISSUER is set. Endpoints and keys come from the issuer's .well-known/openid-configuration.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your identity provider")
OIDC_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
# Provider group → {"role": …, "accounts": "*" or [ids]}: the grants replaced at each sign-in.
OIDC_GRANTS = grants_mapping(env.json("OIDC_GRANTS", default={}))
if OIDC_ISSUER:
    if not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
        raise ImproperlyConfigured("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too.")
elif not PASSWORD_SIGNIN:
    raise ImproperlyConfigured("PASSWORD_SIGNIN=off needs OIDC_ISSUER: nobody but superusers could sign in.")
# mozilla-django-oidc's own settings, from ours (the endpoints are discovered, not set).
OIDC_RP_CLIENT_ID = OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = OIDC_CLIENT_SECRET
OIDC_RP_SCOPES = OIDC_SCOPES
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGO", default="RS256")
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"

LOGIN_URL = "login"
CSRF_FAILURE_VIEW = "stackone_admin.errors.csrf_failure"
LOGIN_REDIRECT_URL = "candidates:home"
LOGOUT_REDIRECT_URL = "login"

# The edit form posts every row of a candidate's lists: admit what the largest candidate the
# editor holds sends (candidates/limits.py, 500 rows per list), and nothing larger.
DATA_UPLOAD_MAX_NUMBER_FIELDS = EDITOR_MAX_POSTED_FIELDS

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security (on unless local development says otherwise) ---------------------------------

# Production is HTTPS-only; HTTPS_ONLY=false is for a plain-http trial on loopback.
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# A shared office machine: closing the browser ends the session, besides SESSION_COOKIE_AGE.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS_ONLY)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS_ONLY)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS_ONLY)
# A load balancer probes /healthz, and Prometheus scrapes /metrics, over plain http. The sandbox is
# not exempt: outside DEBUG it is reached over HTTPS like every other path (STACKONE_BASE_URL then
# names the https address).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS_ONLY)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS_ONLY)
# Behind a proxy that ends TLS, e.g. "HTTP_X_FORWARDED_PROTO,https"; only when the proxy sets it.
_proxy_ssl_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere (templates and static/ only), so the policy can forbid them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, sign-in is refused for AXES_COOLOFF_MINUTES; a successful sign-in resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "stackone_admin.signin.lockout_response"
# Behind proxies the socket's address is the nearest proxy's: every client would share one
# lockout. AXES_PROXY_COUNT trusted proxies (each appending to X-Forwarded-For, as nginx's
# $proxy_add_x_forwarded_for does) tell stackone_admin.client_ip where the client's address is.
# (Not the setting AXES_PROXY_COUNT itself: axes 8 reports that name as deprecated.)
TRUSTED_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "stackone_admin.client_ip.client_ip_address"

# --- StackOne ------------------------------------------------------------------------------

# Sandbox rule: the app talks either to StackOne (STACKONE_API_KEY) or to its own built-in sandbox
# (sandbox/, over real HTTP, with a random per-install key: SANDBOX_API_KEY). Local development
# (DEBUG) without a key is sandbox mode; anywhere else the sandbox must be asked for by name, so a
# forgotten key never turns a deployment into an open stand-in for StackOne.
STACKONE_API_KEY = env.str("STACKONE_API_KEY", default="")
SANDBOX_MODE = env.bool("STACKONE_SANDBOX", default=DEBUG and not STACKONE_API_KEY)
if SANDBOX_MODE and STACKONE_API_KEY:
    raise ImproperlyConfigured(
        "STACKONE_SANDBOX=true and STACKONE_API_KEY are both set: unset one of them "
        "(the key talks to StackOne, the sandbox never does)."
    )
if not SANDBOX_MODE and not STACKONE_API_KEY:
    raise ImproperlyConfigured(
        "STACKONE_API_KEY is not set. Set it to talk to StackOne, or set STACKONE_SANDBOX=true to run "
        "against the built-in sandbox (a stand-in with demo data, not for production)."
    )
# The sandbox's key: SANDBOX_API_KEY when set (several hosts share one), else a random key made on
# first use in SANDBOX_KEY_FILE (mode 0600, never shown). Empty outside sandbox mode.
SANDBOX_KEY_FILE = env.path("SANDBOX_KEY_FILE", default=BASE_DIR / ".sandbox-api-key")
SANDBOX_API_KEY = (env.str("SANDBOX_API_KEY", default="") or sandbox_key_file(Path(SANDBOX_KEY_FILE))
                   if SANDBOX_MODE else "")
if SANDBOX_MODE and len(SANDBOX_API_KEY) < 32:
    raise ImproperlyConfigured("SANDBOX_API_KEY is too short to be a secret: use 32 characters or more.")
# The sandbox app (its API, models, admin pages and commands) exists only in sandbox mode: a
# deployment against StackOne neither loads nor lists it (nothing in the product imports it).
if SANDBOX_MODE:
    INSTALLED_APPS.append("sandbox")
STACKONE_BASE_URL = env.str(
    "STACKONE_BASE_URL",
    default="http://127.0.0.1:8000/sandbox" if SANDBOX_MODE else "https://api.stackone.com",
).rstrip("/")
STACKONE_ACCOUNT_ID = env.str("STACKONE_ACCOUNT_ID", default="")
# Phone numbers typed without their country code (the edit page, bulk cells) are read in the
# candidate's country; where it is not known, in the account's default region (ISO 3166 alpha-2):
# PHONE_ACCOUNT_REGIONS=acc-1=GB,acc-2=US, else PHONE_DEFAULT_REGION. Empty: such numbers are refused.
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="").upper()
PHONE_ACCOUNT_REGIONS = {account: region.upper() for account, region in
                         env.dict("PHONE_ACCOUNT_REGIONS", default={}).items()}
STACKONE_TIMEOUT = env.float("STACKONE_TIMEOUT", default=65.0)
STACKONE_CONNECT_TIMEOUT = env.float("STACKONE_CONNECT_TIMEOUT", default=5.0)
STACKONE_MAX_RETRIES = env.int("STACKONE_MAX_RETRIES", default=3)
STACKONE_BACKOFF_FACTOR = env.float("STACKONE_BACKOFF_FACTOR", default=0.5)
STACKONE_RETRY_AFTER_CAP = env.float("STACKONE_RETRY_AFTER_CAP", default=30.0)

# --- Bulk updates (candidates/bulk/) ---------------------------------------------------------

# Django's tasks framework (the django-tasks backport) with the database queue: workers are
# `manage.py db_worker` processes on any host sharing the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The embedded default runs a worker thread inside the web process, so nothing else is needed.
BULK_INPROCESS_WORKER = env.bool("BULK_INPROCESS_WORKER", default=DEBUG or SANDBOX_MODE)
# A worker that has not reported (its heartbeat, every 5 s) for this long is lost: the tasks it was
# running go back to the queue for another worker, within 1.25 × this (candidates/worker_process.py).
WORKER_TAKEOVER_SECONDS = env.float("WORKER_TAKEOVER_SECONDS", default=60.0)
BULK_CONCURRENCY = env.int("BULK_CONCURRENCY", default=4)
# One StackOne call budget per API key, shared by every call of every process (candidates/budget.py,
# docs/operations/workers.md): StackOne's limit for the key (1,000 a minute) less a safety margin.
# People first: background work (bulk, syncs, health fix jobs) gets what pages leave, less
# STACKONE_INTERACTIVE_RESERVE of the budget, and never less than STACKONE_BACKGROUND_FLOOR of it.
STACKONE_RATE_LIMIT = env.str("STACKONE_RATE_LIMIT", default="900/minute")
STACKONE_BACKGROUND_FLOOR = env.float("STACKONE_BACKGROUND_FLOOR", default=0.1)
STACKONE_INTERACTIVE_RESERVE = env.float("STACKONE_INTERACTIVE_RESERVE", default=0.1)
if not (0 < STACKONE_BACKGROUND_FLOOR and 0 <= STACKONE_INTERACTIVE_RESERVE
        and STACKONE_BACKGROUND_FLOOR + STACKONE_INTERACTIVE_RESERVE < 1):
    raise ImproperlyConfigured(
        "STACKONE_BACKGROUND_FLOOR (more than 0) and STACKONE_INTERACTIVE_RESERVE (0 or more) are shares of "
        "STACKONE_RATE_LIMIT: together they must stay under 1."
    )
# The longest a page's StackOne call waits for the budget before the page says StackOne is busy.
STACKONE_INTERACTIVE_MAX_WAIT = env.float("STACKONE_INTERACTIVE_MAX_WAIT", default=10.0)
_cache_url = env.str("CACHE_URL", default="")
STACKONE_RATE_LIMIT_STORAGE = env.str(
    "STACKONE_RATE_LIMIT_STORAGE",
    default=_cache_url if _cache_url.startswith(("redis://", "rediss://")) else "memory://",
)

# --- Candidate directory (candidates/directory/) ----------------------------------------------

# A local index of each linked account's candidates (off: StackOne's exact-email search only).
CANDIDATE_DIRECTORY = env.bool("CANDIDATE_DIRECTORY", default=True)
STACKONE_SYNC_PAGE_SIZE = env.int("STACKONE_SYNC_PAGE_SIZE", default=100)
# The embedded worker runs the incremental sync of every active account this often.
DIRECTORY_SYNC_MINUTES = env.float("DIRECTORY_SYNC_MINUTES", default=15)
# An incremental sync asks for what changed since the last sync started, minus this margin.
DIRECTORY_SYNC_SKEW_SECONDS = env.int("DIRECTORY_SYNC_SKEW_SECONDS", default=300)
# Rows of an account that is no longer active (or linked) are purged this long after its last sync.
DIRECTORY_RETENTION_DAYS = env.int("DIRECTORY_RETENTION_DAYS", default=30)
# The database's part of a search: empty picks the one for the database (PostgreSQL or SQLite);
# a dotted path names another class (candidates/directory/search_backend.py).
DIRECTORY_SEARCH_BACKEND = env.str("DIRECTORY_SEARCH_BACKEND", default="")
# The longest one directory search may take (ms) before the page says it was too broad.
DIRECTORY_SEARCH_TIME_LIMIT_MS = env.int("DIRECTORY_SEARCH_TIME_LIMIT_MS", default=1000)

# --- Data health (candidates/health/) ---------------------------------------------------------

# The region a phone number written without its country code is read in when the candidate's
# country is not known (ISO 3166 alpha-2, e.g. GB). Empty (the default): such numbers are
# reported, never guessed; when set, the fixes read in it are listed apart, never in "Apply all".
HEALTH_PHONE_REGION = env.str("HEALTH_PHONE_REGION", default="").strip().upper()

# --- Operations: logs, metrics, error reports (docs/operations/monitoring.md) ---------------

# "json": one JSON object a line; every line carries its request id either way. (Empty, as in
# .env.example, means the default.)
LOG_FORMAT = (env.str("LOG_FORMAT", default="") or "text").lower()
try:
    LOGGING = logging_config(level=(env.str("LOG_LEVEL", default="") or "INFO").upper(), fmt=LOG_FORMAT)
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
# The header in which the proxy passes its request id (e.g. X-Request-ID); empty: one is made here.
REQUEST_ID_HEADER = env.str("REQUEST_ID_HEADER", default="")

# /metrics is served only when METRICS_TOKEN is set: to that bearer token, or to a scraper that
# connects directly from an address or network in METRICS_ALLOW.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN is too short to be a secret: use 32 characters or more.")
METRICS_ALLOW = env.list("METRICS_ALLOW", default=[])
try:
    for _allowed in METRICS_ALLOW:
        ipaddress.ip_network(_allowed, strict=False)
except ValueError as exc:
    raise ImproperlyConfigured(f"METRICS_ALLOW: {exc}") from exc
# prometheus_client's multiprocess mode (several gunicorn workers, db_worker): every process of
# the host writes its counters here and a scrape adds them up. prometheus_client reads the same
# variable from the environment; the directory must exist (and be emptied before the processes start).
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
if PROMETHEUS_MULTIPROC_DIR and not Path(PROMETHEUS_MULTIPROC_DIR).is_dir():
    raise ImproperlyConfigured(f"PROMETHEUS_MULTIPROC_DIR {PROMETHEUS_MULTIPROC_DIR} is not a directory.")
if not PROMETHEUS_MULTIPROC_DIR:
    # prometheus_client (imported after the settings) turns multiprocess mode on when the variable
    # exists at all: an empty one, as .env.example leaves it, would write its files in the cwd.
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)

# Error reports to Sentry: off unless SENTRY_DSN is set; never with personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="")
if SENTRY_DSN:
    sentry_init(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT or None)
